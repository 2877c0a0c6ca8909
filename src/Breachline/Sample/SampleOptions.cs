using System.Globalization;

namespace Breachline.Sample;

/// <summary>Which leak the generated org suffers; each plants one attack in the logs.</summary>
public enum SampleScenario
{
    /// <summary>A chat integration's OAuth refresh token is replayed from new IPs and exports students with Bulk API 2.0.</summary>
    TokenTheft,

    /// <summary>A guest sharing rule exposes student contacts to anyone on the public admissions site.</summary>
    GuestExposure,

    /// <summary>Credentials hard-coded in a vendor's student portal are used from a new IP for mass REST queries.</summary>
    PortalCredentials,
}

/// <summary>What to generate. The defaults are the small org the demo and most tests use.</summary>
/// <param name="Seed">Seed of every random choice; the same seed gives byte-identical output.</param>
/// <param name="Students">Number of student contacts.</param>
/// <param name="Days">Days of logs, ending two days after the attack.</param>
/// <param name="LogBytes">Target size of logs/ in bytes; null for the natural background of the org.</param>
/// <param name="Scenario">The planted incident.</param>
public sealed record SampleOptions(
    int Seed = 1,
    int Students = 400,
    int Days = 14,
    long? LogBytes = null,
    SampleScenario Scenario = SampleScenario.TokenTheft)
{
    /// <summary>Fewest days that still hold the attack's prelude and aftermath.</summary>
    public const int MinDays = 5;

    /// <summary>The scenario's command-line name (token-theft, guest-exposure, portal-credentials).</summary>
    public string ScenarioName => ScenarioNames.Name(Scenario);

    /// <summary>Checks the options; returns the first problem as a message, or null.</summary>
    public string? Problem() =>
        Students < 20 ? "students must be at least 20"
        : Students > 2_000_000 ? "students must be at most 2000000"
        : Days < MinDays ? $"days must be at least {MinDays}"
        : Days > 120 ? "days must be at most 120"
        : LogBytes is < 0 ? "log size must be positive"
        : null;

    /// <summary>Parses a size such as 500MB, 2GB, 64KB or a plain number of bytes (units are powers of 1024).</summary>
    /// <exception cref="FormatException">The text is not a size.</exception>
    public static long ParseSize(string text)
    {
        var t = text.Trim().ToUpperInvariant();
        (string unit, long factor)[] units = [("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10), ("G", 1L << 30), ("M", 1L << 20), ("K", 1L << 10), ("B", 1)];
        foreach (var (unit, factor) in units)
        {
            if (t.EndsWith(unit, StringComparison.Ordinal)
                && double.TryParse(t[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0)
            {
                return (long)(n * factor);
            }
        }

        return long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes) && bytes > 0
            ? bytes
            : throw new FormatException($"'{text}' is not a size; write it as 500MB or 2GB");
    }
}

/// <summary>Command-line names of the scenarios.</summary>
public static class ScenarioNames
{
    /// <summary>All names, in order.</summary>
    public static IReadOnlyList<string> All { get; } = ["token-theft", "guest-exposure", "portal-credentials"];

    /// <summary>The kebab-case name of a scenario.</summary>
    public static string Name(SampleScenario scenario) => scenario switch
    {
        SampleScenario.TokenTheft => "token-theft",
        SampleScenario.GuestExposure => "guest-exposure",
        SampleScenario.PortalCredentials => "portal-credentials",
        _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
    };

    /// <summary>Parses a kebab-case scenario name.</summary>
    /// <exception cref="FormatException">Not one of <see cref="All"/>.</exception>
    public static SampleScenario Parse(string name) => name switch
    {
        "token-theft" => SampleScenario.TokenTheft,
        "guest-exposure" => SampleScenario.GuestExposure,
        "portal-credentials" => SampleScenario.PortalCredentials,
        _ => throw new FormatException($"unknown scenario '{name}'; use one of {string.Join(", ", All)}"),
    };
}
