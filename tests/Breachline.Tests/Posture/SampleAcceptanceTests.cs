using Breachline.Posture;
using Breachline.Sample;

namespace Breachline.Tests.Posture;

/// <summary>The acceptance: on every sample scenario every planted leak cause is found at its file and line, and no planted negative is flagged.</summary>
public sealed class SampleAcceptanceTests
{
    public static TheoryData<SampleScenario> Scenarios() => [.. Enum.GetValues<SampleScenario>()];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_planted_leak_cause_is_found_at_its_line_and_no_planted_negative_is_flagged(SampleScenario scenario)
    {
        using var dir = new TempDir();
        var sample = SampleOrg.Generate(new SampleOptions(Seed: 3, Students: 60, Days: SampleOptions.MinDays, Scenario: scenario), dir.Combine("org"));

        var result = PostureScan.Run(sample.Root);

        Assert.NotEmpty(sample.Truth.Findings);
        var found = result.Findings.Select(f => (f.Pattern, f.Location.Path, f.Location.Line)).ToHashSet();
        var missed = sample.Truth.Findings.Where(t => !found.Contains((t.Pattern, t.Path, t.Line))).Select(t => $"{t.Pattern} {t.Path}:{t.Line} ({t.What})").ToList();
        Assert.True(missed.Count == 0, "missed:\n" + string.Join("\n", missed));

        var flagged = result.Findings.Select(f => (f.Location.Path, f.Location.Line)).ToHashSet();
        var wrong = sample.Truth.Negatives.Where(n => flagged.Contains((n.Path, n.Line))).Select(n => $"{n.Pattern} {n.Path}:{n.Line} ({n.What})").ToList();
        Assert.True(wrong.Count == 0, "negatives flagged:\n" + string.Join("\n", wrong));
        Assert.Empty(result.Problems);
    }
}
