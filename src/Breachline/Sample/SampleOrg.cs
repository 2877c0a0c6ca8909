using Breachline.Common;
using NodaTime;

namespace Breachline.Sample;

/// <summary>What <see cref="SampleOrg.Generate"/> wrote.</summary>
/// <param name="Root">Absolute path of the org export.</param>
/// <param name="Truth">The answer key (also written as truth.json).</param>
/// <param name="LogBytes">Bytes written to logs/.</param>
/// <param name="TotalBytes">Bytes of every file written.</param>
/// <param name="Files">Number of files written.</param>
public sealed record SampleResult(string Root, TruthDocument Truth, long LogBytes, long TotalBytes, int Files);

/// <summary>
/// Generates a complete org export (DESIGN.md §9) of a higher-education Salesforce org with one planted
/// leak, plus truth.json, deterministically from <see cref="SampleOptions.Seed"/>.
/// </summary>
public static class SampleOrg
{
    /// <summary>Writes the sample org into <paramref name="outDir"/> (created if missing; it must be empty).</summary>
    /// <exception cref="UsageException">Invalid options, or the folder is not empty.</exception>
    public static SampleResult Generate(SampleOptions options, string outDir, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        if (options.Problem() is { } problem)
        {
            throw new UsageException(problem);
        }

        var root = Path.GetFullPath(outDir);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new UsageException($"{outDir} is not empty; give a new or empty folder");
        }

        Directory.CreateDirectory(root);
        var org = OrgProfile.For(options);
        var ids = new IdFactory(org.Instance);
        var pop = Population.Build(org, options, ids);
        var access = OrgAccess.Build(org, pop, ids);

        var plantings = new Plantings();
        MetadataWriter.Plant(plantings, org);
        IntegrationsWriter.Plant(plantings, org, new FakeSecrets(options.Seed));
        plantings.WriteAll(root);
        var counts = RecordsWriter.Write(root, pop, access);
        progress?.Report(0.05);

        var logs = Path.Combine(root, "logs");
        AttackPlan attack;
        long logBytes;
        using (var sink = new ElfSink(logs, org.OrgId15, pop.Users, options.Seed))
        {
            var appIds = access.ConnectedApps.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            var background = new LogBackground(org, pop, sink, new SampleRandom(options.Seed, "logs"), appIds);
            attack = new AttackPlan(org, pop, background, sink);
            attack.Plant();
            Stream(org, sink, background, progress, cancellationToken);
            sink.FlushBefore(long.MaxValue);
            logBytes = sink.BytesWritten;
        }

        var suspiciousId = SideFilesWriter.AuditTrail(root, org, pop, ids, attack.SuspiciousChange, out _);
        SideFilesWriter.Gateway(root, org, pop, attack.GatewayLines);
        SideFilesWriter.OrgYaml(root, org);
        if (org.IsVendor)
        {
            SideFilesWriter.CustomersYaml(root, pop);
        }

        var truth = BuildTruth(org, pop, plantings, attack, counts, logBytes, suspiciousId);
        SideFilesWriter.Truth(root, truth);
        progress?.Report(1.0);
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => new FileInfo(f)).ToList();
        return new SampleResult(root, truth, logBytes, files.Sum(f => f.Length), files.Count);
    }

    private static void Stream(OrgProfile org, ElfSink sink, LogBackground background, IProgress<double>? progress, CancellationToken ct)
    {
        var hours = (int)(org.WindowEnd - org.WindowStart).TotalHours;
        var target = org.Options.LogBytes;
        if (target is { } t)
        {
            // Bytes per hour of the natural background at density 1, per 400 students (measured); the density
            // is then corrected day by day from what was really written, so the size lands near the target.
            const double BytesPerHourAtDensityOne = 38_000;
            background.Density = Math.Max(0.05, t / (BytesPerHourAtDensityOne * hours));
        }

        var hour = org.WindowStart;
        for (var i = 0; i < hours; i++, hour += Duration.FromHours(1))
        {
            ct.ThrowIfCancellationRequested();
            sink.FlushBefore(hour.ToUnixTimeMilliseconds());
            background.Hour(hour);
            if (target is { } goal && i % 24 == 23 && i < hours - 1)
            {
                var written = Math.Max(1, sink.BytesWritten);
                var expected = goal * (double)(i - 11) / hours;
                background.Density *= Math.Clamp(expected / written, 0.5, 2.0);
            }

            progress?.Report(0.05 + (0.9 * (i + 1) / hours));
        }
    }

    private static TruthDocument BuildTruth(OrgProfile org, Population pop, Plantings plantings, AttackPlan attack, Dictionary<string, int> counts, long logBytes, string suspiciousId)
    {
        string Time(Instant i) => IncidentTime.Format(i, org.Zone);
        var rowsByObject = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var exfiltrated = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var e in attack.Exfiltrations)
        {
            rowsByObject[e.Object] = rowsByObject.GetValueOrDefault(e.Object) + e.Ids.Count;
            exfiltrated[e.Object] = [.. e.Ids.Order(StringComparer.Ordinal)];
        }

        var change = attack.SuspiciousChange;
        var truthAttack = new TruthAttack(
            new TruthWindow(Time(attack.First), Time(attack.Last)),
            [.. attack.Ips],
            [.. attack.Users.Select(u => u.Id18)],
            [.. attack.Users.Select(u => u.Username)],
            [.. attack.ConnectedApps],
            [.. attack.UserAgents],
            [.. attack.Sessions],
            attack.Queries,
            attack.Requests.OrderBy(r => r.Time, StringComparer.Ordinal).ToList(),
            attack.AntiForensics,
            new TruthAuditChange(suspiciousId, Time(change.When), change.Action, change.Section, change.Display, pop.User(change.By + "@" + org.UserDomain).Id18),
            attack.ViewEncryptedData,
            rowsByObject,
            exfiltrated);
        var exposure = Exposure.Compute(pop, attack.Exfiltrations, attack.ViewEncryptedData, org.IsVendor);
        var summary = org.Options.Scenario switch
        {
            SampleScenario.TokenTheft => "A refresh token of the Campus Chat connected app was replayed from Tor and a VPS; the holder ran recon and three Bulk API 2.0 exports (contacts, course grades, GPAs), deleting each job seconds later.",
            SampleScenario.GuestExposure => "The admissions site's guest user could read student contacts through a guest sharing rule; a scraper paged through them with Aura getItems requests.",
            _ => "Salesforce credentials hard-coded in the student portal's settings leaked through a debug endpoint and were used from a new IP for mass REST queries of students, grades and financial aid.",
        };
        return new TruthDocument(
            TruthDocument.SchemaId,
            org.Options.ScenarioName,
            org.Options.Seed,
            new TruthIncident($"{org.Name}: {org.Options.ScenarioName}", Time(org.DetectedAt), Time(org.AwareAt), org.TimeZoneId, summary),
            new TruthOrg(org.Name, org.OrgId18, org.Kind, org.HomeJurisdiction, new SortedDictionary<string, int>(counts, StringComparer.Ordinal), logBytes),
            plantings.Findings,
            plantings.Negatives,
            truthAttack,
            exposure);
    }
}
