using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Breachline.Org;
using Breachline.Sample;
using NodaTime;

namespace Breachline.Tests.Sample;

[Collection(SampleOrgCollection.Name)]
public sealed partial class SampleConsistencyTests(SampleOrgFixture orgs)
{
    public static TheoryData<string> Scenarios => [.. ScenarioNames.All];

    private static readonly string[] EventTypes = ["Login", "Logout", "API", "RestApi", "BulkApi", "BulkApi2", "ApiTotalUsage", "UniqueQuery", "ReportExport", "URI", "AuraRequest"];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Org_yaml_loads_with_the_org_facts_reader_and_every_part_exists(string scenario)
    {
        var export = OrgExport.Open(orgs.Root(scenario));
        var facts = export.Facts!;
        var truth = orgs.Truth(scenario);
        Assert.Equal(truth.Org.OrgId, facts.OrgId);
        Assert.Equal("America/Chicago", facts.TimeZone);
        Assert.Equal(truth.Org.Kind, facts.Kind);
        Assert.Equal("US-IL", facts.HomeJurisdiction);
        Assert.NotNull(facts.AuditPeriod);
        Assert.NotEmpty(facts.DataFlows);
        foreach (var dir in new[] { export.MetadataPath, export.LogsPath, export.RecordsPath, export.IntegrationsPath, export.GatewayPath })
        {
            Assert.True(Directory.Exists(dir), dir);
        }

        Assert.Equal(scenario == "portal-credentials", export.CustomersPath is not null);
        Assert.True(File.Exists(Path.Combine(export.MetadataPath, "force-app", "main", "default", "connectedApps", "Campus_Chat.connectedApp-meta.xml")));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Truth_json_matches_its_schema(string scenario) =>
        SchemaValidation.AssertValid(orgs.TruthJson(scenario), "truth.schema.json");

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_id_in_the_logs_exists_in_the_records(string scenario)
    {
        var root = orgs.Root(scenario);
        var records = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(root, "records"), "*.csv"))
        {
            foreach (var row in SampleOrgFixture.ReadCsv(file))
            {
                Assert.True(SalesforceId.IsValid18(row["Id"]), $"{file}: {row["Id"]}");
                records.Add(row["Id"]);
            }
        }

        var orgId = orgs.Truth(scenario).Org.OrgId;
        var checkedIds = 0;
        foreach (var type in EventTypes)
        {
            var rows = SampleOrgFixture.ReadCsv(Path.Combine(root, "logs", type + ".csv"));
            Assert.NotEmpty(rows);
            foreach (var row in rows)
            {
                Assert.Equal(type, row["EVENT_TYPE"]);
                Assert.Equal(orgId[..15], row["ORGANIZATION_ID"]);
                var derived = row["USER_ID_DERIVED"];
                Assert.Contains(derived, records);
                Assert.Equal(derived[..15], row["USER_ID"]);
                checkedIds++;
                if (row.TryGetValue("URI_ID_DERIVED", out var uriId) && uriId.Length > 0)
                {
                    Assert.Contains(uriId, records);
                }

                if (row.TryGetValue("CONNECTED_APP_ID", out var app) && app.Length > 0)
                {
                    Assert.Contains(SalesforceId.To18(app), records);
                }
            }
        }

        foreach (var row in SampleOrgFixture.ReadCsv(Path.Combine(root, "logs", "SetupAuditTrail.csv")))
        {
            Assert.Contains(row["CreatedById"], records);
        }

        foreach (var line in File.ReadLines(Path.Combine(root, "gateway", "portal-gateway.jsonl")))
        {
            if (JsonNode.Parse(line)!["contact_id"]?.GetValue<string>() is { } contact)
            {
                Assert.Contains(contact, records);
            }
        }

        Assert.True(checkedIds > 1000, $"only {checkedIds} log rows");
    }

    [GeneratedRegex(@"^\d{14}(\.\d{1,3})?$")]
    private static partial Regex ElfTimestamp();

    [Fact]
    public void Timestamps_are_GMT_with_zero_to_three_fraction_digits_and_agree_with_the_derived_column()
    {
        var seen = new HashSet<int>();
        foreach (var row in SampleOrgFixture.ReadCsv(Path.Combine(orgs.Root("token-theft"), "logs", "RestApi.csv")))
        {
            var ts = row["TIMESTAMP"];
            Assert.Matches(ElfTimestamp(), ts);
            var dot = ts.IndexOf('.', StringComparison.Ordinal);
            seen.Add(dot < 0 ? 0 : ts.Length - dot - 1);
            var parsed = DateTime.ParseExact(ts[..14], "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
                .AddMilliseconds(dot < 0 ? 0 : int.Parse(ts[(dot + 1)..].PadRight(3, '0'), CultureInfo.InvariantCulture));
            var derived = DateTime.Parse(row["TIMESTAMP_DERIVED"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
            Assert.Equal(parsed, derived);
        }

        Assert.Equal([0, 1, 2, 3], seen.Order());
    }

    [Fact]
    public void Staff_log_in_during_working_hours_of_Chicago_on_both_sides_of_the_DST_change()
    {
        var zone = DateTimeZoneProviders.Tzdb["America/Chicago"];
        var utcHours = new Dictionary<bool, HashSet<int>> { [false] = [], [true] = [] };
        foreach (var row in SampleOrgFixture.ReadCsv(Path.Combine(orgs.Root("token-theft"), "logs", "Login.csv")).Where(r => r["URI"] == "/index.jsp"))
        {
            var instant = Instant.FromDateTimeUtc(DateTime.Parse(row["TIMESTAMP_DERIVED"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal));
            var local = instant.InZone(zone);
            Assert.True(local.Hour is >= 7 and <= 10 or 14 or 15, $"UI login at {local}");
            if (local.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday))
            {
                utcHours[local.Date >= new LocalDate(2026, 3, 8)].Add(instant.InUtc().Hour);
            }
        }

        // 07:00 local is 13:00 UTC before 8 March 2026 (CST) and 12:00 UTC after (CDT).
        Assert.Contains(13, utcHours[false]);
        Assert.DoesNotContain(12, utcHours[false]);
        Assert.Contains(12, utcHours[true]);
    }

    private static readonly Dictionary<string, Regex> FindingContent = new(StringComparer.Ordinal)
    {
        ["over-permissive-oauth"] = new(@"<(scopes|ipRelaxation|refreshTokenPolicy|isAdminApproved|enableAdminApprovedAppsOnly)>"),
        ["insufficient-logging"] = new(@"<(trackHistory|enableHistory)>|access_log"),
        ["hardcoded-credential"] = new(@"(?i)secret|password|key|token|client-id|AKIA|BEGIN|://\w+:|credential|ssh-|\$\{|getenv|environ"),
        ["open-sharing"] = new(@"<sharingModel>|<allInternalUsers>|<role>"),
        ["guest-exposure"] = new(@"<guestUser>|<readable>|<allowRead>"),
        ["privilege-escalation"] = new(@"<name>(AssignPermissionSets|ManageUsers|ResetPasswords)</name>"),
        ["insecure-transfer"] = new(@"(?i)http://|ftp://|disableProtocolSecurity|https://|sftp"),
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_planted_finding_and_look_alike_points_at_a_line_that_says_it(string scenario)
    {
        var root = orgs.Root(scenario);
        var truth = orgs.Truth(scenario);
        foreach (var f in truth.Findings.Concat(truth.Negatives))
        {
            var path = Path.Combine(root, f.Path);
            Assert.True(File.Exists(path), f.Path);
            var lines = File.ReadAllLines(path);
            Assert.InRange(f.Line, 1, lines.Length);
            Assert.Matches(FindingContent[f.Pattern], lines[f.Line - 1]);
        }

        foreach (var pattern in FindingContent.Keys)
        {
            Assert.Contains(truth.Findings, f => f.Pattern == pattern);
            Assert.Contains(truth.Negatives, f => f.Pattern == pattern);
        }

        Assert.Empty(truth.Findings.Select(f => (f.Path, f.Line)).Intersect(truth.Negatives.Select(f => (f.Path, f.Line))));
        Assert.Contains(truth.Findings, f => f.Exploited == true);
    }

    [Fact]
    public void Hard_coded_secrets_have_real_formats_and_the_look_alikes_do_not()
    {
        var root = orgs.Root("portal-credentials");
        var settings = File.ReadAllText(Path.Combine(root, "integrations", "student-portal", "portal", "settings.py"));
        Assert.Matches(new Regex("\"consumer_key\": \"3MVG9[A-Za-z0-9._]{80}\""), settings);
        Assert.Matches(new Regex("\"consumer_secret\": \"[0-9A-F]{64}\""), settings);
        var yml = File.ReadAllText(Path.Combine(root, "integrations", "lms-sync", "src", "main", "resources", "application.yml"));
        Assert.Matches(new Regex("access-key-id: AKIA[A-Z2-7]{16}\n"), yml);
        Assert.Matches(new Regex("refresh-token: 5Aep861[A-Za-z0-9._]{80}\n"), yml);
        Assert.StartsWith("-----BEGIN OPENSSH PRIVATE KEY-----", File.ReadAllText(Path.Combine(root, "integrations", "sftp-batch", "keys", "sis_transfer_ed25519")), StringComparison.Ordinal);
        Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", yml, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^SELECT (?<fields>.+?) FROM (?<object>\w+)(?: WHERE (?<field>\w+) (?<op>=|!=) '(?<value>[^']*)')?(?: LIMIT (?<limit>\d+) OFFSET (?<offset>\d+))?$")]
    private static partial Regex Soql();

    /// <summary>Runs the attack's SOQL over records/ with a reader of its own (no generator code): the ids it returns, in file order.</summary>
    private static List<string> Evaluate(string root, string soql)
    {
        var m = Soql().Match(soql);
        Assert.True(m.Success, soql);
        if (m.Groups["fields"].Value == "COUNT()")
        {
            return [];
        }

        var rows = SampleOrgFixture.ReadCsv(Path.Combine(root, "records", m.Groups["object"].Value + ".csv"));
        IEnumerable<Dictionary<string, string>> hits = rows;
        if (m.Groups["field"].Success)
        {
            var field = m.Groups["field"].Value;
            var value = m.Groups["value"].Value;
            hits = m.Groups["op"].Value == "=" ? hits.Where(r => r[field] == value) : hits.Where(r => r[field] != value);
        }

        if (m.Groups["limit"].Success)
        {
            hits = hits.Skip(int.Parse(m.Groups["offset"].Value, CultureInfo.InvariantCulture)).Take(int.Parse(m.Groups["limit"].Value, CultureInfo.InvariantCulture));
        }

        foreach (var f in m.Groups["fields"].Value.Split(", "))
        {
            Assert.True(rows.Count == 0 || rows[0].ContainsKey(f), $"{f} is not a column of {m.Groups["object"].Value}.csv");
        }

        return [.. hits.Select(r => r["Id"])];
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Exfiltrated_rows_equal_what_the_attack_queries_return_over_the_records(string scenario)
    {
        var root = orgs.Root(scenario);
        var truth = orgs.Truth(scenario);
        var returned = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var group in truth.Attack.Queries.GroupBy(q => (q.Object, q.Soql)))
        {
            var ids = Evaluate(root, group.Key.Soql);
            // A REST query read in pages (query, then queryMore) reports its rows over several log rows.
            Assert.Equal(ids.Count, group.Sum(q => q.Rows));
            if (!returned.TryGetValue(group.Key.Object, out var set))
            {
                returned[group.Key.Object] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.UnionWith(ids);
        }

        var nonEmpty = returned.Where(kv => kv.Value.Count > 0).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        Assert.Equal(nonEmpty.Keys.Order(StringComparer.Ordinal), truth.Attack.RowsByObject.Keys.Order(StringComparer.Ordinal));
        foreach (var (obj, ids) in nonEmpty)
        {
            Assert.Equal(ids.Count, truth.Attack.RowsByObject[obj]);
            Assert.Equal(ids.Order(StringComparer.Ordinal), truth.Attack.ExfiltratedIds[obj]);
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Each_malicious_query_is_a_log_row_of_the_attacker_with_its_rows(string scenario)
    {
        var root = orgs.Root(scenario);
        var truth = orgs.Truth(scenario);
        foreach (var q in truth.Attack.Queries)
        {
            var rows = SampleOrgFixture.ReadCsv(Path.Combine(root, "logs", q.EventType + ".csv")).Where(r => r["REQUEST_ID"] == q.RequestId).ToList();
            var row = Assert.Single(rows);
            Assert.Equal(q.User, row["USER_ID_DERIVED"]);
            Assert.Contains(q.User, truth.Attack.Users);
            Assert.Contains(q.Ip, truth.Attack.Ips);
            if (row.TryGetValue("ROWS_PROCESSED", out var processed))
            {
                Assert.Equal(q.Rows.ToString(CultureInfo.InvariantCulture), processed);
            }

            var time = DateTimeOffset.Parse(q.Time, CultureInfo.InvariantCulture);
            Assert.InRange(time, DateTimeOffset.Parse(truth.Attack.Window.Start, CultureInfo.InvariantCulture), DateTimeOffset.Parse(truth.Attack.Window.End, CultureInfo.InvariantCulture));
        }

        if (scenario == "token-theft")
        {
            // Every export job is deleted seconds after its results were downloaded.
            var jobs = truth.Attack.Queries.Where(q => q.JobId is not null).Select(q => q.JobId!).ToList();
            Assert.Equal(3, jobs.Count);
            var deleted = SampleOrgFixture.ReadCsv(Path.Combine(root, "logs", "BulkApi2.csv")).Where(r => r["JOB_STATUS"] == "Deleted").Select(r => r["JOB_ID"]).ToHashSet();
            Assert.Superset(jobs.ToHashSet(), deleted);
            Assert.Equal(3, truth.Attack.AntiForensics.Count);
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Exposure_counts_follow_from_the_exported_rows_and_the_contacts_residence(string scenario)
    {
        var root = orgs.Root(scenario);
        var truth = orgs.Truth(scenario);
        var contacts = SampleOrgFixture.ReadCsv(Path.Combine(root, "records", "Contact.csv")).ToDictionary(r => r["Id"], StringComparer.Ordinal);
        var people = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (obj, ids) in truth.Attack.ExfiltratedIds)
        {
            if (obj == "Contact")
            {
                people.UnionWith(ids);
                continue;
            }

            var lookup = obj == "Financial_Aid_Award__c" ? "Contact__c" : "hed__Contact__c";
            var rows = SampleOrgFixture.ReadCsv(Path.Combine(root, "records", obj + ".csv")).ToDictionary(r => r["Id"], StringComparer.Ordinal);
            people.UnionWith(ids.Select(id => rows[id][lookup]));
        }

        Assert.Equal(people.Count, truth.Exposure.Individuals);
        var byJurisdiction = people.GroupBy(id => contacts[id]["MailingCountryCode"] == "US" ? "US-" + contacts[id]["MailingStateCode"] : contacts[id]["MailingCountryCode"])
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.Equal(byJurisdiction.OrderBy(kv => kv.Key, StringComparer.Ordinal), truth.Exposure.ByJurisdiction.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal("US-IL", truth.Exposure.ByJurisdiction.MaxBy(kv => kv.Value).Key);

        var withSsn = people.Count(id => contacts[id]["hed__Social_Security_Number__c"].Length > 0);
        var ssnExported = truth.Attack.Queries.Any(q => q.Soql.Contains("hed__Social_Security_Number__c", StringComparison.Ordinal));
        Assert.Equal(ssnExported ? withSsn : 0, truth.Exposure.Variants["withViewEncryptedData"].ByElement.GetValueOrDefault("ssn"));
        Assert.Equal(0, truth.Exposure.Variants["withoutViewEncryptedData"].ByElement.GetValueOrDefault("ssn"));
        Assert.Equal(truth.Attack.ViewEncryptedData, truth.Exposure.AttackerHasViewEncryptedData);
        Assert.Equal(truth.Exposure.ByElement, truth.Exposure.Variants[truth.Exposure.Applies].ByElement);
    }

    [Fact]
    public void Students_come_from_the_home_state_its_neighbours_and_abroad()
    {
        var contacts = SampleOrgFixture.ReadCsv(Path.Combine(orgs.Root("token-theft"), "records", "Contact.csv"));
        var students = contacts.Where(c => c["Title"].Length == 0).ToList();
        Assert.True(students.Count(c => c["MailingStateCode"] == "IL") > students.Count / 2);
        Assert.True(students.Count(c => c["MailingStateCode"] is "IN" or "WI" or "MO" or "IA" or "KY" or "MI") > students.Count / 20);
        var countries = students.Select(c => c["MailingCountryCode"]).Where(c => c != "US").Distinct().Count();
        Assert.True(countries >= 5, $"{countries} countries");
        Assert.Contains(students, c => c["hed__Social_Security_Number__c"].Length > 0);
        Assert.Contains(students, c => c["hed__Social_Security_Number__c"].Length == 0);
        Assert.All(students.Where(c => c["MailingCountryCode"] != "US"), c => Assert.Equal("", c["hed__Social_Security_Number__c"]));
    }

    [Fact]
    public void A_vendor_org_counts_exposed_individuals_per_customer_of_customers_yaml()
    {
        var truth = orgs.Truth("portal-credentials");
        Assert.Equal("vendor", truth.Org.Kind);
        var yaml = File.ReadAllText(Path.Combine(orgs.Root("portal-credentials"), "customers.yaml"));
        Assert.NotNull(truth.Exposure.ByCustomer);
        foreach (var customer in truth.Exposure.ByCustomer!.Keys)
        {
            Assert.Contains($"- id: {customer}", yaml, StringComparison.Ordinal);
        }

        Assert.Equal(truth.Exposure.Individuals, truth.Exposure.ByCustomer.Values.Sum());
        Assert.True(truth.Exposure.AttackerHasViewEncryptedData);
        Assert.True(truth.Exposure.ByElement["ssn"] > 0);
    }
}
