using System.Text.RegularExpressions;
using Breachline.Common;
using Breachline.Notification;

namespace Breachline.Exposure;

/// <summary>How one field was classified: its element token (<c>none</c> for non-personal data, null when unclassified) and the rule that said so.</summary>
/// <param name="Element">Token of data/elements.yaml, <c>none</c>, or null.</param>
/// <param name="Rule">Which entry decided, e.g. <c>fields: Contact.Birthdate (data/classification/fields.yaml:57)</c>.</param>
public sealed record FieldClass(string? Element, string Rule)
{
    /// <summary>True when the field holds a data element.</summary>
    public bool IsElement => Element is not null and not FieldClassification.None;
}

/// <summary>An object whose records are people, and where their residence and name are.</summary>
public sealed record PersonObject(string Object, string? When, string? Key, IReadOnlyList<string> State, IReadOnlyList<string> Country, IReadOnlyList<string> Name);

/// <summary>An object whose records point to a person; <paramref name="Person"/> is the link field or <c>auto</c>.</summary>
public sealed record PersonLink(string Object, string Person, IReadOnlyList<string> RecordElements, string Rule);

/// <summary>
/// The field classification (data/classification/fields.yaml, overridable by an org's classification.yaml):
/// field → data element, person objects, and links from related records to people. One schema, validated at
/// load with file, line and entry named; element tokens must be those of data/elements.yaml.
/// </summary>
public sealed class FieldClassification
{
    /// <summary>The token for fields that hold no personal data element (ids, links, system stamps).</summary>
    public const string None = "none";

    /// <summary>Logical name of the shipped file.</summary>
    public const string ShippedName = "data/classification/fields.yaml";

    private readonly List<(ClassificationFile File, string Name)> _files;
    private readonly List<(FieldEntry Entry, string File)> _exact = [];
    private readonly List<(PatternEntry Entry, Regex? Object, Regex? Field, Regex? Type, string File)> _patterns = [];
    private readonly List<(PersonEntry Entry, string File)> _people = [];
    private readonly List<(LinkEntry Entry, Regex? Object, string File)> _links = [];

    private FieldClassification(List<(ClassificationFile File, string Name)> files, ElementCatalog elements)
    {
        _files = files;
        var problems = new List<InputProblem>();
        foreach (var (file, name) in files)
        {
            var errors = new DataFileErrors(name);
            Validate(file, name, elements, errors);
            try
            {
                errors.ThrowIfAny();
            }
            catch (InputException e)
            {
                problems.AddRange(e.Problems);
            }
        }

        if (problems.Count > 0)
        {
            throw new InputException(problems);
        }
    }

    /// <summary>The files in use, the org's first.</summary>
    public IReadOnlyList<string> Files => [.. _files.Select(f => f.Name)];

    /// <summary>The shipped classification alone.</summary>
    public static FieldClassification Shipped { get; } = Load(null, ElementCatalog.Default);

    /// <summary>Loads the shipped classification, with an org's own file taking precedence when given.</summary>
    /// <exception cref="InputException">A file is malformed or names an unknown element token.</exception>
    public static FieldClassification Load(string? orgFile, ElementCatalog elements)
    {
        var files = new List<(ClassificationFile, string)>();
        if (orgFile is not null)
        {
            files.Add((DataFile.LoadFile<ClassificationFile>(orgFile), orgFile));
        }

        files.Add((DataFile.LoadEmbedded<ClassificationFile>(ShippedName), ShippedName));
        return new FieldClassification(files, elements);
    }

    /// <summary>Classifies one field; <paramref name="type"/> is its metadata type when known.</summary>
    public FieldClass Classify(string obj, string field, string? type)
    {
        foreach (var (e, file) in _exact)
        {
            var dot = e.Field.IndexOf('.', StringComparison.Ordinal);
            var o = e.Field[..dot];
            if ((o == "*" || string.Equals(o, obj, StringComparison.OrdinalIgnoreCase))
                && string.Equals(e.Field[(dot + 1)..], field, StringComparison.OrdinalIgnoreCase))
            {
                return new FieldClass(e.Element, $"fields: {e.Field} ({file}:{e.Line})");
            }
        }

        foreach (var (e, objectRe, fieldRe, typeRe, file) in _patterns)
        {
            if ((objectRe is null || objectRe.IsMatch(obj))
                && (fieldRe is null || fieldRe.IsMatch(field))
                && (typeRe is null || (type is not null && typeRe.IsMatch(type))))
            {
                return new FieldClass(e.Element, $"pattern {Describe(e)} ({file}:{e.Line})");
            }
        }

        return new FieldClass(null, "no classification entry matches");
    }

    /// <summary>The person description of an object, or null when its records are not people.</summary>
    public PersonObject? PersonOf(string obj)
    {
        foreach (var (e, _) in _people)
        {
            if (string.Equals(e.Object, obj, StringComparison.OrdinalIgnoreCase))
            {
                return new PersonObject(e.Object, e.When, e.Key, e.Residence.State, e.Residence.Country, e.Name);
            }
        }

        return null;
    }

    /// <summary>Every object whose records are people.</summary>
    public IEnumerable<PersonObject> PersonObjects => _people.Select(p => PersonOf(p.Entry.Object)!).DistinctBy(p => p.Object, StringComparer.OrdinalIgnoreCase);

    /// <summary>How records of <paramref name="obj"/> lead to a person, or null.</summary>
    public PersonLink? LinkOf(string obj)
    {
        foreach (var (e, re, file) in _links)
        {
            if ((e.Object is not null && string.Equals(e.Object, obj, StringComparison.OrdinalIgnoreCase)) || (re is not null && re.IsMatch(obj)))
            {
                return new PersonLink(obj, e.Person, e.RecordElements, $"links: {e.Object ?? e.ObjectPattern} ({file}:{e.Line})");
            }
        }

        return null;
    }

    private static string Describe(PatternEntry e) =>
        string.Join(", ", new[] { e.Object is null ? null : $"object ~ {e.Object}", e.Field is null ? null : $"field ~ {e.Field}", e.Type is null ? null : $"type ~ {e.Type}" }.Where(s => s is not null));

    private void Validate(ClassificationFile file, string name, ElementCatalog elements, DataFileErrors errors)
    {
        bool Known(string? token) => token == None || (token is not null && elements.Contains(token));
        Regex? Compile(string? pattern, int line, string entry, string field)
        {
            if (pattern is null)
            {
                return null;
            }

            try
            {
                return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException e)
            {
                errors.Add(line, entry, field, $"is not a valid regular expression: {e.Message}");
                return null;
            }
        }

        foreach (var f in file.Fields)
        {
            var dot = f.Field.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0 || dot == f.Field.Length - 1)
            {
                errors.Add(f.Line, f.Field, "field", "must be Object.Field (or *.Field for every object)");
            }
            else if (!Known(f.Element))
            {
                errors.Add(f.Line, f.Field, "element", $"'{f.Element}' is not a token of data/elements.yaml (or none)");
            }
            else
            {
                _exact.Add((f, name));
            }
        }

        for (var i = 0; i < file.Patterns.Count; i++)
        {
            var p = file.Patterns[i];
            var entry = $"patterns[{i}]";
            if (p.Object is null && p.Field is null && p.Type is null)
            {
                errors.Add(p.Line, entry, "field", "a pattern needs object, field or type");
                continue;
            }

            if (!Known(p.Element))
            {
                errors.Add(p.Line, entry, "element", $"'{p.Element}' is not a token of data/elements.yaml (or none)");
                continue;
            }

            _patterns.Add((p, Compile(p.Object, p.Line, entry, "object"), Compile(p.Field, p.Line, entry, "field"), Compile(p.Type, p.Line, entry, "type"), name));
        }

        foreach (var p in file.People)
        {
            if (string.IsNullOrWhiteSpace(p.Object))
            {
                errors.Add(p.Line, null, "people.object", "is required");
                continue;
            }

            if (p.Residence.State.Count == 0 && p.Residence.Country.Count == 0)
            {
                errors.Add(p.Line, p.Object, "residence", "needs state or country fields");
            }

            _people.Add((p, name));
        }

        for (var i = 0; i < file.Links.Count; i++)
        {
            var l = file.Links[i];
            var entry = l.Object ?? l.ObjectPattern ?? $"links[{i}]";
            if ((l.Object is null) == (l.ObjectPattern is null))
            {
                errors.Add(l.Line, entry, "object", "give exactly one of object and objectPattern");
                continue;
            }

            if (string.IsNullOrWhiteSpace(l.Person))
            {
                errors.Add(l.Line, entry, "person", "is required (a link field, or auto)");
                continue;
            }

            var unknown = l.RecordElements.Where(t => !elements.Contains(t)).ToList();
            if (unknown.Count > 0)
            {
                errors.Add(l.Line, entry, "recordElements", $"'{string.Join("', '", unknown)}' not in data/elements.yaml");
                continue;
            }

            _links.Add((l, Compile(l.ObjectPattern, l.Line, entry, "objectPattern"), name));
        }
    }
}

/// <summary>One classification file.</summary>
public sealed class ClassificationFile
{
    /// <summary>When the entries were last reviewed.</summary>
    public string CheckedOn { get; set; } = "";

    /// <summary>Objects whose records are people.</summary>
    public List<PersonEntry> People { get; set; } = [];

    /// <summary>Objects whose records point to a person.</summary>
    public List<LinkEntry> Links { get; set; } = [];

    /// <summary>Exact field classifications.</summary>
    public List<FieldEntry> Fields { get; set; } = [];

    /// <summary>Pattern classifications, first match wins.</summary>
    public List<PatternEntry> Patterns { get; set; } = [];
}

/// <summary>An object whose records are people.</summary>
public sealed class PersonEntry : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>Object API name.</summary>
    public string Object { get; set; } = "";

    /// <summary>A boolean field that must be true for a record to be a person (IsPersonAccount).</summary>
    public string? When { get; set; }

    /// <summary>The field other records use to point to the person, when not Id (PersonContactId).</summary>
    public string? Key { get; set; }

    /// <summary>Where the residence is.</summary>
    public ResidenceFields Residence { get; set; } = new();

    /// <summary>Name fields, for the masked name in the individuals list.</summary>
    public List<string> Name { get; set; } = [];

    /// <summary>Why.</summary>
    public string? Source { get; set; }
}

/// <summary>Residence fields of a person object, most precise first.</summary>
public sealed class ResidenceFields
{
    /// <summary>State or province fields (code first, then name).</summary>
    public List<string> State { get; set; } = [];

    /// <summary>Country fields (code first, then name).</summary>
    public List<string> Country { get; set; } = [];
}

/// <summary>An object whose records point to a person.</summary>
public sealed class LinkEntry : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>Object API name.</summary>
    public string? Object { get; set; }

    /// <summary>Regular expression on object names (custom objects).</summary>
    public string? ObjectPattern { get; set; }

    /// <summary>The link field, or <c>auto</c> (the first Contact lookup column).</summary>
    public string Person { get; set; } = "";

    /// <summary>Elements every exported record of the object exposes for its person.</summary>
    public List<string> RecordElements { get; set; } = [];

    /// <summary>Why.</summary>
    public string? Source { get; set; }
}

/// <summary>One exact field classification.</summary>
public sealed class FieldEntry : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary><c>Object.Field</c> or <c>*.Field</c>.</summary>
    public string Field { get; set; } = "";

    /// <summary>Element token or none.</summary>
    public string Element { get; set; } = "";
}

/// <summary>One pattern classification.</summary>
public sealed class PatternEntry : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>Regular expression on the object name.</summary>
    public string? Object { get; set; }

    /// <summary>Regular expression on the field API name.</summary>
    public string? Field { get; set; }

    /// <summary>Regular expression on the metadata field type.</summary>
    public string? Type { get; set; }

    /// <summary>Element token or none.</summary>
    public string Element { get; set; } = "";
}
