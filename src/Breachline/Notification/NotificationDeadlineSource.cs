using Breachline.Incidents;

namespace Breachline.Notification;

/// <summary>
/// Puts the matrix's deadlines on the incident clock: one source for law (Source = Law), one for contracts
/// (Source = Contract). Recomputed from the incident as it stands (awareness, zone) with the current
/// exposure, org facts and counsel's facts that <paramref name="inputs"/> supplies.
/// </summary>
/// <param name="source">Law or Contract.</param>
/// <param name="engine">The engine.</param>
/// <param name="inputs">The other inputs for an incident (exposure, org, customers, facts).</param>
public sealed class NotificationDeadlineSource(DeadlineSource source, NotificationEngine engine, Func<Incident, NotificationInput> inputs) : IDeadlineSource
{
    /// <inheritdoc />
    public DeadlineSource Source => source;

    /// <inheritdoc />
    public IReadOnlyList<DeadlineDefinition> Compute(Incident incident)
    {
        var input = inputs(incident) with { AwareAt = incident.ClockStart, DetectedAt = incident.DetectedAt, Zone = incident.Zone };
        var matrix = engine.Compute(input, incident.ClockStart);
        return [.. matrix.Obligations
            .Where(o => o.Source == source && o.Triggered != Triggered.No)
            .Select(o => new DeadlineDefinition(
                o.Id,
                $"{(o.Triggered == Triggered.NeedsDecision ? "Decide and notify" : "Notify")} {o.RecipientName} ({o.Regime})",
                "compliance",
                source,
                o.Due,
                o.DueText,
                o.Citation))];
    }
}
