using Breachline.Common;
using Breachline.Incidents;
using Breachline.Storage;
using NodaTime;

namespace Breachline.Tests.Incidents;

public sealed class IncidentClockTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Instant At(string text) => IncidentTime.ParseInstant(text, null, "test");

    private IncidentService Service(string asOf) =>
        new(Workspace.Open(_dir.Combine("ws")), new FixedTimeProvider(At(asOf).ToDateTimeOffset()));

    private Incident OpenChicago(string detected, string? aware, string asOf = "2026-03-07T22:00:00Z") =>
        Service(asOf).Open(new OpenIncidentRequest("Token abuse", At(detected), aware is null ? null : At(aware), "America/Chicago", null), "tester");

    private static DeadlineDefinition Due(IncidentService service, string id) =>
        service.Deadlines().Single(d => d.Definition.Id == id).Definition;

    [Fact]
    public void The_24_hour_auditor_deadline_is_24_real_hours_across_the_spring_forward_weekend_in_Chicago()
    {
        // 2026-03-08 02:00 CST jumps to 03:00 CDT: 24 elapsed hours land at 16:40 local, not 15:40.
        OpenChicago("2026-03-07T09:12:00-06:00", "2026-03-07T15:40:00-06:00");
        var due = Due(Service("2026-03-07T22:00:00Z"), "soc2-auditor-notice").Due!.Value;

        Assert.Equal(Duration.FromHours(24), due - At("2026-03-07T15:40:00-06:00"));
        Assert.Equal("2026-03-08T16:40:00-05:00", IncidentTime.Format(due, IncidentTime.Zone("America/Chicago")));
    }

    [Fact]
    public void The_48_hour_containment_deadline_is_48_real_hours_across_the_fall_back_night()
    {
        // 2026-11-01 02:00 CDT falls back to 01:00 CST.
        OpenChicago("2026-10-31T08:00:00-05:00", "2026-10-31T12:00:00-05:00", "2026-10-31T18:00:00Z");
        var due = Due(Service("2026-10-31T18:00:00Z"), "containment").Due!.Value;

        Assert.Equal("2026-11-02T11:00:00-06:00", IncidentTime.Format(due, IncidentTime.Zone("America/Chicago")));
    }

    [Theory]
    [InlineData("Europe/Berlin")]
    [InlineData("Asia/Kolkata")]
    [InlineData("Australia/Lord_Howe")]
    [InlineData("UTC")]
    public void Protocol_deadlines_are_the_same_instants_in_every_zone(string zone)
    {
        var service = Service("2026-03-28T00:00:00Z");
        service.Open(new OpenIncidentRequest("t", At("2026-03-28T01:00:00Z"), At("2026-03-28T02:30:00Z"), zone, null), "tester");

        Assert.Equal(At("2026-03-29T02:30:00Z"), Due(service, "soc2-auditor-notice").Due);
        Assert.Equal(At("2026-03-30T02:30:00Z"), Due(service, "containment").Due);
        Assert.Equal(At("2026-03-31T02:30:00Z"), Due(service, "regulator-ready-scope").Due);
    }

    [Theory]
    [InlineData("soc2-auditor-notice", 24)]
    [InlineData("containment", 48)]
    [InlineData("regulator-ready-scope", 72)]
    public void A_deadline_is_open_a_minute_before_it_falls_due_and_overdue_from_its_due_time(string id, int hours)
    {
        var aware = At("2026-03-07T15:40:00-06:00");
        OpenChicago("2026-03-07T09:12:00-06:00", "2026-03-07T15:40:00-06:00");
        var due = aware + Duration.FromHours(hours);

        var before = Service(IncidentTime.Format(due - Duration.FromMinutes(1), DateTimeZone.Utc)).Status();
        var after = Service(IncidentTime.Format(due, DateTimeZone.Utc)).Status();

        Assert.Equal(DeadlineStatus.Open, before.Clock.Deadlines.Single(d => d.Id == id).Status);
        Assert.Equal("0h 01m", before.Clock.Deadlines.Single(d => d.Id == id).TimeLeft);
        Assert.Equal(DeadlineStatus.Overdue, after.Clock.Deadlines.Single(d => d.Id == id).Status);
        Assert.True(after.AnyOverdue);
    }

    [Fact]
    public void A_deadline_marked_done_stays_done_after_its_due_time()
    {
        OpenChicago("2026-03-07T09:12:00-06:00", "2026-03-07T15:40:00-06:00");
        Service("2026-03-08T10:00:00-05:00").CompleteDeadline("soc2-auditor-notice", "emailed the engagement partner", "counsel");

        var later = Service("2026-03-20T00:00:00Z").Status().Clock.Deadlines.Single(d => d.Id == "soc2-auditor-notice");

        Assert.Equal(DeadlineStatus.Done, later.Status);
        Assert.Equal("emailed the engagement partner", later.Reason);
    }

    [Fact]
    public void Setting_awareness_later_recomputes_every_deadline_and_task_and_puts_the_change_on_the_timeline()
    {
        OpenChicago("2026-03-07T09:12:00-06:00", null);
        var service = Service("2026-03-07T20:00:00-06:00");
        Assert.Equal(At("2026-03-07T09:12:00-06:00") + Duration.FromHours(24), Due(service, "soc2-auditor-notice").Due);
        Assert.Contains("from detection", Due(service, "soc2-auditor-notice").DueText, StringComparison.Ordinal);

        service.Update(At("2026-03-07T18:00:00-06:00"), null, null, "commander");

        Assert.Equal(At("2026-03-08T18:00:00-06:00"), Due(service, "soc2-auditor-notice").Due);
        Assert.Equal(At("2026-03-07T18:00:00-06:00") + Duration.FromHours(4), service.Tasks().Single(t => t.Id == "preserve-logs").Due);
        Assert.Equal(Due(service, "containment").Due, service.Tasks().Single(t => t.Id == "isolate-instance").Due);
        var entries = service.Timeline();
        Assert.Contains(entries, e => e.Kind == "incident-updated" && e.Actor == "commander" && e.Detail.Contains("aware unset →", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Kind == "deadlines-recomputed" && e.Detail.Contains("soc2-auditor-notice", StringComparison.Ordinal) && e.Detail.Contains("from awareness", StringComparison.Ordinal));
    }

    [Fact]
    public void Awareness_before_detection_is_refused()
    {
        var error = Assert.Throws<UsageException>(() => OpenChicago("2026-03-07T09:12:00-06:00", "2026-03-07T08:00:00-06:00"));

        Assert.Contains("before", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_task_cannot_be_done_before_its_dependencies_unless_forced_and_forcing_is_recorded()
    {
        OpenChicago("2026-03-07T09:12:00-06:00", "2026-03-07T15:40:00-06:00");
        var service = Service("2026-03-07T17:00:00-06:00");

        var refused = Assert.Throws<UsageException>(() => service.CompleteTask("revoke-tokens", "admin"));
        var forced = service.CompleteTask("revoke-tokens", "admin", force: true);

        Assert.Contains("preserve-logs", refused.Message, StringComparison.Ordinal);
        Assert.True(forced.Changed);
        Assert.Contains(service.Timeline(), e => e.Kind == "task-done" && e.Subject == "revoke-tokens" && e.Detail.Contains("forced", StringComparison.Ordinal));
    }

    [Fact]
    public void Next_actions_are_the_ready_tasks_soonest_due_first()
    {
        OpenChicago("2026-03-07T09:12:00-06:00", "2026-03-07T15:40:00-06:00");
        var service = Service("2026-03-07T17:00:00-06:00");
        service.CompleteTask("preserve-logs", "eng");

        var next = service.Status().NextActions;

        Assert.Equal(3, next.Count);
        Assert.DoesNotContain(next, t => t.Id == "preserve-logs");
        Assert.All(next, t => Assert.True(t.Ready));
        Assert.Equal(next.OrderBy(t => t.Due).Select(t => t.Id), next.Select(t => t.Id));
        Assert.Equal("engage-counsel", next[0].Id);
    }

    [Fact]
    public void A_waiver_needs_a_reason()
    {
        OpenChicago("2026-03-07T09:12:00-06:00", "2026-03-07T15:40:00-06:00");

        Assert.Throws<UsageException>(() => Service("2026-03-07T17:00:00-06:00").WaiveDeadline("containment", " ", "x"));
    }
}
