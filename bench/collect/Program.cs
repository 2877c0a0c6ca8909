using System.Buffers;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Breachline.Bench;
using Breachline.Evidence;
using Breachline.Storage;

// Collect throughput on a generated org export, side by side with sha256sum and openssl on the same files in
// the same run. Usage: dotnet run -c Release --project bench/collect -- [--size-gb 2] [--dir /tmp/bench-collect] [--keep]
// (--help says what each option does and its default.)
// A megabyte at the least: the 2,000 metadata files alone are a third of one, and the run needs logs beside them.
// Figures go into docs and notes: the same digits and separators on every machine, whatever its language.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var sizeOption = new Option<double>("--size-gb") { Description = "Size of the generated export in GB (made once under --dir, reused while at least that big)", DefaultValueFactory = _ => 2.0 }.AtLeast(0.001);
var dirOption = new Option<string>("--dir") { Description = "Folder for the export (org/) and the workspace (ws/), deleted at the end unless --keep", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "breachline-bench-collect") };
var keepOption = new Option<bool>("--keep") { Description = "Keep the folder, so the next run reuses the export" };
var command = new RootCommand("breachline collect and evidence verify next to sha256sum and openssl on the same generated export") { sizeOption, dirOption, keepOption };
command.SetAction(parse => Measure(parse.GetValue(sizeOption), parse.GetValue(dirOption)!, parse.GetValue(keepOption)));
return command.Parse(args).Invoke();

static int Measure(double sizeGb, string dir, bool keep)
{
    // The bench deletes and regenerates what is under --dir; a folder it did not make (say, a real export's
    // parent with an org/ inside) is refused rather than reused or wiped.
    var marker = Path.Combine(dir, ".breachline-bench-collect");
    if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any() && !File.Exists(marker))
    {
        Console.Error.WriteLine($"--dir {dir}: not empty and not made by this bench; give a new or empty folder");
        return 2;
    }

    Directory.CreateDirectory(dir);
    File.WriteAllText(marker, "made by bench/collect; deleted with this folder unless --keep\n");
    var org = Path.Combine(dir, "org");
    var workspace = Path.Combine(dir, "ws");
    if (Directory.Exists(workspace))
    {
        Directory.Delete(workspace, recursive: true);
    }

    var target = (long)(sizeGb * 1e9);
    if (!Directory.Exists(org) || DirSize(org) < target * 0.98)
    {
        if (Directory.Exists(org))
        {
            Directory.Delete(org, recursive: true);
        }

        var gen = Stopwatch.StartNew();
        Generate(org, target);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated {DirSize(org) / 1e9:F2} GB in {gen.Elapsed.TotalSeconds:F1} s at {org}"));
    }

    var files = Directory.EnumerateFiles(org, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
    var bytes = files.Sum(f => new FileInfo(f).Length);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{files.Count} files, {bytes / 1e9:F2} GB; {Environment.ProcessorCount} cores; {RuntimeVersion()}"));

    // Warm the page cache once so every contender reads from memory, as on a re-run.
    Run("cat", files, "cat > /dev/null");

    var results = new List<(string Name, double Seconds)>
    {
        ("sha256sum (coreutils)", Run("sha256sum", files, "sha256sum > /dev/null")),
        ("openssl dgst -sha256", Run("openssl", files, "openssl dgst -sha256 > /dev/null")),
    };

    // Breachline's hashing alone: the same IncrementalHash over the same 1 MiB chunks collect uses.
    var hashOnly = Stopwatch.StartNew();
    var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
    foreach (var file in files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            hash.AppendData(buffer, 0, n);
        }

        hash.GetHashAndReset();
    }

    results.Add(("Breachline hashing (SHA-256, streamed)", hashOnly.Elapsed.TotalSeconds));

    var collect = Stopwatch.StartNew();
    using (var vault = EvidenceVault.Open(Workspace.Open(workspace), TimeProvider.System))
    {
        var result = vault.Collect(org, "bench");
        if (result.Skipped.Count > 0)
        {
            Console.Error.WriteLine($"{result.Skipped.Count} files skipped: {result.Skipped[0]}");
            return 1;
        }
    }

    results.Add(("breachline collect (hash + copy + durable + custody + log periods)", collect.Elapsed.TotalSeconds));

    var recollect = Stopwatch.StartNew();
    using (var vault = EvidenceVault.Open(Workspace.Open(workspace), TimeProvider.System))
    {
        vault.Collect(org, "bench");
    }

    results.Add(("breachline collect again (unchanged: custody entries only)", recollect.Elapsed.TotalSeconds));

    var verify = Stopwatch.StartNew();
    using (var vault = EvidenceVault.Open(Workspace.Open(workspace), TimeProvider.System))
    {
        if (!vault.Verify().Ok)
        {
            Console.Error.WriteLine("verify failed");
            return 1;
        }
    }

    results.Add(("breachline evidence verify (re-hash all objects + tree + heads)", verify.Elapsed.TotalSeconds));

    var reference = results[0].Seconds;
    Console.WriteLine();
    Console.WriteLine($"| {"what",-68} | {"seconds",8} | {"GB/s",6} | {"vs sha256sum",12} |");
    Console.WriteLine($"|{new string('-', 70)}|{new string('-', 10)}|{new string('-', 8)}|{new string('-', 14)}|");
    foreach (var (name, seconds) in results)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name,-68} | {seconds,8:F2} | {bytes / 1e9 / seconds,6:F2} | {reference / seconds,11:F2}x |"));
    }

    if (!keep)
    {
        Directory.Delete(dir, recursive: true);
    }

    return 0;
}

static double Run(string tool, List<string> files, string command)
{
    var list = Path.GetTempFileName();
    File.WriteAllText(list, string.Join('\0', files));
    var start = new ProcessStartInfo("bash", ["-c", $"xargs -0 -a '{list}' {command}"]) { UseShellExecute = false };
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(start)!;
    process.WaitForExit();
    var seconds = clock.Elapsed.TotalSeconds;
    File.Delete(list);
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{tool} failed with exit code {process.ExitCode}");
    }

    return seconds;
}

static long DirSize(string path) => Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

static string RuntimeVersion() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

// A large export shaped like the real thing: Event Monitoring CSVs (most of the bytes, every field quoted,
// TIMESTAMP yyyyMMddHHmmss.fff), record exports, gateway JSON lines and many small metadata files.
static void Generate(string org, long target)
{
    var random = new Random(42);
    long written = 0;
    Directory.CreateDirectory(Path.Combine(org, "metadata", "force-app", "main", "default", "classes"));
    for (var i = 0; i < 2000; i++)
    {
        var text = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ApexClass xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <apiVersion>60.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n<!-- {i} -->\n";
        File.WriteAllText(Path.Combine(org, "metadata", "force-app", "main", "default", "classes", $"Class{i:D4}.cls-meta.xml"), text);
        written += text.Length;
    }

    string[] objects = ["Contact", "Account", "hed__Course_Enrollment__c", "hed__Term_Grade__c", "Case"];
    var start = new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc);
    var file = 0;
    while (written < target)
    {
        var kind = file % 10;
        var size = Math.Min(target - written, kind < 7 ? 96L << 20 : 24L << 20);
        var (folder, name) = kind switch
        {
            < 7 => ("logs", $"{start.AddDays(file):yyyy-MM-dd}_API.csv"),
            < 9 => ("records", $"{objects[file % objects.Length]}_{file}.csv"),
            _ => ("gateway", $"access-{file}.jsonl"),
        };
        Directory.CreateDirectory(Path.Combine(org, folder));
        using var writer = new StreamWriter(Path.Combine(org, folder, name), false, new UTF8Encoding(false), 1 << 20);
        long n = 0;
        var t = start.AddDays(file);
        if (folder == "logs")
        {
            const string Header = "\"EVENT_TYPE\",\"TIMESTAMP\",\"REQUEST_ID\",\"ORGANIZATION_ID\",\"USER_ID\",\"RUN_TIME\",\"CPU_TIME\",\"URI\",\"SESSION_KEY\",\"CLIENT_IP\",\"ENTITY_NAME\",\"ROWS_PROCESSED\"\n";
            writer.Write(Header);
            n += Header.Length;
            while (n < size)
            {
                t = t.AddMilliseconds(random.Next(1, 900));
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"\"API\",\"{t:yyyyMMddHHmmss.fff}\",\"4{random.Next():x8}\",\"00D5e000000AbCdEAK\",\"0055e00000{random.Next(100000, 999999)}AAK\",\"{random.Next(1, 900)}\",\"{random.Next(1, 300)}\",\"/services/data/v60.0/query\",\"{random.NextInt64():x16}\",\"198.51.100.{random.Next(1, 254)}\",\"{objects[random.Next(objects.Length)]}\",\"{random.Next(0, 2000)}\"\n");
                writer.Write(line);
                n += line.Length;
            }
        }
        else if (folder == "records")
        {
            writer.Write("Id,FirstName,LastName,Email,hed__Citizenship__c\n");
            while (n < size)
            {
                var line = string.Create(CultureInfo.InvariantCulture, $"0035e{random.NextInt64():x13},First{random.Next()},Last{random.Next()},s{random.Next()}@example.edu,US\n");
                writer.Write(line);
                n += line.Length;
            }
        }
        else
        {
            while (n < size)
            {
                t = t.AddMilliseconds(random.Next(1, 900));
                var line = string.Create(CultureInfo.InvariantCulture, $"{{\"time\":\"{t:yyyy-MM-ddTHH:mm:ss.fffZ}\",\"method\":\"GET\",\"path\":\"/services/data/v60.0/sobjects/Contact/{random.NextInt64():x}\",\"status\":200,\"ip\":\"203.0.113.{random.Next(1, 254)}\"}}\n");
                writer.Write(line);
                n += line.Length;
            }
        }

        written += n;
        file++;
    }
}
