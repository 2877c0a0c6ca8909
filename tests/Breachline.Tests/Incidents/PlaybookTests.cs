using Breachline.Common;
using Breachline.Incidents;

namespace Breachline.Tests.Incidents;

public sealed class PlaybookTests
{
    [Fact]
    public void The_built_in_playbook_has_the_three_protocol_deadlines_and_two_tracks()
    {
        var playbook = Playbook.Load();

        Assert.Equal(["soc2-auditor-notice", "containment", "regulator-ready-scope"], playbook.Deadlines.Select(d => d.Id));
        Assert.Equal([24.0, 48.0, 72.0], playbook.Deadlines.Select(d => d.Within.TotalHours));
        Assert.Equal(["technical", "compliance"], playbook.Tracks.Select(t => t.Name));
        Assert.Contains(playbook.Tracks[1].Tasks, t => t.Id == "ferpa-disclosure-record");
    }

    [Fact]
    public void An_unknown_dependency_is_named_with_file_line_and_field()
    {
        var path = Fixtures.Path("playbooks", "unknown-dependency.yaml");

        var error = Assert.Throws<InputException>(() => Playbook.Load(path));

        var problem = Assert.Single(error.Problems);
        Assert.Equal(path, problem.File);
        Assert.Equal(10, problem.Line);
        Assert.Equal("notify-auditor.dependsOn", problem.Field);
        Assert.Contains("'engage-counsel' is not a task", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dependency_cycle_is_named_with_its_path()
    {
        var error = Assert.Throws<InputException>(() => Playbook.Load(Fixtures.Path("playbooks", "cycle.yaml")));

        var problem = Assert.Single(error.Problems);
        Assert.Contains("cycle", problem.Message, StringComparison.Ordinal);
        Assert.Contains("a → c → b → a", problem.Message, StringComparison.Ordinal);
        Assert.Equal(5, problem.Line);
    }

    [Fact]
    public void Bad_offsets_are_each_reported_with_their_line()
    {
        var error = Assert.Throws<InputException>(() => Playbook.Load(Fixtures.Path("playbooks", "bad-offset.yaml")));

        Assert.Collection(
            error.Problems.OrderBy(p => p.Line),
            p => Assert.Equal((2, "containment.within"), (p.Line!.Value, p.Field)),
            p => Assert.Equal((10, "revoke.due"), (p.Line!.Value, p.Field)),
            p => Assert.Equal((13, "report.due"), (p.Line!.Value, p.Field)));
        Assert.Contains(error.Problems, p => p.Message.Contains("months or years", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_key_is_refused_with_its_line()
    {
        var error = Assert.Throws<InputException>(() => Playbook.Parse("tracks:\n  - name: technical\n    titel: Typo\n", "typo.yaml"));

        Assert.Equal(3, error.Problems[0].Line);
        Assert.Contains("titel", error.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_task_due_before_its_dependency_is_refused()
    {
        const string yaml = """
            tracks:
              - name: technical
                title: Technical
                tasks:
                  - id: hunt
                    title: Hunt
                    due: PT12H
                  - id: scope
                    title: Scope
                    due: PT6H
                    dependsOn: [hunt]
            """;

        var error = Assert.Throws<InputException>(() => Playbook.Parse(yaml, "order.yaml"));

        Assert.Equal("scope.due", Assert.Single(error.Problems).Field);
    }

    // Found by fuzzing (fuzz/run.sh data-yaml, 2026-12-05): a task id used twice crashed the due-order check.
    [Fact]
    public void A_task_id_used_twice_is_refused_with_the_line_of_the_second()
    {
        const string yaml = """
            tracks:
              - name: technical
                title: Technical
                tasks:
                  - id: revoke-tokens
                    title: Revoke
                    due: PT1H
                  - id: revoke-tokens
                    title: Revoke again
                    due: PT2H
            """;

        var error = Assert.Throws<InputException>(() => Playbook.Parse(yaml, "twice.yaml"));

        var problem = Assert.Single(error.Problems);
        Assert.Equal(("revoke-tokens.id", 8, "is used by another task"), (problem.Field, problem.Line, problem.Message));
    }
}
