using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Breachline.Common;
using NodaTime;
using NodaTime.Text;
using NameBasedUuid = UUIDNext.Uuid;

namespace Breachline.Controls;

/// <summary>The two OSCAL files an export writes.</summary>
/// <param name="AssessmentResults">Path of assessment-results.json.</param>
/// <param name="Poam">Path of poam.json.</param>
public sealed record OscalFiles(string AssessmentResults, string Poam);

/// <summary>
/// Writes the gap analysis in the auditor's formats: NIST OSCAL 1.1.3 assessment results (one result; an
/// observation per fact and finding, a risk and a finding per affected criterion) and a plan of action and
/// milestones (a POA&amp;M item per criterion to fix, with a milestone at its due date). TSC criteria have no
/// official OSCAL catalog, so control ids are the criteria in lower case (<c>cc6.1</c>) and a back-matter
/// resource says so. Every piece of evidence (log file, metadata file) is a back-matter resource with its
/// SHA-256, which is also its evidence-vault address; observations point at those resources. UUIDs are
/// RFC 4122 version 5 (name-based) over the incident id and the item, so a re-export keeps them.
/// </summary>
public static class OscalExport
{
    /// <summary>The OSCAL version the documents are written against.</summary>
    public const string OscalVersion = "1.1.3";

    /// <summary>Namespace of Breachline's OSCAL props.</summary>
    public const string Namespace = "https://breachline.local/ns/oscal";

    // The namespace of Breachline's name-based UUIDs: version 5 of its props namespace in the RFC 4122 URL namespace.
    private static readonly Guid UuidNamespace = NameBasedUuid.NewNameBased(NameBasedUuid.Namespace.URL, Namespace);

    private static readonly OffsetDateTimePattern Stamp = OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'sso<+HH:mm>");

    /// <summary>Writes both files into <paramref name="dir"/>.</summary>
    public static OscalFiles Write(ControlsResult result, string dir)
    {
        Directory.CreateDirectory(dir);
        var ar = Path.Combine(dir, "assessment-results.json");
        var poam = Path.Combine(dir, "poam.json");
        var options = new JsonSerializerOptions { WriteIndented = true };
        File.WriteAllText(ar, AssessmentResults(result).ToJsonString(options) + "\n");
        File.WriteAllText(poam, Poam(result).ToJsonString(options) + "\n");
        return new OscalFiles(ar, poam);
    }

    /// <summary>The assessment-results document.</summary>
    public static JsonObject AssessmentResults(ControlsResult result)
    {
        var key = result.Incident?.Id ?? "no-incident";
        var zone = result.Incident?.Zone ?? DateTimeZone.Utc;
        string Time(Instant i) => Stamp.Format(i.InZone(zone).ToOffsetDateTime());
        var affected = result.Affected.ToList();
        var start = result.Hunt?.Window is { } w ? Instant.FromDateTimeOffset(w.Start) : result.Incident?.DetectedAt ?? result.AsOf;
        var observations = Observations(result, key, Time);
        var resourceUuid = Uuid(key, "resource:tsc");
        var results = new JsonObject
        {
            ["uuid"] = Uuid(key, "result"),
            ["title"] = $"SOC 2 control gap analysis of incident {key}",
            ["description"] = "Trust Services Criteria affected by the incident, from the scan findings, the log hunt and the incident clock.",
            ["start"] = Time(start),
            ["end"] = Time(result.AsOf),
            ["reviewed-controls"] = new JsonObject
            {
                ["control-selections"] = new JsonArray(new JsonObject
                {
                    ["include-controls"] = new JsonArray([.. affected.Select(g => (JsonNode)new JsonObject { ["control-id"] = ControlId(g.Id) })]),
                }),
            },
        };
        if (observations.Count > 0)
        {
            results["observations"] = new JsonArray([.. observations.Values.Select(o => o.Node)]);
        }

        var risks = Risks(result, key, Time, observations);
        if (risks.Count > 0)
        {
            results["risks"] = new JsonArray([.. risks]);
        }

        var findings = affected.Select(g =>
        {
            var finding = new JsonObject
            {
                ["uuid"] = Uuid(key, $"finding:{g.Id}"),
                ["title"] = $"{g.Id} {g.Title}",
                ["description"] = g.Gap.Length > 0 ? g.Gap : "Tested as evidence of the incident response; no failure found so far.",
                ["props"] = new JsonArray(Prop("tsc-status", StatusWord(g.Status))),
                ["target"] = new JsonObject
                {
                    ["type"] = "objective-id",
                    ["target-id"] = ControlId(g.Id),
                    ["status"] = new JsonObject { ["state"] = g.Status == ControlStatus.Deficient ? "not-satisfied" : "satisfied" },
                },
            };
            var related = RelatedObservations(g, observations);
            if (related.Count > 0)
            {
                finding["related-observations"] = new JsonArray([.. related.Select(u => (JsonNode)new JsonObject { ["observation-uuid"] = u })]);
            }

            if (g.Status != ControlStatus.NoEvidenceOfFailure)
            {
                finding["related-risks"] = new JsonArray(new JsonObject { ["risk-uuid"] = Uuid(key, $"risk:{g.Id}") });
            }

            return (JsonNode)finding;
        }).ToList();
        if (findings.Count > 0)
        {
            results["findings"] = new JsonArray([.. findings]);
        }

        return new JsonObject
        {
            ["assessment-results"] = new JsonObject
            {
                ["uuid"] = Uuid(key, "assessment-results"),
                ["metadata"] = Metadata(result, $"Assessment results: SOC 2 gaps of incident {key}", Time),
                ["import-ap"] = new JsonObject { ["href"] = $"#{resourceUuid}", ["remarks"] = "No separate assessment plan: the incident analysis is the assessment." },
                ["results"] = new JsonArray(results),
                ["back-matter"] = BackMatter(result, key, resourceUuid),
            },
        };
    }

    /// <summary>The plan-of-action-and-milestones document.</summary>
    public static JsonObject Poam(ControlsResult result)
    {
        var key = result.Incident?.Id ?? "no-incident";
        var zone = result.Incident?.Zone ?? DateTimeZone.Utc;
        string Time(Instant i) => Stamp.Format(i.InZone(zone).ToOffsetDateTime());
        var observations = Observations(result, key, Time);
        var risks = Risks(result, key, Time, observations);
        var items = result.Poam.Select(p =>
        {
            var gap = result.Gaps.First(g => g.Id == p.Criterion);
            var item = new JsonObject
            {
                ["uuid"] = Uuid(key, $"poam:{p.Criterion}"),
                ["title"] = p.Title,
                ["description"] = $"{p.Weakness} Plan: {p.Remediation}",
                ["props"] = new JsonArray(Prop("tsc-status", StatusWord(p.Severity)), Prop("owner", p.Owner), Prop("poam-id", p.Id)),
            };
            var related = RelatedObservations(gap, observations);
            if (related.Count > 0)
            {
                item["related-observations"] = new JsonArray([.. related.Select(u => (JsonNode)new JsonObject { ["observation-uuid"] = u })]);
            }

            item["related-risks"] = new JsonArray(new JsonObject { ["risk-uuid"] = Uuid(key, $"risk:{p.Criterion}") });
            return (JsonNode)item;
        }).ToList();
        if (items.Count == 0)
        {
            items.Add(new JsonObject
            {
                ["uuid"] = Uuid(key, "poam:none"),
                ["title"] = "No corrective action identified",
                ["description"] = "The gap analysis found no deficient or at-risk criterion; this item records that the plan was made.",
            });
        }

        var poam = new JsonObject
        {
            ["uuid"] = Uuid(key, "poam"),
            ["metadata"] = Metadata(result, $"Plan of action and milestones: incident {key}", Time),
        };
        if (observations.Count > 0)
        {
            poam["observations"] = new JsonArray([.. observations.Values.Select(o => o.Node.DeepClone())]);
        }

        if (risks.Count > 0)
        {
            poam["risks"] = new JsonArray([.. risks]);
        }

        poam["poam-items"] = new JsonArray([.. items]);
        poam["back-matter"] = BackMatter(result, key, Uuid(key, "resource:tsc"));
        return new JsonObject { ["plan-of-action-and-milestones"] = poam };
    }

    private static JsonObject Metadata(ControlsResult result, string title, Func<Instant, string> time) => new()
    {
        ["title"] = title,
        ["last-modified"] = time(result.AsOf),
        ["version"] = time(result.AsOf),
        ["oscal-version"] = OscalVersion,
        ["remarks"] = "Generated by Breachline. Control ids are SOC 2 Trust Services Criteria (2017, points of focus revised 2022) in lower case; no official OSCAL catalog of the TSC exists.",
    };

    private static JsonObject BackMatter(ControlsResult result, string key, string tscUuid)
    {
        var resources = new JsonArray(new JsonObject
        {
            ["uuid"] = tscUuid,
            ["title"] = "AICPA 2017 Trust Services Criteria (revised points of focus 2022)",
            ["description"] = "The criteria the control ids name. Breachline ships the identifiers with its own short titles.",
        });
        foreach (var e in EvidenceFiles(result))
        {
            resources.Add(new JsonObject
            {
                ["uuid"] = EvidenceUuid(key, e),
                ["title"] = e.Path,
                ["description"] = "Evidence file of the org export; its SHA-256 is also its address in the evidence vault once collected.",
                ["rlinks"] = new JsonArray(new JsonObject
                {
                    ["href"] = Href(e.Path),
                    ["hashes"] = new JsonArray(new JsonObject { ["algorithm"] = "SHA-256", ["value"] = e.Sha256 }),
                }),
            });
        }

        return new JsonObject { ["resources"] = resources };
    }

    // One resource per evidence file (not per line): the hash covers the whole file.
    private static IEnumerable<EvidenceRef> EvidenceFiles(ControlsResult result) =>
        result.Facts.SelectMany(f => f.Evidence)
            .Concat(AffectedFindings(result).Select(f => f.Evidence).OfType<EvidenceRef>())
            .Select(e => e with { Line = null })
            .Distinct()
            .OrderBy(e => e.Path, StringComparer.Ordinal)
            .ThenBy(e => e.Sha256, StringComparer.Ordinal);

    private static IEnumerable<GapFinding> AffectedFindings(ControlsResult result) =>
        result.Gaps.Where(g => g.Status != ControlStatus.NoEvidenceOfFailure).SelectMany(g => g.FindingDetails).DistinctBy(f => f.Id);

    private static string EvidenceUuid(string key, EvidenceRef e) => Uuid(key, $"resource:evidence:{e.Sha256}:{e.Path}");

    // Paths in the export may hold spaces ("Admissions Portal Profile.profile-meta.xml"): a URI reference escapes each segment.
    private static string Href(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static Dictionary<string, (JsonObject Node, IReadOnlyList<string> Criteria)> Observations(ControlsResult result, string key, Func<Instant, string> time)
    {
        var observations = new Dictionary<string, (JsonObject, IReadOnlyList<string>)>(StringComparer.Ordinal);
        var collected = time(result.AsOf);
        foreach (var fact in result.Facts)
        {
            var id = Uuid(key, $"observation:fact:{fact.Id}:{fact.Detail}");
            var node = new JsonObject
            {
                ["uuid"] = id,
                ["title"] = fact.Id,
                ["description"] = fact.Detail,
                ["methods"] = new JsonArray("EXAMINE"),
                ["types"] = new JsonArray("finding"),
                ["collected"] = collected,
            };
            if (fact.Evidence.Count > 0)
            {
                node["relevant-evidence"] = new JsonArray([.. fact.Evidence.Select(e => Evidence(key, e))]);
            }

            observations.TryAdd(id, (node, fact.Criteria));
        }

        foreach (var finding in AffectedFindings(result))
        {
            var id = Uuid(key, $"observation:finding:{finding.Id}");
            var criteria = result.Gaps.Where(g => g.Findings.Contains(finding.Id)).Select(g => g.Id).ToList();
            var node = new JsonObject
            {
                ["uuid"] = id,
                ["title"] = $"{finding.Id} {finding.Rule}",
                ["description"] = finding.OnAttackPath is { } why ? $"{finding.Rule} at {finding.Location}; on the attack path: {why}" : $"{finding.Rule} at {finding.Location}",
                ["props"] = new JsonArray(Prop("finding-id", finding.Id), Prop("on-attack-path", finding.OnAttackPath is null ? "false" : "true")),
                ["methods"] = new JsonArray("EXAMINE"),
                ["types"] = new JsonArray("finding"),
                ["collected"] = collected,
                ["relevant-evidence"] = new JsonArray(finding.Evidence is { } e ? Evidence(key, e) : new JsonObject { ["description"] = $"org export file {finding.Location}" }),
            };
            observations.TryAdd(id, (node, criteria));
        }

        return observations;
    }

    private static List<JsonNode> Risks(ControlsResult result, string key, Func<Instant, string> time, Dictionary<string, (JsonObject Node, IReadOnlyList<string> Criteria)> observations) =>
        [.. result.Gaps.Where(g => g.Status != ControlStatus.NoEvidenceOfFailure).Select(g =>
        {
            var risk = new JsonObject
            {
                ["uuid"] = Uuid(key, $"risk:{g.Id}"),
                ["title"] = $"{g.Id} {StatusWord(g.Status)}: {g.Title}",
                ["description"] = g.Gap,
                ["statement"] = g.Status == ControlStatus.Deficient
                    ? $"The control for {g.Id} did not operate effectively during the incident; until fixed, the same path stays open."
                    : $"A weakness under {g.Id} was found; nothing shows it was exploited, but it widens the next attack.",
                ["props"] = new JsonArray(Prop("tsc-status", StatusWord(g.Status)), Prop("owner", g.Owner)),
                ["status"] = "open",
            };
            if (g.Due is { } due)
            {
                var dueText = time(Instant.FromDateTimeOffset(due));
                risk["deadline"] = dueText;
                risk["remediations"] = new JsonArray(new JsonObject
                {
                    ["uuid"] = Uuid(key, $"response:{g.Id}"),
                    ["lifecycle"] = "planned",
                    ["title"] = $"Remediate {g.Id}",
                    ["description"] = g.Remediation,
                    ["tasks"] = new JsonArray(new JsonObject
                    {
                        ["uuid"] = Uuid(key, $"milestone:{g.Id}"),
                        ["type"] = "milestone",
                        ["title"] = $"{g.Id} remediated and retested (owner {g.Owner})",
                        ["timing"] = new JsonObject { ["on-date"] = new JsonObject { ["date"] = dueText } },
                    }),
                });
            }

            var related = RelatedObservations(g, observations);
            if (related.Count > 0)
            {
                risk["related-observations"] = new JsonArray([.. related.Select(u => (JsonNode)new JsonObject { ["observation-uuid"] = u })]);
            }

            return (JsonNode)risk;
        })];

    private static List<string> RelatedObservations(ControlGap gap, Dictionary<string, (JsonObject Node, IReadOnlyList<string> Criteria)> observations) =>
        [.. observations.Where(o => o.Value.Criteria.Contains(gap.Id, StringComparer.Ordinal)).Select(o => o.Key)];

    private static JsonNode Evidence(string key, EvidenceRef e) => new JsonObject
    {
        ["href"] = $"#{EvidenceUuid(key, e with { Line = null })}",
        ["description"] = e.Line is { } l ? string.Create(CultureInfo.InvariantCulture, $"{e.Path} line {l} (SHA-256 {e.Sha256})") : $"{e.Path} (SHA-256 {e.Sha256})",
    };

    private static JsonNode Prop(string name, string value) => new JsonObject { ["name"] = name, ["ns"] = Namespace, ["value"] = value };

    private static string ControlId(string criterion) => criterion.ToLowerInvariant();

    private static string StatusWord(ControlStatus status) => status switch
    {
        ControlStatus.Deficient => "deficient",
        ControlStatus.AtRisk => "at-risk",
        _ => "no-evidence-of-failure",
    };

    /// <summary>An RFC 4122 version 5 UUID of the item within the incident, so re-exports keep their identifiers.</summary>
    private static string Uuid(string key, string item) => NameBasedUuid.NewNameBased(UuidNamespace, $"{key}\n{item}").ToString();
}
