using System.Globalization;
using System.Text;
using System.Text.Json;
using Breachline.Common;
using nietras.SeparatedValues;
using NodaTime;
using NodaTime.Text;
using static System.FormattableString;

namespace Breachline.Sample;

/// <summary>org.yaml, customers.yaml (vendors), the SetupAuditTrail export and the portal gateway's access log.</summary>
internal static class SideFilesWriter
{
    private static readonly InstantPattern AuditDate = InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.000+0000'");

    public static void OrgYaml(string root, OrgProfile org)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"""
            # Org facts of a generated sample (breachline sample --seed {org.Options.Seed} --scenario {org.Options.ScenarioName}).
            name: {org.Name}
            orgId: {org.OrgId18}
            timeZone: {org.TimeZoneId}
            kind: {org.Kind}
            homeJurisdiction: {org.HomeJurisdiction}

            """);
        if (org.IsVendor)
        {
            sb.Append("customers: customers.yaml\n");
        }

        sb.Append("""
            auditPeriod:
              start: 2025-07-01
              end: 2026-06-30
              auditor: Halvorsen & Tate LLP
            dataFlows:
              - name: LMS grade sync
                from: Salesforce
                to: Canvas LMS
                elements: [education_record, name, email]
                authentication: oauth
                transport: https
                logging: true
              - name: Student portal
                from: Salesforce
                to: CampusBridge student portal
                elements: [name, email, dob, address, education_record, financial_aid]
                authentication: password
                transport: https
                logging: false
              - name: Campus Chat
                from: Salesforce
                to: Campus Chat
                elements: [name, email, education_record]
                authentication: oauth
                transport: https
                logging: false
              - name: State reporting extract
                from: Salesforce
                to: State reporting office
                elements: [name, dob, education_record]
                authentication: password
                transport: ftp
                logging: false

            """);
        File.WriteAllText(Path.Combine(root, "org.yaml"), sb.ToString());
    }

    public static void CustomersYaml(string root, Population pop)
    {
        var sb = new StringBuilder("# Institutions CampusBridge serves, with the notice terms of each agreement.\ncustomers:\n");
        string[] renewals = ["2026-07-01", "2026-08-15", "2027-01-01"];
        int[] windows = [72, 48, 24];
        for (var i = 0; i < pop.Institutions.Count; i++)
        {
            var inst = pop.Institutions[i];
            sb.Append(CultureInfo.InvariantCulture, $"""
                  - id: {inst.CustomerId}
                    name: {inst.Name}
                    kind: {inst.Kind}
                    jurisdiction: US-{inst.State}
                    accountId: {inst.AccountId}
                    securityContact: security@{inst.Domain}
                    noticeWindowHours: {windows[i % windows.Length]}
                    renewalDate: {renewals[i % renewals.Length]}
                    securityReviewWindowDays: 30

                """);
        }

        File.WriteAllText(Path.Combine(root, "customers.yaml"), sb.ToString());
    }

    public static string AuditTrail(string root, OrgProfile org, Population pop, IdFactory ids, AuditRow suspicious, out string suspiciousId)
    {
        var rng = new SampleRandom(org.Options.Seed, "audit");
        var rows = new List<AuditRow> { suspicious };
        var staff = pop.Users.Where(u => u.Role == UserRole.Staff).ToList();
        var days = (int)(org.WindowEnd - org.WindowStart).TotalDays;
        for (var d = 0; d < days; d++)
        {
            var day = org.WindowStart.InZone(org.Zone).Date.PlusDays(d);
            if (day.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday)
            {
                continue;
            }

            var when = day.At(new LocalTime(rng.Next(9, 17), rng.Next(0, 60), rng.Next(0, 60))).InZoneLeniently(org.Zone).ToInstant();
            var target = rng.Pick(staff);
            rows.Add(rng.Next(4) switch
            {
                0 => new AuditRow(when, "it.admin", "Manage Users", "resetpassword", $"Reset password for user {target.Username}", false),
                1 => new AuditRow(when, "helpdesk.tier2", "Manage Users", "unlockeduser", $"Unlocked user {target.Username}", false),
                2 => new AuditRow(when, "sf.architect", "Customize Contacts", "changedFieldLabel", "Changed Contact field label Preferred Phone", false),
                _ => new AuditRow(when, "it.admin", "Manage Users", "PermSetAssign", $"Permission set Password Reset Helper: assigned to user {target.Username}", false),
            });
        }

        rows.Sort((a, b) => a.When.CompareTo(b.When));
        suspiciousId = "";
        var dir = Path.Combine(root, "logs");
        using var writer = Sep.New(',').Writer(o => o with { Escape = true }).ToFile(Path.Combine(dir, "SetupAuditTrail.csv"));
        foreach (var r in rows)
        {
            var id = ids.New18(Prefix.AuditTrail);
            if (ReferenceEquals(r, suspicious))
            {
                suspiciousId = id;
            }

            var by = pop.User(r.By + "@" + org.UserDomain);
            using var row = writer.NewRow();
            row["Id"].Set(id);
            row["Action"].Set(r.Action);
            row["Section"].Set(r.Section);
            row["CreatedDate"].Set(AuditDate.Format(r.When));
            row["CreatedById"].Set(by.Id18);
            row["CreatedBy.Username"].Set(by.Username);
            row["Display"].Set(r.Display);
            row["DelegateUser"].Set("");
            row["ResponsibleNamespacePrefix"].Set("");
            row["CreatedByContext"].Set("");
            row["CreatedByIssuer"].Set("");
        }

        return suspiciousId;
    }

    /// <summary>The portal gateway's JSON-lines access log, hour by hour, with the attack's probes merged in time order.</summary>
    public static void Gateway(string root, OrgProfile org, Population pop, IReadOnlyList<GatewayLine> attack)
    {
        var rng = new SampleRandom(org.Options.Seed, "gateway");
        var dir = Path.Combine(root, "gateway");
        Directory.CreateDirectory(dir);
        using var stream = new FileStream(Path.Combine(dir, "portal-gateway.jsonl"), FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        var students = pop.Students.ToList();
        string[] paths = ["/api/v1/students/me", "/api/v1/schedule", "/api/v1/holds", "/api/v1/financial-aid/summary", "/api/v1/grades", "/auth/login", "/static/app.js"];
        var pending = attack.OrderBy(a => a.Ms).ToList();
        var p = 0;
        var buffer = new List<GatewayLine>();
        for (var hour = org.WindowStart; hour < org.WindowEnd; hour += Duration.FromHours(1))
        {
            var h = hour.InZone(org.Zone).Hour;
            var ms = hour.ToUnixTimeMilliseconds();
            buffer.Clear();
            var visits = rng.Count((h is >= 8 and <= 23 ? 10.0 : 1.5) * Math.Max(1, students.Count / 400.0));
            for (var v = 0; v < visits; v++)
            {
                var student = rng.Pick(students);
                var ip = Invariant($"{rng.Pick([73, 98, 24, 67, 108, 174])}.{rng.Next(1, 255)}.{rng.Next(0, 255)}.{rng.Next(1, 255)}");
                var agent = rng.Chance(0.5) ? LogBackground.Browser : "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";
                var t = ms + rng.Next(0, 3_500_000);
                var calls = rng.Next(2, 6);
                for (var c = 0; c < calls; c++)
                {
                    var path = c == 0 ? "/auth/login" : rng.Pick(paths);
                    buffer.Add(new GatewayLine(t + (c * rng.Next(800, 20_000)), ip, c == 0 ? "POST" : "GET", path, 200, rng.Next(300, 9000), agent, path == "/static/app.js" ? null : student.Id, false));
                }
            }

            var end = ms + 3_600_000;
            while (p < pending.Count && pending[p].Ms < end)
            {
                buffer.Add(pending[p++]);
            }

            buffer.Sort((a, b) => a.Ms.CompareTo(b.Ms));
            foreach (var line in buffer)
            {
                WriteLine(stream, line, rng);
            }
        }
    }

    private static void WriteLine(Stream stream, GatewayLine line, SampleRandom rng)
    {
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("time", DateTimeOffset.FromUnixTimeMilliseconds(line.Ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("client_ip", line.Ip);
            json.WriteString("method", line.Method);
            json.WriteString("path", line.Path);
            json.WriteNumber("status", line.Status);
            json.WriteNumber("bytes", line.Bytes);
            json.WriteNumber("latency_ms", rng.Next(8, 400));
            json.WriteString("user_agent", line.Agent);
            json.WriteString("upstream", line.Path.StartsWith("/api/", StringComparison.Ordinal) ? "portal-app:8000" : "static");
            if (line.ContactId is not null)
            {
                json.WriteString("contact_id", line.ContactId);
            }
            else
            {
                json.WriteNull("contact_id");
            }

            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }

    /// <summary>Breachline's JSON shape, leaving out members that do not apply (null) so the key reads cleanly.</summary>
    public static JsonSerializerOptions TruthJson { get; } = new(BreachlineJson.Options) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static void Truth(string root, TruthDocument truth) =>
        File.WriteAllText(Path.Combine(root, "truth.json"), JsonSerializer.Serialize(truth, TruthJson) + "\n");
}
