namespace Breachline.Pipeline;

/// <summary>
/// The stages `run` chains, in pipeline order: collect → scan → hunt → scope → notify → controls → contain
/// → clock → report. Each stage issue adds its stage here; a stage that does not exist yet is simply
/// absent, never faked.
/// </summary>
public static class PipelineStages
{
    /// <summary>Creates the stages in pipeline order.</summary>
    public static IReadOnlyList<IPipelineStage> All() =>
    [
        new Evidence.CollectStage(),
        new Posture.ScanStage(),
        new Forensics.HuntStage(),
        new Exposure.ScopeStage(),
        new Notification.NotifyStage(),
        new Controls.ControlsStage(),
        new Containment.ContainStage(),
        new Incidents.ClockStage(),
        new Reporting.ReportStage(),
    ];
}
