namespace Breachline.Incidents;

/// <summary>The protocol's own deadlines (auditor 24 h, containment 48 h, scoping 72 h), from the playbook.</summary>
public sealed class ProtocolDeadlines(Playbook playbook) : IDeadlineSource
{
    /// <inheritdoc />
    public DeadlineSource Source => DeadlineSource.Protocol;

    /// <inheritdoc />
    public IReadOnlyList<DeadlineDefinition> Compute(Incident incident) =>
        [.. playbook.Deadlines.Select(d => new DeadlineDefinition(
            d.Id,
            d.Title,
            d.Track,
            DeadlineSource.Protocol,
            incident.ClockStart + d.Within,
            incident.AwareAt is null
                ? $"{d.Within.TotalHours:0} h from detection until awareness is set"
                : $"{d.Within.TotalHours:0} h from awareness",
            "Breachline response protocol"))];
}
