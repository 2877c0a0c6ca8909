namespace Breachline.Common;

/// <summary>Process exit codes every Breachline command uses (DESIGN.md §9).</summary>
public static class ExitCodes
{
    /// <summary>The command worked and found nothing that needs action.</summary>
    public const int Success = 0;

    /// <summary>The command worked and found something that needs action: findings, overdue deadlines, a failed verification.</summary>
    public const int ActionNeeded = 1;

    /// <summary>The command line itself was wrong.</summary>
    public const int Usage = 2;

    /// <summary>Input could not be read or was malformed.</summary>
    public const int Input = 3;
}
