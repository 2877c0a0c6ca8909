using Breachline.Common;

namespace Breachline.Forensics;

/// <summary>
/// The rows of one file that could not be read: every one is counted, and the first
/// <see cref="MaxListed"/> are kept with their line numbers so memory stays bounded on a broken file.
/// </summary>
public sealed class FileProblems(string path)
{
    /// <summary>How many problems of one file are listed individually.</summary>
    public const int MaxListed = 200;

    private readonly List<InputProblem> _listed = [];

    /// <summary>Path relative to the org export.</summary>
    public string Path { get; } = path;

    /// <summary>Rows (or whole-file conditions) that could not be read.</summary>
    public int Count { get; private set; }

    /// <summary>The first problems, with line numbers.</summary>
    public IReadOnlyList<InputProblem> Listed => _listed;

    /// <summary>Counts one unreadable row.</summary>
    public void Add(int? line, string message, string? field = null)
    {
        Count++;
        if (_listed.Count < MaxListed)
        {
            _listed.Add(new InputProblem(Path, line, message, field));
        }
    }

    /// <summary>Adds the problems of a later part of the same file (read apart), keeping the first ones listed.</summary>
    internal void Append(FileProblems later)
    {
        foreach (var problem in later._listed)
        {
            if (_listed.Count < MaxListed)
            {
                _listed.Add(problem);
            }
        }

        Count += later.Count;
    }

    /// <summary>Everything to report: the listed problems, plus one line saying how many more were counted.</summary>
    public IEnumerable<InputProblem> ToReport()
    {
        foreach (var problem in _listed)
        {
            yield return problem;
        }

        if (Count > _listed.Count)
        {
            yield return new InputProblem(Path, null, $"{Count - _listed.Count} more unreadable rows not listed ({Count} in all)");
        }
    }
}
