using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;
using YamlDotNet.Serialization.NodeDeserializers;

namespace Breachline.Common;

/// <summary>An entry of a data file that wants to know the line it starts on, for error messages.</summary>
public interface ISourceLine
{
    /// <summary>1-based line of the entry in its file; set by <see cref="DataFile"/>.</summary>
    int Line { get; set; }
}

/// <summary>
/// Loads Breachline's rule files (playbooks, regimes, criteria, scan rules, …): YAML with camelCase keys,
/// unknown keys refused, every entry's line recorded so validation can name file, line and field.
/// Shipped files are embedded resources named <c>data/…</c>; users may pass their own path instead.
/// </summary>
public static class DataFile
{
    private static readonly Assembly Engine = typeof(DataFile).Assembly;

    // Built once: building walks every data type by reflection (most of the 120 ms the hunt rules took to load);
    // a built deserializer is safe to share between threads since YamlDotNet 16.1.
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        // Without it the last of two equal keys wins silently: a rule or org fact overridden unseen.
        .WithDuplicateKeyChecking()
        // "key:" with no value is null; into a non-nullable member it crashed validators (found by fuzzing).
        .WithEnforceNullability()
        .WithNodeDeserializer(inner => new SourceLineDeserializer(inner), s => s.InsteadOf<ObjectNodeDeserializer>())
        // "- " with no value is a null item, which no list of a data file can hold; it crashed validators that
        // read the items (found by fuzzing data-yaml).
        .WithNodeDeserializer(inner => new NoNullListItems(inner), s => s.InsteadOf<CollectionNodeDeserializer>())
        .WithNodeDeserializer(inner => new NoNullArrayItems(inner), s => s.InsteadOf<ArrayNodeDeserializer>())
        .Build();

    /// <summary>Loads an embedded data file by its logical name, e.g. <c>data/playbook.yaml</c>.</summary>
    public static T LoadEmbedded<T>(string logicalName)
    {
        using var stream = Engine.GetManifestResourceStream(logicalName)
            ?? throw new InvalidOperationException($"built-in data file {logicalName} is missing from the build");
        using var reader = new StreamReader(stream);
        return Parse<T>(reader.ReadToEnd(), logicalName);
    }

    /// <summary>Lists the embedded data files under a folder, e.g. <c>data/rules/</c>.</summary>
    public static IReadOnlyList<string> ListEmbedded(string prefix) =>
        [.. Engine.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    /// <summary>Loads a data file from disk.</summary>
    /// <exception cref="InputException">The file cannot be read or is not valid YAML of that shape.</exception>
    public static T LoadFile<T>(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(path, null, $"cannot read: {e.Message}", inner: e);
        }

        return Parse<T>(text, path);
    }

    /// <summary>Parses YAML text; <paramref name="fileName"/> is what errors name.</summary>
    /// <exception cref="InputException">The text is not valid YAML of that shape.</exception>
    public static T Parse<T>(string text, string fileName)
    {
        try
        {
            return Deserializer.Deserialize<T>(text)
                ?? throw new InputException(fileName, 1, "the file is empty");
        }
        catch (YamlException e)
        {
            var message = e.InnerException is { } inner && e.Message.Contains("Exception during deserialization", StringComparison.Ordinal)
                ? inner.Message
                : e.Message;
            // YamlDotNet prefixes its messages with "(Line: l, Col: c, Idx: i) - (…): "; the line is said once by us.
            var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
            if (message.StartsWith("(Line", StringComparison.Ordinal) && cut > 0)
            {
                message = message[(cut + 3)..];
            }

            throw new InputException(fileName, (int)e.Start.Line, message, inner: e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException && e.StackTrace?.Contains("YamlDotNet.Core.", StringComparison.Ordinal) == true)
        {
            // Found by fuzzing: YamlDotNet's parser throws these, not YamlException, for a malformed tag or a
            // stray token after the document; they carry no position.
            throw new InputException(fileName, null, $"not valid YAML: {e.Message}", inner: e);
        }
    }

    // One type per deserializer it replaces: YamlDotNet registers components by type.
    private sealed class NoNullListItems(INodeDeserializer inner) : NoNullItemsDeserializer(inner);

    private sealed class NoNullArrayItems(INodeDeserializer inner) : NoNullItemsDeserializer(inner);

    private abstract class NoNullItemsDeserializer(INodeDeserializer inner) : INodeDeserializer
    {
        public bool Deserialize(IParser reader, Type expectedType, Func<IParser, Type, object?> nestedObjectDeserializer, out object? value, ObjectDeserializer rootDeserializer)
        {
            var start = reader.Current?.Start ?? Mark.Empty;
            var end = reader.Current?.End ?? Mark.Empty;
            if (!inner.Deserialize(reader, expectedType, nestedObjectDeserializer, out value, rootDeserializer))
            {
                return false;
            }

            if (value is System.Collections.IEnumerable items and not string && items.Cast<object?>().Any(item => item is null))
            {
                throw new YamlException(start, end, "a list item has no value");
            }

            return true;
        }
    }

    private sealed class SourceLineDeserializer(INodeDeserializer inner) : INodeDeserializer
    {
        public bool Deserialize(IParser reader, Type expectedType, Func<IParser, Type, object?> nestedObjectDeserializer, out object? value, ObjectDeserializer rootDeserializer)
        {
            var start = reader.Current?.Start;
            if (!inner.Deserialize(reader, expectedType, nestedObjectDeserializer, out value, rootDeserializer))
            {
                return false;
            }

            if (value is ISourceLine entry && start is { } mark)
            {
                entry.Line = (int)mark.Line;
            }

            return true;
        }
    }
}

/// <summary>Collects every validation problem of one data file, then throws them together.</summary>
/// <param name="file">The file's name as errors show it.</param>
public sealed class DataFileErrors(string file)
{
    private readonly List<InputProblem> _problems = [];

    /// <summary>The file these errors belong to.</summary>
    public string File { get; } = file;

    /// <summary>Records one problem at an entry's line, naming the entry and field.</summary>
    public void Add(int line, string? entry, string field, string message) =>
        _problems.Add(new InputProblem(File, line == 0 ? null : line, message, entry is null ? field : $"{entry}.{field}"));

    /// <summary>Throws an <see cref="InputException"/> listing every problem, if there are any.</summary>
    public void ThrowIfAny()
    {
        if (_problems.Count > 0)
        {
            throw new InputException(_problems);
        }
    }
}
