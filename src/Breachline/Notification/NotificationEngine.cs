using System.Globalization;
using Breachline.Common;
using Breachline.Incidents;
using Breachline.Org;
using NodaTime;

namespace Breachline.Notification;

/// <summary>
/// Computes the notification matrix: for every regime whose residents were exposed, every notice it requires
/// of an organisation of this kind and role, whether it is triggered (with the trace of why), how many people
/// it concerns, when it is due and on what authority. Pure: same input, same matrix.
/// </summary>
/// <param name="regimes">The validated regimes.</param>
public sealed class NotificationEngine(RegimeCatalog regimes)
{
    private readonly DeadlineCalculator _deadlines = new(regimes.Calendars);

    /// <summary>The engine over the shipped regimes.</summary>
    public static NotificationEngine Shipped { get; } = new(RegimeCatalog.Shipped);

    /// <summary>The regimes in use.</summary>
    public RegimeCatalog Regimes => regimes;

    /// <summary>Computes the matrix as of <paramref name="asOf"/> (used only to order overdue rows first).</summary>
    public NotificationMatrix Compute(NotificationInput input, Instant asOf)
    {
        var elements = regimes.Elements;
        var groups = input.Exposure.Groups.Select(g => (g.Jurisdiction, Set: elements.Set(g.Elements), g.Count)).ToList();
        ulong protectedMask = 0, keyLostMask = 0;
        foreach (var (token, p) in input.Exposure.Protection)
        {
            if (p.Encrypted && !p.KeyExposed)
            {
                protectedMask |= elements.Bit(token);
            }
            else if (p.Encrypted)
            {
                keyLostMask |= elements.Bit(token);
            }
        }

        var context = new EvalContext(input, groups, protectedMask, keyLostMask, elements.Bit("name"));
        var rows = new List<Obligation>();
        foreach (var regime in regimes.Regimes)
        {
            Evaluate(regime, context, rows);
        }

        AddContracts(input, rows);
        // The response period runs to the last dated deadline, and at least 30 days: the shortest fixed US
        // individual-notice period, within which a vendor's customers run their own notices.
        var end = rows.Where(o => o.Triggered != Triggered.No && o.Due is not null).Select(o => o.Due!.Value).Append(input.AwareAt + Duration.FromDays(30)).Max();
        var ordered = rows
            .OrderBy(o => o.Triggered == Triggered.No ? 2 : o.Due is null ? 1 : 0)
            .ThenBy(o => o.Due ?? Instant.MaxValue)
            .ThenBy(o => o.Regime, StringComparer.Ordinal)
            .ThenBy(o => o.Notice, StringComparer.Ordinal)
            .ToList();
        return new NotificationMatrix(ordered, ContractsAtRisk(input, end), end);
    }

    private sealed record EvalContext(NotificationInput Input, List<(string Jurisdiction, ulong Set, long Count)> Groups, ulong Protected, ulong KeyLost, ulong NameBit);

    private static string Kind(InstitutionKind kind) => kind switch
    {
        InstitutionKind.PublicUniversity => "public-university",
        InstitutionKind.PrivateUniversity => "private-university",
        _ => "vendor",
    };

    private static bool Covers(RegimeEntry regime, string jurisdiction) =>
        regime.Jurisdictions.Any(r => r == "*" || r == jurisdiction || jurisdiction.StartsWith(r + "-", StringComparison.Ordinal));

    private void Evaluate(RegimeEntry regime, EvalContext ctx, List<Obligation> rows)
    {
        var input = ctx.Input;
        var facts = input.Facts;
        var matched = ctx.Groups.Where(g => g.Count > 0 && Covers(regime, g.Jurisdiction)).ToList();
        if (matched.Count == 0)
        {
            return;
        }

        var kind = Kind(input.Kind);
        var processor = input.Kind == InstitutionKind.Vendor && facts.Get("vendor-role") != "controller";
        // A vendor acting as controller is bound like any private data owner.
        var ownerKind = input.Kind == InstitutionKind.Vendor && !processor ? "private-university" : kind;
        var regimeApplies = facts.Bool("applies", regime.Id);
        foreach (var notice in regime.Notices)
        {
            if (notice.Role == "owner" && processor || notice.Role == "processor" && !processor)
            {
                continue;
            }

            var why = new List<string>();
            var citation = notice.Citation ?? regime.Citation;
            var source = regime.Id == "SOC2" ? DeadlineSource.Protocol : DeadlineSource.Law;
            Obligation Row(Triggered t, long affected, ulong triggering, Instant? due, string dueText, string? name = null) =>
                new(regime.Id, notice.Id, notice.Recipient, name ?? notice.Name, t, why, affected, due, dueText, citation, source, notice.Content, regimes.Elements.Tokens(triggering));

            if (regimeApplies == false)
            {
                why.Add($"counsel set applies.{regime.Id}=false");
                rows.Add(Row(Triggered.No, 0, 0, null, notice.Deadline.Text ?? ""));
                continue;
            }

            var entityKind = notice.Role == "processor" ? kind : ownerKind;
            var entities = notice.Entities ?? regime.Entities;
            if (entities is not null && !entities.Contains(entityKind))
            {
                why.Add($"binds {string.Join(", ", entities)}; this organisation is a {entityKind}");
                if (regime.PublicEntityNote is { } pen && entityKind == "public-university")
                {
                    why.Add(pen);
                }

                rows.Add(Row(Triggered.No, 0, 0, null, notice.Deadline.Text ?? ""));
                continue;
            }

            if (regime.Reach == "establishment" && regimeApplies is null && !(input.HomeJurisdiction is { } home && Covers(regime, home)))
            {
                why.Add($"binds organisations established in {string.Join(", ", regime.Jurisdictions.Take(3))}; home jurisdiction is {input.HomeJurisdiction ?? "unknown"} (set applies.{regime.Id}=true if it does apply)");
                rows.Add(Row(Triggered.No, 0, 0, null, notice.Deadline.Text ?? ""));
                continue;
            }

            var trigger = notice.Trigger ?? regime.Trigger!;
            var harbour = regime.Encryption?.SafeHarbour == true || notice.EncryptionExempts;
            var withName = regimes.Elements.Set(trigger.WithName);
            var standalone = regimes.Elements.Set(trigger.Standalone);
            var alternatives = regimes.Elements.Set(trigger.NameAlternatives);
            ulong triggering = 0, harboured = 0, keyLost = 0, nameless = 0;
            var perJurisdiction = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var (jurisdiction, set, people) in matched)
            {
                var effective = harbour ? set & ~ctx.Protected : set;
                ulong hit;
                if (trigger.AnyPersonalData)
                {
                    hit = effective;
                }
                else
                {
                    var named = (effective & (ctx.NameBit | alternatives)) != 0;
                    hit = (effective & standalone) | (named ? effective & withName : 0);
                    if (!named)
                    {
                        nameless |= effective & withName;
                    }
                }

                if (harbour)
                {
                    harboured |= set & ctx.Protected & (trigger.AnyPersonalData ? ~0UL : withName | standalone);
                }

                if (hit == 0)
                {
                    continue;
                }

                triggering |= hit;
                keyLost |= harbour ? hit & ctx.KeyLost : 0;
                perJurisdiction[jurisdiction] = perJurisdiction.GetValueOrDefault(jurisdiction) + people;
            }

            if (input.Exposure.JurisdictionTotals is { } totals)
            {
                foreach (var j in perJurisdiction.Keys.ToList())
                {
                    if (totals.TryGetValue(j, out var cap) && cap < perJurisdiction[j])
                    {
                        perJurisdiction[j] = cap;
                        why.Add($"{j}: counts come from per-element totals, capped at {cap} distinct residents");
                    }
                }
            }

            var affected = perJurisdiction.Values.Sum();
            var where = string.Join(", ", perJurisdiction.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value}")));
            if (harboured != 0)
            {
                why.Add($"safe harbour: encrypted {string.Join(", ", regimes.Elements.Tokens(harboured))} without its key not counted");
            }

            if (keyLost != 0)
            {
                why.Add(regime.Encryption?.KeyClause == "lost"
                    ? $"encrypted {string.Join(", ", regimes.Elements.Tokens(keyLost))} counted: the key was exposed and the statute withdraws the safe harbour"
                    : $"encrypted {string.Join(", ", regimes.Elements.Tokens(keyLost))} counted: the key was exposed; the statute is silent on keys, treated conservatively");
            }

            if (triggering == 0)
            {
                why.Add(trigger.AnyPersonalData
                    ? "no personal data of its residents left in clear"
                    : nameless != 0
                        ? $"{string.Join(", ", regimes.Elements.Tokens(nameless))} exposed without the name the statute requires with them"
                        : "no element of its definition was exposed");
                rows.Add(Row(Triggered.No, 0, 0, null, notice.Deadline.Text ?? ""));
                continue;
            }

            why.Add(trigger.AnyPersonalData
                ? $"personal data exposed: {string.Join(", ", regimes.Elements.Tokens(triggering))}"
                : $"elements: {string.Join(", ", regimes.Elements.Tokens(triggering))}{((triggering & standalone) != 0 ? $" (standalone: {string.Join(", ", regimes.Elements.Tokens(triggering & standalone))})" : "")}");
            if (notice.RequireCategories is { } required && (triggering & regimes.Elements.InCategories(required)) == 0)
            {
                why.Add($"none of the exposed data is {string.Join("/", required)}{(notice.RequireNote is null ? "" : $" ({notice.RequireNote})")}");
                rows.Add(Row(Triggered.No, affected, triggering, null, notice.Deadline.Text ?? ""));
                continue;
            }

            var count = notice.PerJurisdiction ? perJurisdiction.Values.DefaultIfEmpty(0).Max() : affected;
            var threshold = notice.ThresholdText ?? string.Create(CultureInfo.InvariantCulture, $"≥ {notice.Threshold}");
            if (count < notice.Threshold)
            {
                why.Add(string.Create(CultureInfo.InvariantCulture, $"{count} affected ({where}) is below the threshold {threshold}"));
                rows.Add(Row(Triggered.No, affected, triggering, null, notice.Deadline.Text ?? ""));
                continue;
            }

            why.Add(notice.Threshold > 1
                ? string.Create(CultureInfo.InvariantCulture, $"{count} affected ({where}) meets the threshold {threshold}")
                : $"affected: {where}");
            var triggered = Condition(regime, notice, facts, count, triggering, why);
            if (notice.Voluntary && triggered == Triggered.Yes)
            {
                why.Add("recommended by the regulator, not mandatory");
            }

            if (regime.Id == "SOC2")
            {
                triggered = AuditPeriod(input, why, triggered);
            }

            var name = notice.Name;
            if (notice.LeadAuthority)
            {
                name = facts.Get("lead-sa") is { } lead
                    ? $"Lead supervisory authority ({lead})"
                    : $"Each supervisory authority where affected data subjects live: {string.Join(", ", perJurisdiction.Keys)} (no EU main establishment recorded: set lead-sa)";
            }
            else if (notice.Recipient == "auditor" && input.Auditor is { } auditor)
            {
                name = $"{auditor} (SOC 2 service auditor)";
            }

            var malicious = notice.MaliciousAmount is not null && facts.Bool("malicious-attack") == true ? notice.MaliciousAmount : null;
            var delay = notice.Recipient == "individuals" && regime.Family is "us-state" or "federal" ? facts.InstantOf("law-enforcement-delay-until") : null;
            if (delay is not null)
            {
                why.Add($"law enforcement asked to delay individual notice until {IncidentTime.Format(delay.Value, input.Zone)}");
            }

            var (due, text) = _deadlines.Due(notice.Deadline, input, malicious, delay);
            rows.Add(Row(triggered, affected, triggering, due, text, name));
        }
    }

    private static Triggered AuditPeriod(NotificationInput input, List<string> why, Triggered triggered)
    {
        if (input.AuditPeriod is not { } period)
        {
            why.Add("no SOC 2 audit period in org.yaml: disclose if the incident falls in a period under audit");
            return Triggered.NeedsDecision;
        }

        var aware = input.AwareAt.InZone(input.Zone).Date;
        if (aware < period.Start || aware > period.End)
        {
            why.Add($"incident outside the audit period {period.Start:yyyy-MM-dd}..{period.End:yyyy-MM-dd}: a subsequent event for counsel and the auditor to weigh");
            return Triggered.NeedsDecision;
        }

        why.Add($"incident inside the audit period {period.Start:yyyy-MM-dd}..{period.End:yyyy-MM-dd}");
        return triggered;
    }

    private static int RiskRank(string? level) => level switch
    {
        "none" => 0,
        "low" => 1,
        "risk" => 2,
        "high" => 3,
        _ => -1,
    };

    private Triggered Condition(RegimeEntry regime, NoticeSpec notice, CounselFacts facts, long count, ulong triggering, List<string> why)
    {
        var condition = notice.Condition;
        var risk = facts.Get("risk-level", regime.Id);
        switch (condition)
        {
            case "none":
                return Triggered.Yes;
            case "harm-exception":
                return HarmException(regime, facts, why);
            case "risk" or "high-risk":
                {
                    var needed = condition == "risk" ? 2 : 3;
                    var wording = condition == "risk" ? "a risk to individuals" : "a high risk / serious harm to individuals";
                    if (risk is null)
                    {
                        why.Add($"needs counsel's risk assessment: notice is required when the breach is likely to result in {wording} (set risk-level)");
                        return Triggered.NeedsDecision;
                    }

                    why.Add($"risk-level={risk} (counsel){(RiskRank(risk) >= needed ? "" : $": below {wording}")}");
                    if (RiskRank(risk) < needed && regime.RecordKeeping is { } keep)
                    {
                        why.Add(keep);
                    }

                    if (RiskRank(risk) < needed && regime.Id is "EU-GDPR" or "UK-GDPR")
                    {
                        why.Add("document the breach and the decision not to notify (Art. 33(5))");
                    }

                    return RiskRank(risk) >= needed ? Triggered.Yes : Triggered.No;
                }

            case "any-of":
                {
                    if (notice.OrCount is { } n && count >= n)
                    {
                        why.Add(string.Create(CultureInfo.InvariantCulture, $"{count} affected reaches {n}"));
                        return Triggered.Yes;
                    }

                    if (notice.OrCategories is { } cats && (triggering & regimes.Elements.InCategories(cats)) is var hit && hit != 0)
                    {
                        why.Add($"{string.Join(", ", regimes.Elements.Tokens(hit))} is {string.Join("/", cats)} data");
                        return Triggered.Yes;
                    }

                    if (notice.OrFact is { } fact && facts.Bool(fact, regime.Id) == true)
                    {
                        why.Add($"{fact}=true (counsel)");
                        return Triggered.Yes;
                    }

                    if (notice.OrRisk is { } level && RiskRank(risk) >= RiskRank(level))
                    {
                        why.Add($"risk-level={risk} (counsel)");
                        return Triggered.Yes;
                    }

                    var open = new List<string>();
                    if (notice.OrFact is { } f && facts.Bool(f, regime.Id) is null)
                    {
                        open.Add($"{f} (was the incident malicious?)");
                    }

                    if (notice.OrRisk is not null && risk is null)
                    {
                        open.Add("risk-level");
                    }

                    if (open.Count > 0)
                    {
                        why.Add($"no count, data category or fact triggers it yet; counsel to set {string.Join(" and ", open)}");
                        return Triggered.NeedsDecision;
                    }

                    why.Add("neither the count, the data categories nor counsel's facts meet its conditions");
                    return Triggered.No;
                }

            default:
                {
                    var names = condition[5..].Split('+');
                    var values = names.Select(f => (f, v: facts.Bool(f, regime.Id))).ToList();
                    if (values.FirstOrDefault(p => p.v == false) is { f: not null } no)
                    {
                        why.Add($"{no.f}=false (counsel)");
                        return Triggered.No;
                    }

                    var unset = values.Where(p => p.v is null).Select(p => p.f).ToList();
                    if (unset.Count > 0)
                    {
                        why.Add($"counsel to decide: {string.Join(", ", unset.Select(u => CounselFacts.Definitions.First(d => d.Name == u).Description + $" ({u})"))}");
                        return Triggered.NeedsDecision;
                    }

                    why.Add(string.Join(", ", names.Select(f => f + "=true")) + " (counsel)");
                    return Triggered.Yes;
                }
        }
    }

    private static Triggered HarmException(RegimeEntry regime, CounselFacts facts, List<string> why)
    {
        var harm = regime.Harm;
        if (harm is not { Exception: true })
        {
            return Triggered.Yes;
        }

        var documentation = harm.Documentation;
        var keep = documentation?.RetentionYears is { } years ? string.Create(CultureInfo.InvariantCulture, $", kept {years} years") : "";
        if (facts.Bool("no-harm", regime.Id) != true)
        {
            why.Add($"no-harm exception available{(harm.Standard is null ? "" : $" ({harm.Standard})")}; not determined, so notice is due");
            return Triggered.Yes;
        }

        if (documentation?.Required == true && facts.Bool("no-harm-documented", regime.Id) != true)
        {
            why.Add($"no-harm determined, but the statute requires it in writing{keep}: record it (no-harm-documented=true) before relying on it");
            return Triggered.NeedsDecision;
        }

        why.Add($"no-harm exception applied (counsel's determination{(documentation?.Required == true ? $", documented{keep}" : "")})");
        if (documentation?.RegulatorNotice is { } regulator)
        {
            why.Add($"the determination itself must be reported: {regulator}");
        }

        return Triggered.No;
    }

    private void AddContracts(NotificationInput input, List<Obligation> rows)
    {
        foreach (var customer in input.Customers)
        {
            var why = new List<string>();
            Triggered triggered;
            long affected;
            if (input.Exposure.ByCustomer is { } byCustomer)
            {
                affected = byCustomer.GetValueOrDefault(customer.Id);
                triggered = affected > 0 ? Triggered.Yes : Triggered.No;
                why.Add(affected > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"{affected} of its individuals exposed")
                    : "none of its individuals exposed");
            }
            else
            {
                affected = input.Exposure.Individuals;
                triggered = Triggered.Yes;
                why.Add("exposure is not split by customer: every customer is presumed affected");
            }

            why.Add(string.Create(CultureInfo.InvariantCulture, $"agreement requires notice within {customer.NoticeWindowHours} hours of awareness"));
            var due = _deadlines.Add(input.AwareAt, customer.NoticeWindowHours, "hours", null, input.Zone);
            rows.Add(new Obligation(
                $"CONTRACT:{customer.Id}", "notice", "customer", customer.Contact is null ? customer.Name : $"{customer.Name} ({customer.Contact})",
                triggered, why, affected, due,
                string.Create(CultureInfo.InvariantCulture, $"within {customer.NoticeWindowHours} hours of awareness {IncidentTime.Format(input.AwareAt, input.Zone)}"),
                customer.Clause is null ? $"Agreement with {customer.Name}" : $"Agreement with {customer.Name}, {customer.Clause}",
                DeadlineSource.Contract, "customer", []));
        }
    }

    private static List<ContractAtRisk> ContractsAtRisk(NotificationInput input, Instant end)
    {
        var from = input.AwareAt.InZone(input.Zone).Date;
        var to = end.InZone(input.Zone).Date;
        var risks = new List<ContractAtRisk>();
        foreach (var c in input.Customers)
        {
            if (c.Renewal is { } renewal && LocalDate.FromDateOnly(renewal) is var r && r >= from && r <= to)
            {
                risks.Add(new ContractAtRisk(c.Id, c.Name, $"renewal on {r:yyyy-MM-dd} falls inside the response period", r));
            }

            if (c.SecurityReview is { } review && LocalDate.FromDateOnly(review.Start) <= to && LocalDate.FromDateOnly(review.End) >= from)
            {
                var start = LocalDate.FromDateOnly(review.Start);
                risks.Add(new ContractAtRisk(c.Id, c.Name, $"security review {review.Start:yyyy-MM-dd}..{review.End:yyyy-MM-dd} overlaps the response period", start < from ? from : start));
            }
        }

        return [.. risks.OrderBy(r => r.Date)];
    }
}
