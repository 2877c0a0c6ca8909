namespace Breachline.Common;

/// <summary>
/// Input Breachline cannot read: names the file and, where known, the line and field, so the person at
/// the keyboard can go straight to it. Maps to exit code 3.
/// </summary>
public sealed class InputException : Exception
{
    /// <summary>One problem.</summary>
    public InputException(string file, int? line, string message, string? field = null, Exception? inner = null)
        : this([new InputProblem(file, line, message, field)], inner)
    {
    }

    /// <summary>Every problem found in one pass, so the user fixes them all at once.</summary>
    public InputException(IReadOnlyList<InputProblem> problems, Exception? inner = null)
        : base(string.Join(Environment.NewLine, problems), inner)
    {
        ArgumentOutOfRangeException.ThrowIfZero(problems.Count);
        Problems = problems;
    }

    /// <summary>What was wrong, and where; never empty.</summary>
    public IReadOnlyList<InputProblem> Problems { get; }
}

/// <summary>One thing in one input file that could not be read. Collected, never silently dropped.</summary>
/// <param name="File">Path of the file as the user named it (or the data file's logical name).</param>
/// <param name="Line">1-based line, when known.</param>
/// <param name="Message">What is wrong, in plain words.</param>
/// <param name="Field">Field, column or entry concerned, when known.</param>
public sealed record InputProblem(string File, int? Line, string Message, string? Field = null)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var where = Line is { } l ? $"{File}:{l}" : File;
        return Field is null ? $"{where}: {Message}" : $"{where}: {Field}: {Message}";
    }
}
