namespace Breachline.Posture;

/// <summary>How urgently a finding needs action. Ordered: a higher value is more severe.</summary>
public enum Severity
{
    /// <summary>Worth knowing; no action required by itself.</summary>
    Info,

    /// <summary>Hardening.</summary>
    Low,

    /// <summary>A weakness that widens an attack.</summary>
    Medium,

    /// <summary>A direct path to data.</summary>
    High,

    /// <summary>Live credentials or data open to anyone.</summary>
    Critical,
}

/// <summary>Severity names as written in data files and on the command line.</summary>
public static class SeverityNames
{
    /// <summary>The accepted names, for messages.</summary>
    public const string List = "critical, high, medium, low, info";

    /// <summary>Parses a severity name (case-insensitive).</summary>
    public static bool TryParse(string? text, out Severity severity)
    {
        severity = Severity.Info;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "critical":
                severity = Severity.Critical;
                return true;
            case "high":
                severity = Severity.High;
                return true;
            case "medium":
                severity = Severity.Medium;
                return true;
            case "low":
                severity = Severity.Low;
                return true;
            case "info":
                severity = Severity.Info;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The lower-case name.</summary>
    public static string Name(this Severity severity) => severity.ToString().ToLowerInvariant();
}
