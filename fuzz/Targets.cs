using Breachline.Common;
using Breachline.Evidence;
using Breachline.Exposure;
using Breachline.Exposure.Soql;
using Breachline.Forensics;
using Breachline.Notification;
using Breachline.Org;
using Breachline.Salesforce;

namespace Breachline.Fuzz;

/// <summary>
/// One fuzz target per parser of untrusted input. Each receives the fuzzer's bytes written to a file where the
/// parser reads files (so the real code path, including file-name dispatch, runs) and drains every result.
/// <see cref="InputException"/> is the documented answer to bad input; any other exception is a crash.
/// </summary>
internal static class Targets
{
    private static readonly string[] MetadataSuffixes =
    [
        ".connectedApp-meta.xml", ".profile-meta.xml", ".permissionset-meta.xml", ".object-meta.xml",
        ".field-meta.xml", ".sharingRules-meta.xml", ".settings-meta.xml", ".remoteSite-meta.xml",
        ".namedCredential-meta.xml", ".externalCredential-meta.xml", ".site-meta.xml",
        ".transactionSecurityPolicy-meta.xml",
    ];

    /// <summary>Target names as run.sh takes them, with the function that feeds one input to the parser.</summary>
    public static IReadOnlyDictionary<string, Action<byte[], Scratch>> All { get; } = new Dictionary<string, Action<byte[], Scratch>>(StringComparer.Ordinal)
    {
        ["elf-csv"] = (input, scratch) => ReadCsvLog(input, scratch, "ApiEvent.csv"),
        ["audit-trail"] = (input, scratch) => ReadCsvLog(input, scratch, "SetupAuditTrail.csv"),
        ["rtem-json"] = (input, scratch) => ReadJsonLog(input, scratch, "ApiEvent.json", LogFileKind.RealTimeJson),
        ["gateway-jsonl"] = (input, scratch) => ReadJsonLog(input, scratch, "access.jsonl", LogFileKind.GatewayJsonLines),
        ["metadata-xml"] = ReadMetadata,
        ["soql"] = ParseSoql,
        ["bundle"] = VerifyBundle,
        ["record-csv"] = ReadRecords,
        ["data-yaml"] = LoadDataFile,
    };

    private static void ReadCsvLog(byte[] input, Scratch scratch, string name)
    {
        var path = scratch.Write("logs/" + name, input);
        var file = new LogFile(path, "logs/" + name, LogFileKind.Csv, input.Length);
        var problems = new FileProblems(file.RelativePath);
        foreach (var e in EventLogCsvReader.Read(file, 0, problems))
        {
            GC.KeepAlive(e);
        }

        Check(problems);
    }

    private static void ReadJsonLog(byte[] input, Scratch scratch, string name, LogFileKind kind)
    {
        var path = scratch.Write("logs/" + name, input);
        var file = new LogFile(path, "logs/" + name, kind, input.Length);
        var problems = new FileProblems(file.RelativePath);
        foreach (var e in JsonLogReader.Read(file, 0, problems))
        {
            GC.KeepAlive(e);
        }

        Check(problems);
    }

    // The first byte picks the metadata type, so one corpus reaches every type's reader.
    private static void ReadMetadata(byte[] input, Scratch scratch)
    {
        if (input.Length == 0)
        {
            return;
        }

        var dir = scratch.Clear("metadata");
        var name = "Fuzz" + MetadataSuffixes[input[0] % MetadataSuffixes.Length];
        File.WriteAllBytes(Path.Combine(dir, name), input.AsSpan(1));
        var metadata = OrgMetadata.Load(dir);
        if (metadata.FilesRead + metadata.Problems.Count != 1)
        {
            throw new InvalidOperationException($"one file given, {metadata.FilesRead} read and {metadata.Problems.Count} refused");
        }
    }

    private static void ParseSoql(byte[] input, Scratch scratch)
    {
        var text = System.Text.Encoding.UTF8.GetString(input);
        var query = SoqlParser.Parse(text, "Contact");
        GC.KeepAlive(query);
        try
        {
            GC.KeepAlive(SoqlParser.ParseCondition(text));
        }
        catch (FormatException)
        {
            // Documented: a condition outside the subset.
        }
    }

    private static void VerifyBundle(byte[] input, Scratch scratch)
    {
        var path = scratch.Write("bundle.zip", input);
        try
        {
            GC.KeepAlive(EvidenceBundle.Verify(path, new BundleLimits(MaxTotalBytes: 64L << 20, MaxMetadataBytes: 16L << 20)));
        }
        catch (InputException)
        {
        }
    }

    private static void ReadRecords(byte[] input, Scratch scratch)
    {
        var root = scratch.Clear("org");
        var records = Path.Combine(root, "records");
        Directory.CreateDirectory(records);
        File.WriteAllBytes(Path.Combine(records, "Contact.csv"), input);
        var store = RecordStore.Open(records, root);
        var problems = new List<InputProblem>();
        foreach (var file in store.Files)
        {
            foreach (var row in store.ReadColumns(file, file.Columns, problems))
            {
                GC.KeepAlive(row);
            }
        }

        if (store.Files.Count + store.Problems.Count != 1)
        {
            throw new InvalidOperationException($"one file given, {store.Files.Count} opened and {store.Problems.Count} refused");
        }
    }

    // The first byte picks the loader: the org's own files and every kind of rule file a user may pass.
    private static void LoadDataFile(byte[] input, Scratch scratch)
    {
        if (input.Length == 0)
        {
            return;
        }

        var text = System.Text.Encoding.UTF8.GetString(input.AsSpan(1));
        try
        {
            switch (input[0] % 7)
            {
                case 0:
                    GC.KeepAlive(OrgFacts.Load(scratch.Write("org.yaml", input.AsSpan(1))));
                    break;
                case 1:
                    GC.KeepAlive(CustomerFile.Load(scratch.Write("customers.yaml", input.AsSpan(1))));
                    break;
                case 2:
                    GC.KeepAlive(Incidents.Playbook.Parse(text, "playbook.yaml"));
                    break;
                case 3:
                    GC.KeepAlive(Containment.Playbook.Parse(text, "containment.yaml"));
                    break;
                case 4:
                    GC.KeepAlive(HuntRules.Parse(text, "hunt.yaml"));
                    break;
                case 5:
                    GC.KeepAlive(RegimeCatalog.FromTexts([("regime.yaml", text)]));
                    break;
                default:
                    GC.KeepAlive(Indicators.Load(scratch.Write("iocs.yaml", input.AsSpan(1))));
                    break;
            }
        }
        catch (InputException)
        {
        }
    }

    private static void Check(FileProblems problems)
    {
        foreach (var p in problems.ToReport())
        {
            if (string.IsNullOrWhiteSpace(p.Message))
            {
                throw new InvalidOperationException($"a problem of {p.File} without a message");
            }
        }
    }
}

/// <summary>A private folder for one fuzzing process, reused between inputs.</summary>
internal sealed class Scratch
{
    private readonly string _root;

    public Scratch()
    {
        var shm = "/dev/shm";
        var parent = Directory.Exists(shm) ? shm : Path.GetTempPath();
        _root = Path.Combine(parent, $"breachline-fuzz-{Environment.ProcessId}");
        Directory.CreateDirectory(_root);
    }

    public string Write(string relative, ReadOnlySpan<byte> bytes)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = File.Create(path);
        stream.Write(bytes);
        return path;
    }

    public string Clear(string relative)
    {
        var path = Path.Combine(_root, relative);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        Directory.CreateDirectory(path);
        return path;
    }
}
