namespace Breachline.Reporting;

/// <summary>The report's sections in reading order. Each stage adds its section's line here.</summary>
public static class ReportSections
{
    /// <summary>Creates the sections.</summary>
    public static IReadOnlyList<IReportSection> All() =>
    [
        new SummarySection(),
        new ClockSection(),
        new TracksSection(),
        new FindingsSection(),
        new HuntSection(),
        new ExposureSection(),
        new ObligationsSection(),
        new Controls.ControlsSection(),
        new ContainmentSection(),
        new EvidenceSection(),
    ];
}
