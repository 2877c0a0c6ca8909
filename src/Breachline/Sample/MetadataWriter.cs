namespace Breachline.Sample;

/// <summary>
/// Writes metadata/ in SFDX source layout with the element names of the Metadata API, planting every leak
/// pattern at least once with a clean look-alike beside it. EDA objects carry the hed__ namespace, as they
/// do when retrieved from a subscriber org.
/// </summary>
internal static class MetadataWriter
{
    private const string Root = "metadata/force-app/main/default";
    private const string Xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    private const string Ns = "xmlns=\"http://soap.sforce.com/2006/04/metadata\"";

    public static void Plant(Plantings p, OrgProfile org)
    {
        var token = org.Options.Scenario == SampleScenario.TokenTheft;
        var guest = org.Options.Scenario == SampleScenario.GuestExposure;

        p.File("metadata/sfdx-project.json").Lines("""
            {
              "packageDirectories": [{ "path": "force-app", "default": true }],
              "name": "crm-org",
              "namespace": "",
              "sfdcLoginUrl": "https://login.salesforce.com",
              "sourceApiVersion": "62.0"
            }
            """);

        Objects(p);
        ConnectedApps(p, org, token);
        Profiles(p, guest);
        PermissionSets(p);
        SharingRules(p, guest);
        RemoteSites(p, org);
        NamedCredentials(p, org);
        Settings(p);
    }

    private static void Objects(Plantings p)
    {
        p.File($"{Root}/objects/Contact/Contact.object-meta.xml").Lines($"""
            {Xml}
            <CustomObject {Ns}>
                <enableFeeds>false</enableFeeds>
                <enableHistory>true</enableHistory>
                <externalSharingModel>Private</externalSharingModel>
                <sharingModel>ControlledByParent</sharingModel>
            </CustomObject>
            """);
        var ssn = p.File($"{Root}/objects/Contact/fields/hed__Social_Security_Number__c.field-meta.xml").Lines($"""
            {Xml}
            <CustomField {Ns}>
                <fullName>hed__Social_Security_Number__c</fullName>
                <description>Social Security Number. Encrypted for confidentiality. Only users with the View Encrypted Data permission can see the unencrypted value.</description>
                <externalId>false</externalId>
                <label>Social Security Number</label>
                <length>12</length>
                <maskChar>X</maskChar>
                <maskType>ssn</maskType>
                <required>false</required>
            """);
        ssn.Finding("insufficient-logging", "SSN field changes are not tracked in field history", "    <trackHistory>false</trackHistory>");
        ssn.Lines("""
                <type>EncryptedText</type>
            </CustomField>
            """);
        var ferpa = p.File($"{Root}/objects/Contact/fields/hed__FERPA__c.field-meta.xml").Lines($"""
            {Xml}
            <CustomField {Ns}>
                <fullName>hed__FERPA__c</fullName>
                <defaultValue>false</defaultValue>
                <description>Indicates whether this person has opted out of disclosure of information per the Family Education Rights and Privacy Act.</description>
                <externalId>false</externalId>
                <label>FERPA</label>
            """);
        ferpa.Negative("insufficient-logging", "FERPA opt-out changes are tracked", "    <trackHistory>true</trackHistory>");
        ferpa.Lines("""
                <type>Checkbox</type>
            </CustomField>
            """);
        Field(p, "Contact", "hed__Citizenship_Status__c", "Citizenship Status", "Picklist", "The Contact's citizenship status.", valueSet: ["U.S. Citizen or U.S. National", "U.S. Dual Citizen", "U.S. Permanent Resident", "U.S. Refugee or Asylee", "Temporary Resident", "Other (Non-U.S.)"]);
        Field(p, "Contact", "hed__Country_of_Origin__c", "Country of Origin", "Text", "The Contact's country of origin.", length: 255);
        Field(p, "Contact", "hed__Financial_Aid_Applicant__c", "Financial Aid Applicant", "Checkbox", "Indicates whether this Contact applied for financial aid.");
        Field(p, "Contact", "hed__UniversityEmail__c", "University Email", "Email", "The Contact's university email address.");

        ObjectFile(p, "hed__Affiliation__c", "Affiliation", "Private", true, null);
        ObjectFile(p, "hed__Program_Enrollment__c", "Program Enrollment", "ReadWrite", false, "GPA and class standing");
        Field(p, "hed__Program_Enrollment__c", "hed__GPA__c", "GPA", "Number", "The student's current grade point average.", precision: 4, scale: 3);
        Field(p, "hed__Program_Enrollment__c", "hed__Enrollment_Status__c", "Enrollment Status", "Picklist", "The student's enrollment status.", valueSet: ["Current", "Leave of Absence", "Former"]);
        ObjectFile(p, "hed__Course_Enrollment__c", "Course Connection", "ReadWrite", false, "course grades");
        Field(p, "hed__Course_Enrollment__c", "hed__Grade__c", "Grade", "Number", "The numeric grade the student earned in this Course Offering.", precision: 6, scale: 2);
        Field(p, "hed__Course_Enrollment__c", "hed__Status__c", "Status", "Picklist", "The status of this Course Connection.", valueSet: ["Current", "Former", "Dropped"]);
        ObjectFile(p, "hed__Term_Grade__c", "Term Grade", "Private", true, null);
        Field(p, "hed__Term_Grade__c", "hed__Letter_Grade__c", "Letter Grade", "Text", "The letter grade the student earned.", length: 20, track: true);
        ObjectFile(p, "Financial_Aid_Award__c", "Financial Aid Award", "Private", true, null);
        Field(p, "Financial_Aid_Award__c", "Amount__c", "Amount", "Currency", "Amount awarded for the aid year.", precision: 10, scale: 2, track: true);
        Field(p, "Financial_Aid_Award__c", "Contact__c", "Student", "Lookup", "The student who receives the award.", referenceTo: "Contact");
    }

    private static void ObjectFile(Plantings p, string name, string label, string sharing, bool history, string? holds)
    {
        var f = p.File($"{Root}/objects/{name}/{name}.object-meta.xml").Lines($"""
            {Xml}
            <CustomObject {Ns}>
                <deploymentStatus>Deployed</deploymentStatus>
                <enableActivities>false</enableActivities>
                <enableBulkApi>true</enableBulkApi>
                <enableFeeds>false</enableFeeds>
            """);
        if (history)
        {
            f.Negative("insufficient-logging", $"{label}: field history enabled", "    <enableHistory>true</enableHistory>");
        }
        else
        {
            f.Finding("insufficient-logging", $"{label} ({holds}): no field history on student records", "    <enableHistory>false</enableHistory>");
        }

        f.Lines($"""
                <enableReports>true</enableReports>
                <enableSearch>true</enableSearch>
                <enableSharing>true</enableSharing>
                <enableStreamingApi>true</enableStreamingApi>
                <externalSharingModel>Private</externalSharingModel>
                <label>{label}</label>
                <pluralLabel>{label}s</pluralLabel>
            """);
        if (sharing == "ReadWrite")
        {
            f.Finding("open-sharing", $"{label} ({holds}): org-wide default Public Read/Write", "    <sharingModel>ReadWrite</sharingModel>");
        }
        else
        {
            f.Negative("open-sharing", $"{label}: org-wide default Private", $"    <sharingModel>{sharing}</sharingModel>");
        }

        f.Lines("""
                <visibility>Public</visibility>
            </CustomObject>
            """);
    }

    private static void Field(Plantings p, string obj, string name, string label, string type, string description,
        int? length = null, int? precision = null, int? scale = null, string[]? valueSet = null, bool track = false, string? referenceTo = null)
    {
        var f = p.File($"{Root}/objects/{obj}/fields/{name}.field-meta.xml").Lines($"""
            {Xml}
            <CustomField {Ns}>
                <fullName>{name}</fullName>
                <description>{description.Replace("'", "&apos;", StringComparison.Ordinal)}</description>
                <externalId>false</externalId>
                <label>{label}</label>
            """);
        if (length is { } l)
        {
            f.Line($"    <length>{l}</length>");
        }

        if (precision is { } pr)
        {
            f.Line($"    <precision>{pr}</precision>");
        }

        if (referenceTo is not null)
        {
            f.Line($"    <referenceTo>{referenceTo}</referenceTo>");
            f.Line("    <relationshipName>Financial_Aid_Awards</relationshipName>");
            f.Line("    <deleteConstraint>SetNull</deleteConstraint>");
        }

        f.Line("    <required>false</required>");
        if (scale is { } sc)
        {
            f.Line($"    <scale>{sc}</scale>");
        }

        f.Line($"    <trackHistory>{(track ? "true" : "false")}</trackHistory>");
        f.Line($"    <type>{type}</type>");
        if (valueSet is not null)
        {
            f.Line("    <valueSet>");
            f.Line("        <valueSetDefinition>");
            f.Line("            <sorted>false</sorted>");
            foreach (var v in valueSet)
            {
                f.Line("            <value>");
                f.Line($"                <fullName>{v}</fullName>");
                f.Line("                <default>false</default>");
                f.Line($"                <label>{v}</label>");
                f.Line("            </value>");
            }

            f.Line("        </valueSetDefinition>");
            f.Line("    </valueSet>");
        }

        f.Line("</CustomField>");
    }

    private static void ConnectedApps(Plantings p, OrgProfile org, bool exploited)
    {
        var chat = p.File($"{Root}/connectedApps/Campus_Chat.connectedApp-meta.xml").Lines($"""
            {Xml}
            <ConnectedApp {Ns}>
                <contactEmail>integrations@{org.UserDomain}</contactEmail>
                <description>Campus Chat live chat and chatbot: reads contacts and enrollments to answer students.</description>
                <label>Campus Chat</label>
                <oauthConfig>
                    <callbackUrl>https://app.campuschat.example/oauth/salesforce/callback</callbackUrl>
            """);
        chat.Finding("over-permissive-oauth", "users may authorize the app without admin approval", "        <isAdminApproved>false</isAdminApproved>", exploited);
        chat.Line("        <isConsumerSecretOptional>false</isConsumerSecretOptional>");
        chat.Line("        <isIntrospectAllTokens>false</isIntrospectAllTokens>");
        chat.Line("        <isSecretRequiredForRefreshToken>false</isSecretRequiredForRefreshToken>");
        chat.Line("        <scopes>Api</scopes>");
        chat.Finding("over-permissive-oauth", "Full scope: all data the user can reach", "        <scopes>Full</scopes>", exploited);
        chat.Line("        <scopes>RefreshToken</scopes>");
        chat.Line("    </oauthConfig>");
        chat.Line("    <oauthPolicy>");
        chat.Finding("over-permissive-oauth", "ipRelaxation BYPASS: tokens work from any address", "        <ipRelaxation>BYPASS</ipRelaxation>", exploited);
        chat.Finding("over-permissive-oauth", "refresh tokens never expire", "        <refreshTokenPolicy>infinite</refreshTokenPolicy>", exploited);
        chat.Lines("""
                </oauthPolicy>
            </ConnectedApp>
            """);

        CleanApp(p, org, "LMS_Connector", "LMS Connector", "Grade and roster sync with the learning management system.", "https://lms-sync.lakeshore-state.edu/oauth/callback", "specific_lifetime:90:DAYS", "LMS_Integration");
        CleanApp(p, org, "Student_Portal_Sync", "Student Portal Sync", "Student self-service portal: profile, schedule and holds.", "https://portal.campusbridge.example/oauth/callback", "specific_inactivity:30:DAYS", "Portal_Integration");
        CleanApp(p, org, "Marketing_Connect", "Marketing Connect", "Recruitment journeys for prospective students.", "https://mc.marketing.example/oauth/callback", "specific_lifetime:180:DAYS", "Marketing_Integration");
    }

    private static void CleanApp(Plantings p, OrgProfile org, string name, string label, string description, string callback, string policy, string permissionSet)
    {
        var f = p.File($"{Root}/connectedApps/{name}.connectedApp-meta.xml").Lines($"""
            {Xml}
            <ConnectedApp {Ns}>
                <contactEmail>integrations@{org.UserDomain}</contactEmail>
                <description>{description}</description>
                <label>{label}</label>
                <oauthConfig>
                    <callbackUrl>{callback}</callbackUrl>
            """);
        f.Negative("over-permissive-oauth", "admin-approved app, pre-authorized by permission set", "        <isAdminApproved>true</isAdminApproved>");
        f.Lines("""
                    <isConsumerSecretOptional>false</isConsumerSecretOptional>
                    <isIntrospectAllTokens>false</isIntrospectAllTokens>
                    <isRefreshTokenRotationEnabled>true</isRefreshTokenRotationEnabled>
                    <isSecretRequiredForRefreshToken>true</isSecretRequiredForRefreshToken>
                    <scopes>Api</scopes>
                    <scopes>RefreshToken</scopes>
                </oauthConfig>
                <oauthPolicy>
            """);
        f.Negative("over-permissive-oauth", "IP restrictions enforced", "        <ipRelaxation>ENFORCE</ipRelaxation>");
        f.Negative("over-permissive-oauth", "refresh tokens expire", $"        <refreshTokenPolicy>{policy}</refreshTokenPolicy>");
        f.Lines($"""
                </oauthPolicy>
                <permissionSetName>{permissionSet}</permissionSetName>
            </ConnectedApp>
            """);
    }

    private static void Profiles(Plantings p, bool exploited)
    {
        p.File($"{Root}/profiles/Admin.profile-meta.xml").Lines($"""
            {Xml}
            <Profile {Ns}>
                <custom>false</custom>
                <userLicense>Salesforce</userLicense>
                {Perm("ApiEnabled")}
                {Perm("AssignPermissionSets")}
                {Perm("CustomizeApplication")}
                {Perm("ManageProfilesPermissionsets")}
                {Perm("ManageUsers")}
                {Perm("ModifyAllData")}
                {Perm("ViewAllData")}
                {Perm("ViewEventLogFiles")}
                {Perm("ViewSetup")}
            </Profile>
            """);
        p.File($"{Root}/profiles/Lakeshore Staff.profile-meta.xml").Lines($"""
            {Xml}
            <Profile {Ns}>
                <custom>true</custom>
                <objectPermissions>
                    <allowCreate>true</allowCreate>
                    <allowDelete>false</allowDelete>
                    <allowEdit>true</allowEdit>
                    <allowRead>true</allowRead>
                    <modifyAllRecords>false</modifyAllRecords>
                    <object>Contact</object>
                    <viewAllRecords>false</viewAllRecords>
                </objectPermissions>
                <userLicense>Salesforce</userLicense>
                {Perm("ApiEnabled")}
                {Perm("RunReports")}
            </Profile>
            """);
        p.File($"{Root}/profiles/Minimum Access - API Only Integrations.profile-meta.xml").Lines($"""
            {Xml}
            <Profile {Ns}>
                <custom>false</custom>
                <userLicense>Salesforce Integration</userLicense>
                {Perm("ApiEnabled")}
                {Perm("ApiUserOnly")}
            </Profile>
            """);
        var g = p.File($"{Root}/profiles/Admissions Portal Profile.profile-meta.xml").Lines($"""
            {Xml}
            <Profile {Ns}>
                <custom>true</custom>
            """);
        foreach (var field in new[] { "Contact.Birthdate", "Contact.Email", "Contact.MailingStreet", "Contact.MailingCity", "Contact.MailingPostalCode", "Contact.Phone", "Contact.hed__Citizenship_Status__c" })
        {
            g.Line("    <fieldPermissions>");
            g.Line("        <editable>false</editable>");
            g.Line($"        <field>{field}</field>");
            g.Finding("guest-exposure", $"guest user can read {field}", "        <readable>true</readable>", exploited);
            g.Line("    </fieldPermissions>");
        }

        g.Lines("""
                <fieldPermissions>
                    <editable>false</editable>
                    <field>hed__Course_Offering__c.hed__Capacity__c</field>
            """);
        g.Negative("guest-exposure", "guest reads the public course catalogue", "        <readable>true</readable>");
        g.Lines("""
                </fieldPermissions>
                <objectPermissions>
                    <allowCreate>false</allowCreate>
                    <allowDelete>false</allowDelete>
                    <allowEdit>false</allowEdit>
            """);
        g.Finding("guest-exposure", "guest user can read Contact records", "        <allowRead>true</allowRead>", exploited);
        g.Lines("""
                    <modifyAllRecords>false</modifyAllRecords>
                    <object>Contact</object>
                    <viewAllRecords>false</viewAllRecords>
                </objectPermissions>
                <objectPermissions>
                    <allowCreate>false</allowCreate>
                    <allowDelete>false</allowDelete>
                    <allowEdit>false</allowEdit>
            """);
        g.Negative("guest-exposure", "guest reads course offerings (catalogue)", "        <allowRead>true</allowRead>");
        g.Lines("""
                    <modifyAllRecords>false</modifyAllRecords>
                    <object>hed__Course_Offering__c</object>
                    <viewAllRecords>false</viewAllRecords>
                </objectPermissions>
                <userLicense>Guest User License</userLicense>
            </Profile>
            """);
    }

    private static string Perm(string name) =>
        $"<userPermissions>\n        <enabled>true</enabled>\n        <name>{name}</name>\n    </userPermissions>";

    private static void PermissionSets(Plantings p)
    {
        var h = p.File($"{Root}/permissionsets/Help_Desk_Admin.permissionset-meta.xml").Lines($"""
            {Xml}
            <PermissionSet {Ns}>
                <description>Tier-2 help desk: unlock accounts and fix user records.</description>
                <hasActivationRequired>false</hasActivationRequired>
                <label>Help Desk Admin</label>
                <userPermissions>
                    <enabled>true</enabled>
            """);
        h.Finding("privilege-escalation", "AssignPermissionSets with ManageUsers: the holder can grant any permission set, including to itself", "        <name>AssignPermissionSets</name>");
        h.Lines("""
                </userPermissions>
                <userPermissions>
                    <enabled>true</enabled>
            """);
        h.Finding("privilege-escalation", "ManageUsers on a non-admin permission set: can change profiles and reset admin passwords", "        <name>ManageUsers</name>");
        h.Lines("""
                </userPermissions>
                <userPermissions>
                    <enabled>true</enabled>
                    <name>ViewSetup</name>
                </userPermissions>
            </PermissionSet>
            """);
        var r = p.File($"{Root}/permissionsets/Password_Reset_Helper.permissionset-meta.xml").Lines($"""
            {Xml}
            <PermissionSet {Ns}>
                <description>Front-desk staff: reset passwords of standard users only.</description>
                <hasActivationRequired>false</hasActivationRequired>
                <label>Password Reset Helper</label>
                <userPermissions>
                    <enabled>true</enabled>
            """);
        r.Negative("privilege-escalation", "ResetPasswords alone grants no way to raise privileges", "        <name>ResetPasswords</name>");
        r.Lines("""
                </userPermissions>
            </PermissionSet>
            """);
        p.File($"{Root}/permissionsets/View_Encrypted_Data.permissionset-meta.xml").Lines($"""
            {Xml}
            <PermissionSet {Ns}>
                <description>See encrypted fields (SSN) unmasked. Registrar and CRM administrators only.</description>
                <hasActivationRequired>false</hasActivationRequired>
                <label>View Encrypted Data</label>
                {Perm("ViewEncryptedData")}
            </PermissionSet>
            """);
        foreach (var (name, label, objects) in new[]
        {
            ("LMS_Integration", "LMS Integration", new[] { "hed__Course_Enrollment__c", "hed__Term_Grade__c" }),
            ("Portal_Integration", "Portal Integration", new[] { "Contact", "hed__Program_Enrollment__c", "hed__Course_Enrollment__c", "hed__Term_Grade__c", "Financial_Aid_Award__c" }),
            ("Campus_Chat_Integration", "Campus Chat Integration", new[] { "Contact", "hed__Course_Enrollment__c", "hed__Program_Enrollment__c" }),
            ("Marketing_Integration", "Marketing Integration", new[] { "Contact" }),
        })
        {
            var f = p.File($"{Root}/permissionsets/{name}.permissionset-meta.xml").Lines($"""
                {Xml}
                <PermissionSet {Ns}>
                    <description>API access for the {label} user.</description>
                    <hasActivationRequired>false</hasActivationRequired>
                    <label>{label}</label>
                """);
            foreach (var obj in objects)
            {
                f.Lines($"""
                        <objectPermissions>
                            <allowCreate>false</allowCreate>
                            <allowDelete>false</allowDelete>
                            <allowEdit>{(name == "LMS_Integration" ? "true" : "false")}</allowEdit>
                            <allowRead>true</allowRead>
                            <modifyAllRecords>false</modifyAllRecords>
                            <object>{obj}</object>
                            <viewAllRecords>true</viewAllRecords>
                        </objectPermissions>
                    """);
            }

            f.Lines($"""
                    {Perm("ApiEnabled")}
                </PermissionSet>
                """);
        }
    }

    private static void SharingRules(Plantings p, bool exploited)
    {
        var c = p.File($"{Root}/sharingRules/Contact.sharingRules-meta.xml").Lines($"""
            {Xml}
            <SharingRules {Ns}>
                <sharingCriteriaRules>
                    <fullName>Advisors_See_Students</fullName>
                    <accessLevel>Read</accessLevel>
                    <label>Advisors See Students</label>
                    <sharedTo>
            """);
        c.Negative("open-sharing", "read access shared with one role", "            <role>Academic_Advising</role>");
        c.Lines("""
                    </sharedTo>
                    <criteriaItems>
                        <field>LeadSource</field>
                        <operation>notEqual</operation>
                        <value></value>
                    </criteriaItems>
                    <includeRecordsOwnedByAll>true</includeRecordsOwnedByAll>
                </sharingCriteriaRules>
                <sharingGuestRules>
                    <fullName>Applicants_Status_Lookup</fullName>
                    <accessLevel>Read</accessLevel>
                    <description>Lets applicants check their application status on the admissions site.</description>
                    <label>Applicants Status Lookup</label>
                    <sharedTo>
            """);
        c.Finding("guest-exposure", "Contact records shared with the admissions site guest user", "            <guestUser>Admissions_Portal</guestUser>", exploited);
        c.Lines("""
                    </sharedTo>
                    <criteriaItems>
                        <field>LeadSource</field>
                        <operation>equals</operation>
                        <value>Admissions Portal</value>
                    </criteriaItems>
                    <includeHVUOwnedRecords>false</includeHVUOwnedRecords>
                </sharingGuestRules>
            </SharingRules>
            """);
        var o = p.File($"{Root}/sharingRules/hed__Course_Offering__c.sharingRules-meta.xml").Lines($"""
            {Xml}
            <SharingRules {Ns}>
                <sharingGuestRules>
                    <fullName>Public_Course_Catalogue</fullName>
                    <accessLevel>Read</accessLevel>
                    <description>The public class schedule on the admissions site.</description>
                    <label>Public Course Catalogue</label>
                    <sharedTo>
            """);
        o.Negative("guest-exposure", "guest sees course offerings only (no personal data)", "            <guestUser>Admissions_Portal</guestUser>");
        o.Lines("""
                    </sharedTo>
                    <criteriaItems>
                        <field>hed__Capacity__c</field>
                        <operation>greaterThan</operation>
                        <value>0</value>
                    </criteriaItems>
                    <includeHVUOwnedRecords>false</includeHVUOwnedRecords>
                </sharingGuestRules>
            </SharingRules>
            """);
        var t = p.File($"{Root}/sharingRules/hed__Term_Grade__c.sharingRules-meta.xml").Lines($"""
            {Xml}
            <SharingRules {Ns}>
                <sharingCriteriaRules>
                    <fullName>All_Staff_Edit_Grades</fullName>
                    <accessLevel>Edit</accessLevel>
                    <label>All Staff Edit Grades</label>
                    <sharedTo>
            """);
        t.Finding("open-sharing", "every internal user may edit every term grade", "            <allInternalUsers></allInternalUsers>");
        t.Lines("""
                    </sharedTo>
                    <criteriaItems>
                        <field>hed__Result__c</field>
                        <operation>notEqual</operation>
                        <value></value>
                    </criteriaItems>
                    <includeRecordsOwnedByAll>true</includeRecordsOwnedByAll>
                </sharingCriteriaRules>
            </SharingRules>
            """);
    }

    private static void RemoteSites(Plantings p, OrgProfile org)
    {
        var l = p.File($"{Root}/remoteSiteSettings/Legacy_SIS_Export.remoteSite-meta.xml").Lines($"""
            {Xml}
            <RemoteSiteSetting {Ns}>
                <description>Nightly transcript push to the legacy student information system.</description>
            """);
        l.Finding("insecure-transfer", "callouts may downgrade from HTTPS to HTTP", "    <disableProtocolSecurity>true</disableProtocolSecurity>");
        l.Line("    <isActive>true</isActive>");
        l.Finding("insecure-transfer", "student data sent over plain HTTP", $"    <url>http://sis-legacy.{org.UserDomain}:8080</url>");
        l.Line("</RemoteSiteSetting>");
        var c = p.File($"{Root}/remoteSiteSettings/Canvas_LMS.remoteSite-meta.xml").Lines($"""
            {Xml}
            <RemoteSiteSetting {Ns}>
                <description>Canvas LMS REST API.</description>
            """);
        c.Negative("insecure-transfer", "protocol security kept", "    <disableProtocolSecurity>false</disableProtocolSecurity>");
        c.Line("    <isActive>true</isActive>");
        c.Negative("insecure-transfer", "HTTPS endpoint", "    <url>https://lakeshore-state.instructure.com</url>");
        c.Line("</RemoteSiteSetting>");
    }

    private static void NamedCredentials(Plantings p, OrgProfile org)
    {
        var n = p.File($"{Root}/namedCredentials/LMS_API.namedCredential-meta.xml").Lines($"""
            {Xml}
            <NamedCredential {Ns}>
                <allowMergeFieldsInBody>false</allowMergeFieldsInBody>
                <allowMergeFieldsInHeader>false</allowMergeFieldsInHeader>
                <calloutStatus>Enabled</calloutStatus>
                <generateAuthorizationHeader>true</generateAuthorizationHeader>
                <label>LMS API</label>
                <namedCredentialParameters>
                    <parameterName>Url</parameterName>
                    <parameterType>Url</parameterType>
                    <parameterValue>https://lms-sync.{org.UserDomain}/api/v2</parameterValue>
                </namedCredentialParameters>
                <namedCredentialParameters>
            """);
        n.Negative("hardcoded-credential", "secret held by an external credential, not in metadata", "            <externalCredential>LMS_OAuth</externalCredential>");
        n.Lines("""
                        <parameterName>ExternalCredential</parameterName>
                        <parameterType>Authentication</parameterType>
                    </namedCredentialParameters>
                    <namedCredentialType>SecuredEndpoint</namedCredentialType>
                </NamedCredential>
                """);
    }

    private static void Settings(Plantings p)
    {
        p.File($"{Root}/settings/Sharing.settings-meta.xml").Lines($"""
            {Xml}
            <SharingSettings {Ns}>
                <enableCommunityUserVisibility>false</enableCommunityUserVisibility>
                <enableExternalSharingModel>true</enableExternalSharingModel>
                <enableManualUserRecordSharing>false</enableManualUserRecordSharing>
                <enablePortalUserVisibility>false</enablePortalUserVisibility>
                <enableSecureGuestAccess>true</enableSecureGuestAccess>
            </SharingSettings>
            """);
        var c = p.File($"{Root}/settings/ConnectedApp.settings-meta.xml").Lines($"""
            {Xml}
            <ConnectedAppSettings {Ns}>
            """);
        c.Finding("over-permissive-oauth", "API Access Control off: any user may authorize any connected app", "    <enableAdminApprovedAppsOnly>false</enableAdminApprovedAppsOnly>");
        c.Lines("""
                <enableAdminApprovedAppsOnlyForExternalUser>true</enableAdminApprovedAppsOnlyForExternalUser>
            </ConnectedAppSettings>
            """);
    }
}
