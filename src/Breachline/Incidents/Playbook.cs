using Breachline.Common;
using NodaTime;
using NodaTime.Text;

namespace Breachline.Incidents;

/// <summary>
/// The response playbook (data, not code): the protocol deadlines and the tasks of the technical and
/// compliance tracks, with due offsets from awareness and dependencies. Loaded from
/// <c>data/playbook.yaml</c> or a user's file and validated before anything is written.
/// </summary>
public sealed class Playbook
{
    /// <summary>The built-in playbook's logical name.</summary>
    public const string BuiltIn = "data/playbook.yaml";

    private Playbook(string source, IReadOnlyList<PlaybookDeadline> deadlines, IReadOnlyList<PlaybookTrack> tracks)
    {
        Source = source;
        Deadlines = deadlines;
        Tracks = tracks;
    }

    /// <summary>Where the playbook came from (file path or built-in name).</summary>
    public string Source { get; }

    /// <summary>Protocol deadlines.</summary>
    public IReadOnlyList<PlaybookDeadline> Deadlines { get; }

    /// <summary>Tracks with their tasks, in order.</summary>
    public IReadOnlyList<PlaybookTrack> Tracks { get; }

    /// <summary>Loads the built-in playbook, or the file at <paramref name="path"/>.</summary>
    /// <exception cref="InputException">Malformed YAML, or validation problems (each with file, line, entry and field).</exception>
    public static Playbook Load(string? path = null)
    {
        var file = path is null ? DataFile.LoadEmbedded<PlaybookFile>(BuiltIn) : DataFile.LoadFile<PlaybookFile>(path);
        return Validate(file, path ?? BuiltIn);
    }

    /// <summary>Parses and validates playbook text (for tests and tools).</summary>
    public static Playbook Parse(string yaml, string fileName) => Validate(DataFile.Parse<PlaybookFile>(yaml, fileName), fileName);

    private static Playbook Validate(PlaybookFile file, string name)
    {
        var errors = new DataFileErrors(name);
        var deadlines = new List<PlaybookDeadline>();
        var trackNames = file.Tracks.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var deadlineIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in file.Deadlines)
        {
            RequireId(errors, d.Line, d.Id, "deadline");
            if (!deadlineIds.Add(d.Id))
            {
                errors.Add(d.Line, d.Id, "id", "is used by another deadline");
            }

            if (string.IsNullOrWhiteSpace(d.Title))
            {
                errors.Add(d.Line, d.Id, "title", "is required");
            }

            if (!trackNames.Contains(d.Track))
            {
                errors.Add(d.Line, d.Id, "track", $"'{d.Track}' is not a track of this playbook ({string.Join(", ", trackNames)})");
            }

            var within = ParseOffset(errors, d.Line, d.Id, "within", d.Within);
            if (within is { } w)
            {
                deadlines.Add(new PlaybookDeadline(d.Id, d.Title, d.Track, w, d.Why));
            }
        }

        var tracks = new List<PlaybookTrack>();
        var taskIds = new Dictionary<string, PlaybookTaskEntry>(StringComparer.Ordinal);
        foreach (var track in file.Tracks)
        {
            RequireId(errors, track.Line, track.Name, "track");
            foreach (var task in track.Tasks)
            {
                RequireId(errors, task.Line, task.Id, "task");
                if (!taskIds.TryAdd(task.Id, task))
                {
                    errors.Add(task.Line, task.Id, "id", "is used by another task");
                }
            }
        }

        foreach (var track in file.Tracks)
        {
            var tasks = new List<PlaybookTask>();
            foreach (var task in track.Tasks)
            {
                if (string.IsNullOrWhiteSpace(task.Title))
                {
                    errors.Add(task.Line, task.Id, "title", "is required");
                }

                foreach (var dependency in task.DependsOn.Where(d => !taskIds.ContainsKey(d)))
                {
                    errors.Add(task.Line, task.Id, "dependsOn", $"'{dependency}' is not a task of this playbook");
                }

                if (task.Due is not null && task.Deadline is not null)
                {
                    errors.Add(task.Line, task.Id, "due", "give either due or deadline, not both");
                }

                if (task.Deadline is { } deadline && !deadlineIds.Contains(deadline))
                {
                    errors.Add(task.Line, task.Id, "deadline", $"'{deadline}' is not a deadline of this playbook");
                }

                var due = task.Due is null ? null : ParseOffset(errors, task.Line, task.Id, "due", task.Due);
                tasks.Add(new PlaybookTask(task.Id, track.Name, task.Title, task.Owner, due, task.Deadline, task.DependsOn));
            }

            tracks.Add(new PlaybookTrack(track.Name, track.Title, tasks));
        }

        // A task id used twice is already an error above; the first task of that id is the one checked here
        // (found by fuzzing: the duplicate crashed the dictionary).
        var offsets = new Dictionary<string, Duration?>(StringComparer.Ordinal);
        foreach (var t in tracks.SelectMany(t => t.Tasks))
        {
            offsets.TryAdd(t.Id, t.Due ?? deadlines.FirstOrDefault(d => d.Id == t.Deadline)?.Within);
        }

        foreach (var task in taskIds.Values)
        {
            foreach (var dependency in task.DependsOn.Where(offsets.ContainsKey))
            {
                if (offsets.GetValueOrDefault(task.Id) is { } own && offsets[dependency] is { } before && own < before)
                {
                    errors.Add(task.Line, task.Id, "due", $"falls due before its dependency '{dependency}' can be done");
                }
            }
        }

        foreach (var cycle in FindCycles(taskIds))
        {
            var first = taskIds[cycle[0]];
            errors.Add(first.Line, first.Id, "dependsOn", $"dependency cycle: {string.Join(" → ", cycle)} → {cycle[0]}");
        }

        errors.ThrowIfAny();
        return new Playbook(name, deadlines, tracks);
    }

    private static void RequireId(DataFileErrors errors, int line, string id, string what)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            errors.Add(line, what, what == "track" ? "name" : "id", $"'{id}' must be lower-case letters, digits and '-'");
        }
    }

    // Offsets are elapsed time from awareness ("within 24 hours" runs across a DST change as 24 real hours).
    private static Duration? ParseOffset(DataFileErrors errors, int line, string entry, string field, string text)
    {
        var result = PeriodPattern.NormalizingIso.Parse(text ?? "");
        if (!result.Success)
        {
            errors.Add(line, entry, field, $"'{text}' is not an ISO 8601 duration such as PT24H or P3D");
            return null;
        }

        var period = result.Value;
        if (period.Years != 0 || period.Months != 0)
        {
            errors.Add(line, entry, field, $"'{text}' uses months or years, which have no fixed length; use days or hours");
            return null;
        }

        var duration = period.ToDuration();
        if (duration <= Duration.Zero)
        {
            errors.Add(line, entry, field, $"'{text}' must be a positive duration");
            return null;
        }

        return duration;
    }

    private static List<List<string>> FindCycles(Dictionary<string, PlaybookTaskEntry> tasks)
    {
        var cycles = new List<List<string>>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();

        void Visit(string id)
        {
            state[id] = 1;
            path.Add(id);
            foreach (var next in tasks[id].DependsOn.Where(tasks.ContainsKey))
            {
                switch (state.GetValueOrDefault(next))
                {
                    case 0:
                        Visit(next);
                        break;
                    case 1:
                        cycles.Add(path[path.IndexOf(next)..]);
                        break;
                    default:
                        break;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[id] = 2;
        }

        foreach (var id in tasks.Keys.Where(id => state.GetValueOrDefault(id) == 0).ToList())
        {
            Visit(id);
        }

        return cycles;
    }

    /// <summary>The file as written (YAML shape).</summary>
    internal sealed class PlaybookFile
    {
        public List<PlaybookDeadlineEntry> Deadlines { get; set; } = [];

        public List<PlaybookTrackEntry> Tracks { get; set; } = [];
    }

    internal sealed class PlaybookDeadlineEntry : ISourceLine
    {
        public int Line { get; set; }

        public string Id { get; set; } = "";

        public string Title { get; set; } = "";

        public string Track { get; set; } = "";

        public string Within { get; set; } = "";

        public string? Why { get; set; }
    }

    internal sealed class PlaybookTrackEntry : ISourceLine
    {
        public int Line { get; set; }

        public string Name { get; set; } = "";

        public string Title { get; set; } = "";

        public List<PlaybookTaskEntry> Tasks { get; set; } = [];
    }

    internal sealed class PlaybookTaskEntry : ISourceLine
    {
        public int Line { get; set; }

        public string Id { get; set; } = "";

        public string Title { get; set; } = "";

        public string? Owner { get; set; }

        public string? Due { get; set; }

        public string? Deadline { get; set; }

        public List<string> DependsOn { get; set; } = [];
    }
}

/// <summary>A protocol deadline: due <see cref="Within"/> after awareness.</summary>
public sealed record PlaybookDeadline(string Id, string Title, string Track, Duration Within, string? Why);

/// <summary>A track of the playbook.</summary>
public sealed record PlaybookTrack(string Name, string Title, IReadOnlyList<PlaybookTask> Tasks);

/// <summary>A task of the playbook: due an offset after awareness, or with a protocol deadline.</summary>
public sealed record PlaybookTask(string Id, string Track, string Title, string? Owner, Duration? Due, string? Deadline, IReadOnlyList<string> DependsOn);
