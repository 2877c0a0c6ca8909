using Breachline.Common;
using Breachline.Incidents;
using Breachline.Org;
using Breachline.Pipeline;
using NodaTime;

namespace Breachline.Notification;

/// <summary>
/// The notify stage of `run`: computes the notification matrix from the scope stage's <see cref="ExposureFacts"/>
/// and sets the incident document's <c>obligations</c>. Without exposure it does nothing and says so; it never
/// invents exposure.
/// </summary>
/// <param name="engine">The engine (default: shipped regimes).</param>
public sealed class NotifyStage(NotificationEngine? engine = null) : IPipelineStage
{
    private readonly NotificationEngine _engine = engine ?? NotificationEngine.Shipped;

    /// <inheritdoc />
    public string Name => "notify";

    /// <summary>Why the stage did nothing, when it did nothing.</summary>
    public string? Skipped { get; private set; }

    /// <inheritdoc />
    public Task RunAsync(PipelineContext context, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var exposure = context.Get<ExposureFacts>();
        if (exposure is null)
        {
            Skipped = "notify: no exposure facts (the scope stage has not run), so no obligations were computed";
            progress.Report(1);
            return Task.CompletedTask;
        }

        var facts = context.Org.Facts;
        var clock = new IncidentService(context.Workspace, context.Time).Find();
        var now = Instant.FromDateTimeOffset(context.Time.GetUtcNow());
        var zoneId = clock?.TimeZone ?? facts?.TimeZone ?? "UTC";
        var zone = IncidentTime.Zone(zoneId);
        IReadOnlyList<CustomerContract> customers = [];
        if (context.Org.CustomersPath is { } customersPath)
        {
            try
            {
                customers = CustomerFile.Load(customersPath);
            }
            catch (InputException e)
            {
                context.Report(e.Problems);
            }
        }

        var input = new NotificationInput(
            clock?.Id ?? "incident",
            clock?.DetectedAt ?? now,
            clock?.ClockStart ?? now,
            zone,
            facts?.InstitutionKind ?? InstitutionKind.PublicUniversity,
            facts?.HomeJurisdiction,
            facts?.Name ?? "the organisation",
            facts?.AuditPeriod?.Auditor,
            facts?.AuditPeriod is { } p ? (LocalDate.FromDateOnly(p.Start), LocalDate.FromDateOnly(p.End)) : null,
            exposure,
            customers,
            NotificationStore.LoadFacts(context.Workspace));
        var matrix = _engine.Compute(input, now);
        NotificationStore.SaveInputs(context.Workspace, StoredInputs.From(input), now);
        context.Set(matrix);
        context.Document.Set("obligations", NotificationOutputs.ToDocuments(matrix, zone, now));
        NotificationDeadlineSource.Publish(context.Workspace, context.Time, context.Actor);
        progress.Report(1);
        return Task.CompletedTask;
    }
}
