using Breachline.Salesforce;

namespace Breachline.Tests.Salesforce;

public sealed class OrgMetadataTests
{
    private static readonly string Eda = Fixtures.Path("scan", "eda-metadata");

    [Fact]
    public void The_EDA_objects_are_read_with_sharing_model_history_and_lines()
    {
        var org = OrgMetadata.Load(Eda);

        var enrollment = org.Object("Course_Enrollment__c")!;
        Assert.Equal("ReadWrite", enrollment.SharingModel!.Value);
        Assert.True(enrollment.EnableHistory!.IsFalse);
        Assert.Equal("force-app/main/default/objects/Course_Enrollment__c/Course_Enrollment__c.object-meta.xml", enrollment.Source!.Path);
        var line = File.ReadAllLines(Path.Combine(Eda, enrollment.Source.Path))[enrollment.SharingModel.Line - 1];
        Assert.Contains("<sharingModel>ReadWrite</sharingModel>", line, StringComparison.Ordinal);
        Assert.Equal(64, enrollment.Source.Sha256.Length);
        Assert.Empty(org.Problems);
    }

    [Fact]
    public void Fields_in_their_own_SFDX_files_attach_to_their_object_and_keep_encryption_and_mask()
    {
        var org = OrgMetadata.Load(Eda);

        var ssn = org.Object("Contact")!.Fields.Single(f => f.Name == "Social_Security_Number__c");
        Assert.True(ssn.IsEncrypted);
        Assert.Equal("ssn", ssn.MaskType!.Value);
        Assert.Null(ssn.TrackHistory);
        Assert.Equal("Contact.Social_Security_Number__c", ssn.QualifiedName);
        Assert.Null(org.Object("Contact")!.Source);
    }

    [Fact]
    public void Mdapi_profiles_and_permission_sets_without_the_meta_suffix_are_read()
    {
        var org = OrgMetadata.Load(Eda);

        var admin = Assert.Single(org.Profiles);
        Assert.Equal("Admin", admin.Name);
        Assert.True(admin.IsSystemAdministrator);
        var encryption = Assert.Single(org.PermissionSets);
        Assert.Equal("Encryption", encryption.Name);
        var permission = encryption.Enabled("ManageEncryptionKeys")!;
        var text = File.ReadAllLines(Path.Combine(Eda, encryption.Source.Path))[permission.Line - 1];
        Assert.Contains("<name>ManageEncryptionKeys</name>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Connected_app_sharing_rules_settings_and_remote_sites_are_read_with_the_lines_of_their_values()
    {
        using var dir = new TempDir();
        var root = dir.Combine("force-app", "main", "default");
        Write(root, "connectedApps/Chat.connectedApp-meta.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
                <label>Chat</label>
                <oauthConfig>
                    <callbackUrl>https://chat.example/cb</callbackUrl>
                    <isAdminApproved>false</isAdminApproved>
                    <scopes>Api</scopes>
                    <scopes>Full</scopes>
                </oauthConfig>
                <oauthPolicy>
                    <ipRelaxation>BYPASS</ipRelaxation>
                    <refreshTokenPolicy>infinite</refreshTokenPolicy>
                </oauthPolicy>
            </ConnectedApp>
            """);
        Write(root, "sharingRules/Contact.sharingRules-meta.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <SharingRules xmlns="http://soap.sforce.com/2006/04/metadata">
                <sharingGuestRules>
                    <fullName>Guests</fullName>
                    <accessLevel>Read</accessLevel>
                    <sharedTo>
                        <guestUser>Portal</guestUser>
                    </sharedTo>
                    <criteriaItems><field>CreatedById</field><operation>notEqual</operation><value></value></criteriaItems>
                </sharingGuestRules>
            </SharingRules>
            """);
        Write(root, "settings/Sharing.settings-meta.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <SharingSettings xmlns="http://soap.sforce.com/2006/04/metadata">
                <enableSecureGuestAccess>false</enableSecureGuestAccess>
            </SharingSettings>
            """);
        Write(root, "remoteSiteSettings/Sis.remoteSite-meta.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <RemoteSiteSetting xmlns="http://soap.sforce.com/2006/04/metadata">
                <disableProtocolSecurity>true</disableProtocolSecurity>
                <isActive>true</isActive>
                <url>http://sis.example.edu</url>
            </RemoteSiteSetting>
            """);

        var org = OrgMetadata.Load(dir.Path);

        var app = Assert.Single(org.ConnectedApps);
        Assert.Equal(["Api", "Full"], app.Scopes.Select(s => s.Value));
        Assert.Equal(8, app.Scope("full")!.Line);
        Assert.Equal(11, app.IpRelaxation!.Line);
        Assert.True(app.IsAdminApproved!.IsFalse);
        var rule = Assert.Single(org.SharingRules);
        Assert.Equal((SharingRuleKind.Guest, "guestUser", "Portal", 7), (rule.Kind, rule.SharedToKind, rule.SharedTo!.Value, rule.SharedTo.Line));
        Assert.Equal("Contact", rule.Object);
        Assert.True(org.SettingsNamed("Sharing")!["enableSecureGuestAccess"]!.IsFalse);
        var site = Assert.Single(org.RemoteSites);
        Assert.Equal(("http://sis.example.edu", 5), (site.Url!.Value, site.Url.Line));
    }

    [Fact]
    public void Malformed_XML_is_a_problem_with_its_file_and_line_and_the_other_files_are_still_read()
    {
        using var dir = new TempDir();
        Write(dir.Path, "profiles/Broken.profile-meta.xml", "<?xml version=\"1.0\"?>\n<Profile>\n  <custom>true</custom>\n  <userPermissions>\n</Profile>\n");
        Write(dir.Path, "profiles/Good.profile-meta.xml", "<?xml version=\"1.0\"?>\n<Profile><custom>true</custom></Profile>\n");

        var org = OrgMetadata.Load(dir.Path);

        var problem = Assert.Single(org.Problems);
        Assert.Equal("profiles/Broken.profile-meta.xml", problem.Path);
        Assert.Equal(5, problem.Line);
        Assert.Contains("not well-formed", problem.Message, StringComparison.Ordinal);
        Assert.Equal("Good", Assert.Single(org.Profiles).Name);
    }

    [Fact]
    public void An_external_entity_is_refused_and_the_file_it_points_at_is_never_read()
    {
        using var dir = new TempDir();
        var secret = dir.Combine("secret.txt");
        File.WriteAllText(secret, "TOP-SECRET-CONTENT");
        Write(dir.Path, "profiles/Xxe.profile-meta.xml", $"""
            <?xml version="1.0"?>
            <!DOCTYPE Profile [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
            <Profile><description>&xxe;</description></Profile>
            """);

        var org = OrgMetadata.Load(dir.Path);

        var problem = Assert.Single(org.Problems);
        Assert.Contains("DTD", problem.Message, StringComparison.Ordinal);
        Assert.Empty(org.Profiles);
        Assert.DoesNotContain("TOP-SECRET", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_billion_laughs_document_is_refused_without_expanding_it()
    {
        using var dir = new TempDir();
        var entities = string.Join("\n", Enumerable.Range(1, 9).Select(i => $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">"));
        Write(dir.Path, "permissionsets/Lol.permissionset-meta.xml", $"""
            <?xml version="1.0"?>
            <!DOCTYPE lolz [ <!ENTITY lol0 "lol"> {entities} ]>
            <PermissionSet><label>&lol9;</label></PermissionSet>
            """);

        var org = OrgMetadata.Load(dir.Path);

        Assert.Contains("DTD", Assert.Single(org.Problems).Message, StringComparison.Ordinal);
        Assert.Empty(org.PermissionSets);
    }

    [Fact]
    public void A_missing_folder_is_an_input_error()
    {
        var e = Assert.Throws<Breachline.Common.InputException>(() => OrgMetadata.Load("/no/such/metadata"));
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    private static void Write(string root, string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
