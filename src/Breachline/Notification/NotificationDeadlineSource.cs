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

    /// <summary>
    /// The law and contract sources of a workspace: inputs are the last stored exposure, org facts and
    /// customers, with counsel's current facts. Pass them to <see cref="IncidentService"/> so an awareness
    /// change recomputes the notification deadlines too. Empty until the notify stage has run.
    /// </summary>
    public static IReadOnlyList<IDeadlineSource> ForWorkspace(Storage.Workspace workspace, NotificationEngine? engine = null)
    {
        if (NotificationStore.LoadInputs(workspace) is not { } stored)
        {
            return [];
        }

        var e = engine ?? NotificationEngine.Shipped;
        NotificationInput Inputs(Incident _) => stored.ToInput(NotificationStore.LoadFacts(workspace));
        return [new NotificationDeadlineSource(DeadlineSource.Law, e, Inputs), new NotificationDeadlineSource(DeadlineSource.Contract, e, Inputs)];
    }

    /// <summary>Puts the workspace's notification deadlines on the incident clock, when an incident is open.</summary>
    public static void Publish(Storage.Workspace workspace, TimeProvider time, string actor)
    {
        var sources = ForWorkspace(workspace);
        var incidents = new IncidentService(workspace, time, sources);
        if (sources.Count > 0 && incidents.Find() is not null)
        {
            incidents.RecomputeDeadlines(actor);
        }
    }

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
