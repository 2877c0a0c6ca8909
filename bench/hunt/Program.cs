using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Breachline.Bench;
using Breachline.Bench.Hunt;
using Breachline.Forensics;
using DuckDB.NET.Data;

// Breachline's hunt next to DuckDB on the same Event Monitoring CSV files, in one run, both on the same
// number of threads. The question both answer is the indicator hunt of issue 6: every event from the
// attacker's addresses, the sessions (LOGIN_KEY) they belong to, every event of those sessions, the window,
// and rows exported per object (a Bulk job counted once, at completion; COUNT() probes return none).
// Breachline runs its whole hunt (every behaviour hunt as well) to give that answer.
//
// Usage: dotnet run -c Release --project bench/hunt -- ORG_DIR [--threads 2] [--rounds 3] [--ip A --ip B] [--profile] [--allocations]
// (ORG_DIR from: breachline sample --out ORG_DIR --log-size 2GB; --help says what each option does.)
// Figures go into docs and notes: the same digits and separators on every machine, whatever its language.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var orgArgument = new Argument<DirectoryInfo>("ORG_DIR") { Description = "An org export with logs/ (breachline sample --log-size 2GB)" }.AcceptExistingOnly();
var threadsOption = new Option<int>("--threads") { Description = "Threads for each engine", DefaultValueFactory = _ => 2 }.AtLeast(1);
var roundsOption = new Option<int>("--rounds") { Description = "Rounds, alternating the engines; round 1 is the cold one", DefaultValueFactory = _ => 3 }.AtLeast(1);
var ipOption = new Option<string[]>("--ip") { Description = "An attacker's address (default: the ones in ORG_DIR/truth.json)" };
var profileOption = new Option<bool>("--profile") { Description = "Instead of the comparison: where one thread's time goes, stage by stage" };
var allocationsOption = new Option<bool>("--allocations") { Description = "The types Breachline's hunt allocated most (sampled by the runtime), before DuckDB runs" };
var command = new RootCommand("Breachline's hunt next to DuckDB read_csv on the same Event Monitoring CSVs, answers compared")
{
    orgArgument, threadsOption, roundsOption, ipOption, profileOption, allocationsOption,
};
command.SetAction(parse => Run(
    parse.GetValue(orgArgument)!.FullName,
    parse.GetValue(threadsOption),
    parse.GetValue(roundsOption),
    [.. parse.GetValue(ipOption) ?? []],
    parse.GetValue(profileOption),
    parse.GetValue(allocationsOption)));
return command.Parse(args).Invoke();

static int Run(string org, int threads, int rounds, List<string> ips, bool profile, bool showAllocations)
{
    if (ips.Count == 0 && !File.Exists(Path.Combine(org, "truth.json")))
    {
        Console.Error.WriteLine($"{org}: no --ip given and no truth.json to read the attacker's addresses from");
        return 2;
    }

    if (ips.Count == 0)
    {
        using var truth = JsonDocument.Parse(File.ReadAllText(Path.Combine(org, "truth.json")));
        ips.AddRange(truth.RootElement.GetProperty("attack").GetProperty("ips").EnumerateArray().Select(e => e.GetString()!));
    }

    // The same files for both: the Event Monitoring CSVs (SetupAuditTrail has another shape and no addresses).
    var files = LogFile.Discover(org).Where(f => f.Kind == LogFileKind.Csv && !f.RelativePath.EndsWith("SetupAuditTrail.csv", StringComparison.Ordinal)).ToList();
    var bytes = files.Sum(f => f.Length);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{files.Count} files, {bytes / 1e9:0.00} GB; addresses {string.Join(", ", ips)}; {threads} threads; {Environment.ProcessorCount} cores; .NET {Environment.Version}"));

    // Put every file in the page cache first, so neither engine pays the first read.
    var warm = Stopwatch.StartNew();
    foreach (var f in files)
    {
        using var s = new FileStream(f.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var buffer = new byte[1 << 20];
        while (s.Read(buffer) > 0)
        {
        }
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"page cache warm-up read: {warm.Elapsed.TotalSeconds:0.00} s"));
    var indicators = new Indicators();
    ips.ForEach(indicators.AddIp);
    if (profile)
    {
        Profile.Run(files, indicators);
        return 0;
    }

    // Rounds alternate the engines, so a noisy neighbour on a shared machine slows both rather than one; the
    // medians and their ratio are the figures to quote.
    using var allocations = showAllocations ? new AllocationsByType() : null;
    var ours = new List<double>();
    var ourCpu = new List<double>();
    var theirs = new List<double>();
    var agree = true;
    for (var round = 1; round <= rounds; round++)
    {
        // Breachline.
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var gcPauseBefore = GC.GetTotalPauseDuration();
        var sw = Stopwatch.StartNew();
        var hunt = HuntEngine.Run(files, new HuntOptions { Indicators = indicators, Threads = threads });
        var breachlineSeconds = sw.Elapsed.TotalSeconds;
        process.Refresh();
        var breachlineCpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var gcPause = GC.GetTotalPauseDuration() - gcPauseBefore;
        var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        // Only the first round's peak is Breachline's alone: later ones follow DuckDB in the same process.
        var peak = round == 1 ? string.Create(CultureInfo.InvariantCulture, $", peak working set {process.PeakWorkingSet64 / 1e6:0} MB (whole process before DuckDB ran)") : "";
        var ourAnswer = new Answer(
            hunt.Ioc!.MatchingEvents,
            hunt.Ioc.Sessions.Order(StringComparer.Ordinal).ToList(),
            hunt.Ioc.SessionEvents,
            hunt.Window is { } w ? w.Start.ToUnixTimeMilliseconds() : 0,
            hunt.Window is { } w2 ? w2.End.ToUnixTimeMilliseconds() : 0,
            new SortedDictionary<string, long>(hunt.RowsByObject.ToDictionary(), StringComparer.Ordinal));
        if (round == 1)
        {
            allocations?.Print(Console.Out, 20);
        }

        // DuckDB, same files, same threads.
        sw.Restart();
        var theirAnswer = DuckDb(files.Select(f => f.FullPath).ToList(), ips, threads);
        var duckSeconds = sw.Elapsed.TotalSeconds;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: Breachline hunt {breachlineSeconds:0.00} s ({breachlineCpu:0.00} s of CPU) = {bytes / 1e9 / breachlineSeconds:0.00} GB/s{peak}; {allocated / 1e9:0.00} GB allocated, GC pauses {gcPause.TotalSeconds:0.00} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: DuckDB read_csv {duckSeconds:0.00} s = {bytes / 1e9 / duckSeconds:0.00} GB/s; ratio {duckSeconds / breachlineSeconds:0.00}x"));
        if (round == 1 || ourAnswer.ToString() != theirAnswer.ToString())
        {
            Console.WriteLine($"Breachline: {ourAnswer}");
            Console.WriteLine($"DuckDB:     {theirAnswer}");
        }

        agree &= ourAnswer.ToString() == theirAnswer.ToString();
        ours.Add(breachlineSeconds);
        ourCpu.Add(breachlineCpu);
        theirs.Add(duckSeconds);
    }

    var ourMedian = Median(ours);
    var theirMedian = Median(theirs);
    // Round 1 is what one `breachline hunt` pays: a cold process (rules loaded, hot loops compiled to tier 1).
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cold (round 1): Breachline {ours[0]:0.00} s = {bytes / 1e9 / ours[0]:0.00} GB/s, DuckDB {theirs[0]:0.00} s; Breachline is {theirs[0] / ours[0]:0.00}x DuckDB"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median of {rounds}: Breachline {ourMedian:0.00} s = {bytes / 1e9 / ourMedian:0.00} GB/s, DuckDB {theirMedian:0.00} s; Breachline is {theirMedian / ourMedian:0.00}x DuckDB (rounds {ours.Zip(theirs, (o, t) => t / o).Min():0.00}x-{ours.Zip(theirs, (o, t) => t / o).Max():0.00}x)"));
    // Measured after the rounds, so that Sep is not already compiled when the cold round starts.
    var ceiling = Ceilings.Measure(files, threads);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ceilings, one thread's CPU for {bytes / 1e9:0.00} GB: reading the files {ceiling.ReadSeconds:0.00} s, reading and hashing (SHA-256) {ceiling.HashSeconds:0.00} s, reading and splitting {ceiling.Rows} rows (Sep) {ceiling.SplitSeconds:0.00} s, that and reading the events' {ceiling.Columns} columns {ceiling.ColumnsSeconds:0.00} s"));
    // The ceilings are CPU time shared perfectly, so the hunt is compared by its CPU time too: on a shared
    // machine its wall time also counts the neighbours, and the ceilings run at another moment.
    var cpuMedian = Median(ourCpu);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ceilings on {threads} threads shared perfectly, nothing hunted: hash + split {ceiling.SplitGigabytesPerSecond:0.00} GB/s; hash + split + columns {ceiling.ColumnsGigabytesPerSecond:0.00} GB/s; Breachline's whole hunt, its median {cpuMedian:0.00} s of CPU shared the same way, {bytes / 1e9 / (cpuMedian / threads):0.00} GB/s ({bytes / 1e9 / (cpuMedian / threads) / ceiling.ColumnsGigabytesPerSecond:P0} of the second)"));
    Console.WriteLine(agree ? "answers agree" : "ANSWERS DIFFER");
    return agree ? 0 : 1;

}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static Answer DuckDb(List<string> paths, List<string> ips, int threads)
{
    using var connection = new DuckDBConnection("DataSource=:memory:");
    connection.Open();
    void Exec(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    Exec(string.Create(CultureInfo.InvariantCulture, $"SET threads={threads}"));
    Exec("SET preserve_insertion_order=false");
    var list = string.Join(", ", paths.Select(p => "'" + p.Replace("'", "''", StringComparison.Ordinal) + "'"));
    var addresses = string.Join(", ", ips.Select(i => "'" + System.Net.IPAddress.Parse(i) + "'"));
    var source = $"read_csv([{list}], union_by_name=true, all_varchar=true, header=true)";
    // One scan keeps only the rows that matter: the attacker's rows and every row carrying a login key.
    Exec($"""
        CREATE TEMP TABLE candidates AS
        SELECT EVENT_TYPE, TIMESTAMP, LOGIN_KEY, ENTITY_NAME, ENTITY_TYPE, JOB_STATUS, URI, ROWS_PROCESSED,
               (CLIENT_IP IN ({addresses}) OR SOURCE_IP IN ({addresses})) AS matched
        FROM {source}
        WHERE CLIENT_IP IN ({addresses}) OR SOURCE_IP IN ({addresses})
           OR LOGIN_KEY IN (SELECT DISTINCT LOGIN_KEY FROM {source} WHERE (CLIENT_IP IN ({addresses}) OR SOURCE_IP IN ({addresses})) AND LOGIN_KEY <> '')
        """);
    T Scalar<T>(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }

    var matching = Scalar<long>("SELECT count(*) FROM candidates WHERE matched");
    var sessionEvents = Scalar<long>("SELECT count(*) FROM candidates");
    var sessions = new List<string>();
    using (var command = connection.CreateCommand())
    {
        command.CommandText = "SELECT DISTINCT LOGIN_KEY FROM candidates WHERE matched AND LOGIN_KEY <> '' ORDER BY 1";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            sessions.Add(reader.GetString(0));
        }
    }

    // TIMESTAMP is yyyyMMddHHmmss in UTC with 0-3 fraction digits.
    const string Ms = "(epoch_ms(strptime(left(TIMESTAMP, 14), '%Y%m%d%H%M%S')) + CAST(rpad(split_part(TIMESTAMP || '.', '.', 2), 3, '0') AS BIGINT))";
    var start = Scalar<long>($"SELECT CAST(min({Ms}) AS BIGINT) FROM candidates");
    var end = Scalar<long>($"SELECT CAST(max({Ms}) AS BIGINT) FROM candidates");
    var rows = new SortedDictionary<string, long>(StringComparer.Ordinal);
    using (var command = connection.CreateCommand())
    {
        // Rows that left: a Bulk 2.0 job once, at JobComplete; REST queries by their own rows. Result downloads
        // (/jobs/query/{id}/results) restate the job's rows and COUNT() probes return none (0 rows logged).
        command.CommandText = """
            SELECT obj, CAST(sum(n) AS BIGINT) FROM (
              SELECT ENTITY_TYPE AS obj, CAST(ROWS_PROCESSED AS BIGINT) AS n FROM candidates
               WHERE EVENT_TYPE = 'BulkApi2' AND JOB_STATUS = 'JobComplete'
              UNION ALL
              SELECT ENTITY_NAME, CAST(ROWS_PROCESSED AS BIGINT) FROM candidates
               WHERE EVENT_TYPE = 'RestApi' AND URI LIKE '%/query%' AND URI NOT LIKE '%/jobs/%')
            WHERE n > 0 GROUP BY obj
            """;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows[reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
        }
    }

    return new Answer(matching, sessions, sessionEvents, start, end, rows);
}

internal sealed record Answer(long MatchingEvents, List<string> Sessions, long SessionEvents, long WindowStartMs, long WindowEndMs, SortedDictionary<string, long> RowsByObject)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"matching {MatchingEvents}, sessions [{string.Join(' ', Sessions)}], session events {SessionEvents}, window {WindowStartMs}..{WindowEndMs}, rows {{{string.Join(", ", RowsByObject.Select(kv => $"{kv.Key}: {kv.Value}"))}}}");
}
