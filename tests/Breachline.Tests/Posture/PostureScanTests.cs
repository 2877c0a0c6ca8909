using Breachline.Posture;

namespace Breachline.Tests.Posture;

public sealed class PostureScanTests
{
    [Fact]
    public void The_EDA_metadata_shows_its_public_read_write_student_objects_and_missing_field_history()
    {
        var result = PostureScan.Run(Fixtures.Path("scan", "eda-metadata"));

        var openObjects = result.Findings.Where(f => f.Rule == "sharing-public-read-write-student-object").Select(f => f.Detail).ToList();
        foreach (var obj in new[] { "Course_Enrollment__c", "Program_Enrollment__c", "Term_Grade__c", "Affiliation__c" })
        {
            Assert.Contains(openObjects, d => d.Contains($"object {obj} ", StringComparison.Ordinal));
        }

        var history = result.Findings.Where(f => f.Pattern == "insufficient-logging").ToList();
        Assert.Contains(history, f => f.Rule == "logging-no-object-history-student" && f.Detail.Contains("Course_Enrollment__c", StringComparison.Ordinal));
        Assert.Contains(history, f => f.Rule == "logging-no-field-history-sensitive" && f.Detail.Contains("Contact.Social_Security_Number__c", StringComparison.Ordinal));
        var finding = result.Findings.First(f => f.Rule == "sharing-public-read-write-student-object");
        Assert.Equal(["CC6.1", "CC6.3", "C1.1"], finding.Criteria);
        Assert.NotNull(finding.Evidence);
        Assert.Equal(finding.Location.Line, finding.Evidence!.Line);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Findings_are_sorted_most_severe_first_and_their_ids_are_stable()
    {
        var first = PostureScan.Run(Fixtures.Path("scan", "eda-metadata"));
        var second = PostureScan.Run(Fixtures.Path("scan", "eda-metadata"));

        Assert.Equal(first.Findings.Select(f => f.Id), second.Findings.Select(f => f.Id));
        Assert.Equal(first.Findings.Select(f => f.Severity).OrderDescending(), first.Findings.Select(f => f.Severity));
        Assert.Equal(first.Findings.Count, first.Findings.Select(f => f.Id).Distinct().Count());
    }

    [Fact]
    public void A_hostile_metadata_file_is_a_problem_while_the_rest_of_the_export_is_scanned()
    {
        using var dir = new TempDir();
        var objects = dir.Combine("metadata", "objects", "Contact");
        Directory.CreateDirectory(objects);
        File.WriteAllText(Path.Combine(objects, "Contact.object-meta.xml"), "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<CustomObject>&e;</CustomObject>\n");
        var site = dir.Combine("metadata", "remoteSiteSettings");
        Directory.CreateDirectory(site);
        File.WriteAllText(Path.Combine(site, "Sis.remoteSite-meta.xml"), "<?xml version=\"1.0\"?>\n<RemoteSiteSetting>\n  <isActive>true</isActive>\n  <url>http://sis.example.edu</url>\n</RemoteSiteSetting>\n");

        var result = PostureScan.Run(dir.Path);

        Assert.Equal("metadata/objects/Contact/Contact.object-meta.xml", Assert.Single(result.Problems).File);
        var http = Assert.Single(result.Findings, f => f.Rule == "transfer-remote-site-http");
        Assert.Equal(new FindingLocation("metadata/remoteSiteSettings/Sis.remoteSite-meta.xml", 4), http.Location);
    }

    [Fact]
    public void Missing_Event_Monitoring_types_are_reported_when_the_export_has_logs()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("logs"));
        File.WriteAllText(dir.Combine("logs", "login.csv"), "\"EVENT_TYPE\",\"TIMESTAMP\",\"USER_ID\"\n\"Login\",\"20260301120000.000\",\"005000000000001\"\n");

        var result = PostureScan.Run(dir.Path);

        var missing = result.Findings.Where(f => f.Rule == "logging-event-monitoring-missing").Select(f => f.Detail).ToList();
        Assert.Contains(missing, d => d.Contains("no BulkApi events", StringComparison.Ordinal));
        Assert.DoesNotContain(missing, d => d.Contains("no Login events", StringComparison.Ordinal));
    }

    [Fact]
    public void A_secret_pasted_into_a_record_export_is_found_masked_at_its_row()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("records"));
        var token = "ghp_" + string.Concat(Enumerable.Range(0, 36).Select(i => (char)('a' + ((i * 7) % 26))));
        File.WriteAllText(dir.Combine("records", "Case.csv"), $"Id,Subject,Description\n500000000000001,Portal down,\"try my token {token} please\"\n");

        var result = PostureScan.Run(dir.Path);

        var finding = Assert.Single(result.Findings, f => f.Pattern == "hardcoded-credential");
        Assert.Equal("secret-in-records/github-token", finding.Rule);
        Assert.Equal(new FindingLocation("records/Case.csv", 2, 43), finding.Location);
        Assert.DoesNotContain(token, finding.Detail, StringComparison.Ordinal);
        Assert.Contains("ghp_…(40)", finding.Detail, StringComparison.Ordinal);
    }
}
