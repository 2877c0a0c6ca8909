using Breachline.Common;
using Breachline.Incidents;
using Breachline.Storage;
using NodaTime;

namespace Breachline.Tests.Incidents;

public sealed class AddTaskTests : IDisposable
{
    private static readonly Instant Detected = At("2026-03-17T09:41:00-04:00");
    private static readonly Instant Aware = At("2026-03-18T15:30:00-04:00");
    private static readonly Instant Fixed = At("2026-04-17T15:30:00-04:00");
    private readonly TempDir _dir = new();

    public AddTaskTests() =>
        Service().Open(new OpenIncidentRequest("Campus Chat token theft", Detected, Aware, "America/New_York", null), "lead");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_new_task_goes_on_its_track_as_todo_with_a_task_added_entry()
    {
        var service = Service();

        var added = service.AddTask(new NewTask("poam-cc6.1", "compliance", "Remediate CC6.1", "soc2-owner", Fixed), "controls");

        Assert.Equal(TaskAddOutcome.Added, added.Outcome);
        var task = service.Tasks().Single(t => t.Id == "poam-cc6.1");
        Assert.Equal("compliance", task.Track);
        Assert.Equal(TaskState.Todo, task.Status);
        Assert.Equal("soc2-owner", task.Owner);
        Assert.Equal(Fixed, task.Due);
        Assert.Equal("poam-cc6.1", service.Tasks()[^1].Id);
        Assert.Single(service.Timeline(), e => e.Kind == "task-added" && e.Subject == "poam-cc6.1" && e.Actor == "controls");
    }

    [Fact]
    public void Adding_the_same_task_again_writes_nothing()
    {
        var service = Service();
        var task = new NewTask("poam-cc6.1", "compliance", "Remediate CC6.1", "soc2-owner", Fixed);
        service.AddTask(task, "controls");
        var entries = service.Timeline().Count;

        var again = service.AddTask(task, "controls");

        Assert.Equal(TaskAddOutcome.Unchanged, again.Outcome);
        Assert.Equal(entries, service.Timeline().Count);
        Assert.Single(service.Tasks(), t => t.Id == "poam-cc6.1");
    }

    [Fact]
    public void A_changed_title_or_due_date_updates_the_task_and_keeps_the_responders_owner_and_status()
    {
        var service = Service();
        service.AddTask(new NewTask("poam-cc6.1", "compliance", "Remediate CC6.1", "soc2-owner", Fixed), "controls");
        service.AssignTask("poam-cc6.1", "dana.reyes", "lead");
        service.StartTask("poam-cc6.1", "dana.reyes");
        var later = Fixed + Duration.FromDays(60);

        var updated = service.AddTask(new NewTask("poam-cc6.1", "compliance", "Remediate CC6.1 (at risk)", "soc2-owner", later), "controls");

        Assert.Equal(TaskAddOutcome.Updated, updated.Outcome);
        Assert.Equal("Remediate CC6.1 (at risk)", updated.Task.Title);
        Assert.Equal(later, updated.Task.Due);
        Assert.Equal("dana.reyes", updated.Task.Owner);
        Assert.Equal(TaskState.Started, updated.Task.Status);
        var entry = Assert.Single(service.Timeline(), e => e.Kind == "task-updated");
        Assert.Contains("title", entry.Detail, StringComparison.Ordinal);
        Assert.Contains("due", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recompute_after_awareness_moves_keeps_the_fixed_due_time_and_moves_the_playbook_ones()
    {
        var service = Service();
        service.AddTask(new NewTask("poam-cc6.1", "compliance", "Remediate CC6.1", "soc2-owner", Fixed), "controls");
        var engageBefore = service.Tasks().Single(t => t.Id == "engage-counsel").Due;

        service.Update(Aware - Duration.FromHours(2), null, null, "lead");

        Assert.Equal(Fixed, service.Tasks().Single(t => t.Id == "poam-cc6.1").Due);
        Assert.Equal(engageBefore - Duration.FromHours(2), service.Tasks().Single(t => t.Id == "engage-counsel").Due);
    }

    [Fact]
    public void An_unknown_track_or_an_id_of_another_track_is_refused()
    {
        var service = Service();

        Assert.Throws<UsageException>(() => service.AddTask(new NewTask("poam-cc6.1", "legal", "x", null, null), "controls"));
        Assert.Throws<UsageException>(() => service.AddTask(new NewTask("preserve-logs", "compliance", "x", null, null), "controls"));
        Assert.DoesNotContain(service.Tasks(), t => t.Id == "poam-cc6.1");
    }

    private static Instant At(string text) => IncidentTime.ParseInstant(text, null, "test");

    private IncidentService Service() =>
        new(Workspace.Open(_dir.Combine("ws")), new FixedTimeProvider((Aware + Duration.FromHours(30)).ToDateTimeOffset()));
}
