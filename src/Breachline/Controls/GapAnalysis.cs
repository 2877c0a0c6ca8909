using System.Globalization;
using Breachline.Common;
using Breachline.Forensics;
using Breachline.Incidents;
using Breachline.Org;
using Breachline.Posture;
using NodaTime;

namespace Breachline.Controls;

/// <summary>Where a criterion stands after the incident.</summary>
public enum ControlStatus
{
    /// <summary>Nothing found shows the control failed.</summary>
    NoEvidenceOfFailure,

    /// <summary>A weakness was found, but nothing shows it was exploited.</summary>
    AtRisk,

    /// <summary>The incident went through it, or the response missed a commitment: the control failed.</summary>
    Deficient,
}

/// <summary>One established incident fact that bears on controls.</summary>
/// <param name="Id">Fact id (mapping.yaml <c>facts</c>).</param>
/// <param name="Status">Deficient or at-risk.</param>
/// <param name="Criteria">Criteria it bears on.</param>
/// <param name="Detail">What was seen, with times and counts.</param>
/// <param name="Evidence">Evidence it rests on (log rows, files).</param>
public sealed record ControlFact(string Id, ControlStatus Status, IReadOnlyList<string> Criteria, string Detail, IReadOnlyList<EvidenceRef> Evidence);

/// <summary>A finding behind a criterion, as the controls member cites it.</summary>
/// <param name="Id">Finding id.</param>
/// <param name="Rule">Rule id.</param>
/// <param name="Location">path:line.</param>
/// <param name="OnAttackPath">Why it is on the attack path, or null.</param>
/// <param name="Evidence">The file the finding is in, with its SHA-256, when the scan hashed it.</param>
public sealed record GapFinding(string Id, string Rule, string Location, string? OnAttackPath, EvidenceRef? Evidence = null);

/// <summary>One criterion after the incident (DESIGN.md §9 <c>controls</c> entry).</summary>
/// <param name="Id">Criterion id.</param>
/// <param name="Title">Own-words title.</param>
/// <param name="Status">deficient, at-risk or no-evidence-of-failure.</param>
/// <param name="Findings">Ids of the scan findings behind it.</param>
/// <param name="Gap">The gap in plain words; empty when none.</param>
/// <param name="Remediation">What to do; empty when nothing.</param>
/// <param name="Owner">Who owns the fix.</param>
/// <param name="Due">Milestone for the fix; null when nothing is due.</param>
/// <param name="Facts">Incident facts behind it.</param>
/// <param name="FindingDetails">The findings with their locations and attack-path reasons.</param>
/// <param name="InScope">True when the criterion is tested as response evidence even without a failure.</param>
public sealed record ControlGap(
    string Id,
    string Title,
    ControlStatus Status,
    IReadOnlyList<string> Findings,
    string Gap,
    string Remediation,
    string Owner,
    DateTimeOffset? Due,
    IReadOnlyList<ControlFact> Facts,
    IReadOnlyList<GapFinding> FindingDetails,
    bool InScope);

/// <summary>One item of the plan of action and milestones.</summary>
/// <param name="Id">POAM-&lt;criterion&gt;.</param>
/// <param name="Criterion">The criterion it fixes.</param>
/// <param name="Title">What to do, short.</param>
/// <param name="Weakness">The gap.</param>
/// <param name="Remediation">The plan.</param>
/// <param name="Owner">Owner.</param>
/// <param name="Due">Milestone.</param>
/// <param name="Status">open (Breachline never closes an item by itself).</param>
/// <param name="Severity">deficient or at-risk.</param>
/// <param name="Findings">Findings it closes.</param>
public sealed record PoamItem(string Id, string Criterion, string Title, string Weakness, string Remediation, string Owner, DateTimeOffset? Due, string Status, ControlStatus Severity, IReadOnlyList<string> Findings);

/// <summary>What the gap analysis needs. Hunt, incident and clock are optional: each missing one means fewer facts, never invented ones.</summary>
/// <param name="Org">The org export.</param>
/// <param name="Findings">Scan findings.</param>
/// <param name="Hunt">The hunt's result.</param>
/// <param name="Incident">The incident.</param>
/// <param name="Deadlines">Deadlines on the clock.</param>
/// <param name="Tasks">Tasks of the tracks.</param>
/// <param name="AsOf">Now (or --as-of).</param>
/// <param name="Metadata">The metadata model.</param>
public sealed record ControlsInput(
    OrgExport Org,
    IReadOnlyList<Finding> Findings,
    HuntResult? Hunt,
    Incident? Incident,
    IReadOnlyList<Deadline> Deadlines,
    IReadOnlyList<ResponseTask> Tasks,
    Instant AsOf,
    Salesforce.OrgMetadata Metadata);

/// <summary>The whole controls result: gaps per criterion, POA&amp;M, data-flow map, Type II period and disclosure.</summary>
public sealed record ControlsResult(
    IReadOnlyList<ControlGap> Gaps,
    IReadOnlyList<PoamItem> Poam,
    DataFlowMap DataFlows,
    AuditPeriodAssessment Period,
    IReadOnlyList<ControlFact> Facts,
    AttackPath AttackPath,
    Incident? Incident,
    HuntResult? Hunt,
    Instant AsOf,
    Deadline? AuditorDeadline)
{
    /// <summary>The criteria that failed.</summary>
    public IEnumerable<ControlGap> Deficient => Gaps.Where(g => g.Status == ControlStatus.Deficient);

    /// <summary>The criteria at risk.</summary>
    public IEnumerable<ControlGap> AtRisk => Gaps.Where(g => g.Status == ControlStatus.AtRisk);

    /// <summary>The gaps worth a row in a table: not clean, or in scope as response evidence.</summary>
    public IEnumerable<ControlGap> Affected => Gaps.Where(g => g.Status != ControlStatus.NoEvidenceOfFailure || g.InScope);
}

/// <summary>The gap analysis: findings, hunt facts and incident-handling facts mapped to Trust Services Criteria.</summary>
public static class GapAnalysis
{
    /// <summary>The protocol deadline of the auditor notice.</summary>
    public const string AuditorDeadlineId = "soc2-auditor-notice";

    /// <summary>Runs the analysis with the shipped catalog and mapping.</summary>
    public static ControlsResult Run(ControlsInput input, TscCatalog? catalog = null, GapMapping? mapping = null)
    {
        catalog ??= TscCatalog.BuiltIn;
        mapping ??= GapMapping.BuiltIn;
        var path = AttackPath.Resolve(input.Hunt, input.Metadata, input.Org, input.Findings);
        var flows = DataFlowMap.Build(input.Org, input.Metadata, input.Findings, path);
        var facts = Facts(input, mapping, flows);
        var zone = input.Incident?.Zone ?? IncidentTime.Zone(input.Org.Facts?.TimeZone ?? "UTC");
        var clockStart = input.Incident?.ClockStart ?? input.AsOf;

        var gaps = new List<ControlGap>();
        foreach (var criterion in catalog.Criteria)
        {
            var behind = input.Findings.Where(f => f.Severity > Severity.Info && f.Criteria.Contains(criterion.Id, StringComparer.OrdinalIgnoreCase)).ToList();
            var details = behind.Select(f => new GapFinding(f.Id, f.Rule, f.Location.ToString(), path.Findings.GetValueOrDefault(f.Id), f.Evidence)).ToList();
            var factsHere = facts.Where(f => f.Criteria.Contains(criterion.Id, StringComparer.Ordinal)).ToList();
            var onPath = details.Count(d => d.OnAttackPath is not null);
            var status = onPath > 0 || factsHere.Any(f => f.Status == ControlStatus.Deficient) ? ControlStatus.Deficient
                : details.Count > 0 || factsHere.Count > 0 ? ControlStatus.AtRisk
                : ControlStatus.NoEvidenceOfFailure;
            var guidance = mapping.GuidanceFor(criterion);
            var gapParts = new List<string>();
            var remedy = new List<string>();
            if (details.Count > 0)
            {
                var pathRules = Rules(details.Where(d => d.OnAttackPath is not null));
                var otherRules = Rules(details.Where(d => d.OnAttackPath is null));
                gapParts.Add(string.Create(CultureInfo.InvariantCulture, $"{guidance.Gap} {details.Count} finding(s)")
                    + (onPath > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {onPath} on the attack path ({pathRules})") : "")
                    + (otherRules.Length > 0 ? $"; not shown exploited: {otherRules}" : "") + ".");
                remedy.Add(guidance.Remediation);
            }

            foreach (var fact in factsHere)
            {
                var rule = mapping.Facts[fact.Id];
                gapParts.Add($"{rule.Gap}: {fact.Detail}.");
                remedy.Add(rule.Remediation);
            }

            var owner = factsHere.Count > 0 && details.Count == 0 ? mapping.Facts[factsHere[0].Id].Owner : guidance.Owner;
            DateTimeOffset? due = status switch
            {
                ControlStatus.Deficient => (clockStart + mapping.DeficientDue).InZone(zone).ToDateTimeOffset(),
                ControlStatus.AtRisk => (clockStart + mapping.AtRiskDue).InZone(zone).ToDateTimeOffset(),
                _ => null,
            };
            gaps.Add(new ControlGap(
                criterion.Id,
                criterion.Title,
                status,
                [.. behind.Select(f => f.Id)],
                string.Join(" ", gapParts),
                string.Join(" ", remedy.Distinct(StringComparer.Ordinal)),
                status == ControlStatus.NoEvidenceOfFailure ? guidance.Owner : owner,
                due,
                factsHere,
                details,
                mapping.InScope.Contains(criterion.Id, StringComparer.Ordinal)));
        }

        var poam = gaps.Where(g => g.Status != ControlStatus.NoEvidenceOfFailure)
            .OrderByDescending(g => g.Status)
            .ThenBy(g => g.Due)
            .Select(g => new PoamItem($"POAM-{g.Id}", g.Id, $"Remediate {g.Id}: {g.Title}", g.Gap, g.Remediation, g.Owner, g.Due, "open", g.Status, g.Findings))
            .ToList();
        var auditor = input.Deadlines.FirstOrDefault(d => d.Definition.Id == AuditorDeadlineId);
        var period = AuditPeriodAssessment.Assess(input.Org.Facts?.AuditPeriod, input.Incident, input.Hunt, gaps, zone);
        return new ControlsResult(gaps, poam, flows, period, facts, path, input.Incident, input.Hunt, input.AsOf, auditor);
    }

    private static string Rules(IEnumerable<GapFinding> findings)
    {
        var rules = findings.Select(f => f.Rule.Split('/')[0]).Distinct(StringComparer.Ordinal).ToList();
        return string.Join(", ", rules.Take(4)) + (rules.Count > 4 ? ", …" : "");
    }

    private static List<ControlFact> Facts(ControlsInput input, GapMapping mapping, DataFlowMap flows)
    {
        var facts = new List<ControlFact>();
        void Add(string id, string detail, IEnumerable<EvidenceRef>? evidence = null)
        {
            if (mapping.Facts.TryGetValue(id, out var rule))
            {
                facts.Add(new ControlFact(id, rule.Status, rule.Criteria, detail, [.. (evidence ?? []).Distinct().Take(20)]));
            }
        }

        var hunt = input.Hunt;
        var incident = input.Incident;
        var zone = incident?.Zone ?? DateTimeZone.Utc;
        string Show(Instant i) => IncidentTime.Format(i, zone);
        if (hunt?.Window is { } window && incident is not null)
        {
            var start = Instant.FromDateTimeOffset(window.Start);
            var latency = incident.DetectedAt - start;
            var policies = input.Metadata.TransactionSecurityPolicies.Count(p => p.Active?.IsTrue == true);
            if (latency > mapping.DetectionLatency)
            {
                Add("no-alert-fired",
                    string.Create(CultureInfo.InvariantCulture, $"first malicious event {Show(start)}, detected {Show(incident.DetectedAt)} ({latency.TotalHours:0.#} h later); {policies} active Transaction Security policies in metadata"),
                    hunt.Timeline.Take(1).Select(t => t.Evidence));
            }

            if (Instant.FromDateTimeOffset(window.End) > incident.DetectedAt)
            {
                Add("token-not-revoked-in-time", $"the attacker was still active at {Show(Instant.FromDateTimeOffset(window.End))}, after detection at {Show(incident.DetectedAt)}", hunt.Timeline.TakeLast(1).Select(t => t.Evidence));
            }
        }

        if (hunt is not null && (hunt.Suspects.ConnectedApps.Count > 0 || hunt.Suspects.Sessions.Count > 0)
            && input.Tasks.FirstOrDefault(t => t.Id == "revoke-tokens") is { Due: { } revokeDue } revoke
            && !facts.Any(f => f.Id == "token-not-revoked-in-time"))
        {
            if (revoke.Status != TaskState.Done && revokeDue <= input.AsOf)
            {
                Add("token-not-revoked-in-time", $"task revoke-tokens was due {Show(revokeDue)} and is still {revoke.Status.ToString().ToLowerInvariant()} as of {Show(input.AsOf)}; suspect apps: {string.Join(", ", hunt.Suspects.ConnectedApps)}");
            }
            else if (revoke.Status == TaskState.Done && revoke.UpdatedAt > revokeDue)
            {
                Add("token-not-revoked-in-time", $"tokens revoked {Show(revoke.UpdatedAt)}, after the task's due time {Show(revokeDue)}");
            }
        }

        if (hunt is null || hunt.Input.Files == 0)
        {
            Add("logs-missing", "the export holds no Event Monitoring, SetupAuditTrail or gateway logs to hunt");
        }
        else
        {
            var missing = new List<string>();
            if (hunt.Window is { } w && hunt.Input.Coverage is { } coverage && coverage.Start > w.Start)
            {
                missing.Add($"logs begin {Show(Instant.FromDateTimeOffset(coverage.Start))}, after the attack began at {Show(Instant.FromDateTimeOffset(w.Start))}");
            }

            if (hunt.Input.UnreadableRows > 0)
            {
                missing.Add(string.Create(CultureInfo.InvariantCulture, $"{hunt.Input.UnreadableRows} log rows could not be read"));
            }

            var coverageFindings = input.Findings.Where(f => f.Rule.StartsWith("logging-event-monitoring-missing", StringComparison.Ordinal)).ToList();
            if (coverageFindings.Count > 0)
            {
                missing.Add($"event types missing from the logs: {string.Join("; ", coverageFindings.Select(f => f.Detail))}");
            }

            if (missing.Count > 0)
            {
                Add("logs-missing", string.Join("; ", missing));
            }
        }

        if (hunt is { AntiForensics.Count: > 0 })
        {
            Add("anti-forensics", $"{hunt.AntiForensics.Count} trace removals ({string.Join("; ", hunt.AntiForensics.Take(3).Select(a => a.Detail))})", hunt.AntiForensics.SelectMany(a => a.Evidence));
        }

        if (hunt is not null && hunt.SetupChanges.Where(c => c.BySuspect).ToList() is { Count: > 0 } changes)
        {
            Add("setup-change-by-suspect", $"{changes.Count} setup changes by suspects ({string.Join("; ", changes.Take(3).Select(c => c.Display))})", changes.Select(c => c.Evidence));
        }

        if (input.Deadlines.FirstOrDefault(d => d.Definition.Id == AuditorDeadlineId) is { } auditor)
        {
            var status = auditor.StatusAt(input.AsOf);
            var due = auditor.Definition.Due;
            if (status == DeadlineStatus.Overdue)
            {
                Add("auditor-notified-late", $"the 24-hour notice was due {(due is { } d ? Show(d) : "—")} and is not marked sent as of {Show(input.AsOf)}");
            }
            else if (status == DeadlineStatus.Done && due is { } d2 && auditor.ClosedAt is { } closed && closed > d2)
            {
                Add("auditor-notified-late", $"notified {Show(closed)}, after the due time {Show(d2)}");
            }
            else if (status == DeadlineStatus.Open)
            {
                Add("auditor-notice-pending", $"due {(due is { } d3 ? Show(d3) : "—")}");
            }
            else if (status == DeadlineStatus.Waived)
            {
                Add("auditor-notice-pending", $"deadline waived: {auditor.Reason}");
            }
        }

        if (input.Deadlines.FirstOrDefault(d => d.Definition.Id == "containment") is { } containment)
        {
            var status = containment.StatusAt(input.AsOf);
            if (status == DeadlineStatus.Overdue)
            {
                Add("containment-late", $"containment was due {(containment.Definition.Due is { } d ? Show(d) : "—")} and is not complete as of {Show(input.AsOf)}");
            }
            else if (status == DeadlineStatus.Done && containment.Definition.Due is { } d2 && containment.ClosedAt is { } closed && closed > d2)
            {
                Add("containment-late", $"contained {Show(closed)}, after the due time {Show(d2)}");
            }
        }

        foreach (var flow in flows.Flows)
        {
            if (flow.OnAttackPath && flow.Logging == false)
            {
                Add("unlogged-boundary-on-attack-path", $"{flow.Name} ({flow.From} → {flow.To}) carried the attack and logs nothing");
            }

            foreach (var gap in flow.Gaps)
            {
                var id = gap.Kind switch
                {
                    "no-logging" => "boundary-no-logging",
                    "broad-scope" => "boundary-broad-scope",
                    "plaintext-transport" => "boundary-plaintext",
                    _ => null,
                };
                if (id is not null && !(flow.OnAttackPath && gap.Kind == "no-logging"))
                {
                    Add(id, $"{flow.Name}: {gap.Detail}");
                }
            }
        }

        return facts;
    }
}
