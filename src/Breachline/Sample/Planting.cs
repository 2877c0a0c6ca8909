namespace Breachline.Sample;

/// <summary>
/// A text file written line by line so that every planted leak cause (and every clean look-alike) is
/// recorded with the exact line it landed on; truth.json is built from these records, not re-derived.
/// </summary>
internal sealed class PlantedFile(Plantings plantings, string path)
{
    private readonly List<string> _lines = [];

    /// <summary>Path relative to the org export, forward slashes.</summary>
    public string Path { get; } = path;

    public int LineCount => _lines.Count;

    public PlantedFile Line(string text)
    {
        _lines.Add(text);
        return this;
    }

    /// <summary>Adds a block of lines (split on '\n').</summary>
    public PlantedFile Lines(string block)
    {
        foreach (var line in block.Split('\n'))
        {
            _lines.Add(line);
        }

        return this;
    }

    /// <summary>Adds a line that is a leak cause.</summary>
    public PlantedFile Finding(string pattern, string what, string text, bool exploited = false)
    {
        _lines.Add(text);
        plantings.Findings.Add(new TruthFinding(pattern, Path, _lines.Count, what, exploited ? true : null));
        return this;
    }

    /// <summary>Adds a line that looks like a leak cause but is clean (a scanner must not flag it).</summary>
    public PlantedFile Negative(string pattern, string what, string text)
    {
        _lines.Add(text);
        plantings.Negatives.Add(new TruthFinding(pattern, Path, _lines.Count, what, null));
        return this;
    }

    public void Write(string root)
    {
        var full = System.IO.Path.Combine(root, Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, string.Join('\n', _lines) + "\n");
    }
}

/// <summary>Everything planted in the text files of one org, in the order it was written.</summary>
internal sealed class Plantings
{
    private readonly List<PlantedFile> _files = [];

    public List<TruthFinding> Findings { get; } = [];

    public List<TruthFinding> Negatives { get; } = [];

    public PlantedFile File(string path)
    {
        var file = new PlantedFile(this, path);
        _files.Add(file);
        return file;
    }

    public void WriteAll(string root)
    {
        foreach (var file in _files)
        {
            file.Write(root);
        }
    }
}
