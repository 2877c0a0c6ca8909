using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Breachline.Bench;
using Breachline.Exposure;
using Breachline.Org;
using DuckDB.NET.Data;
using nietras.SeparatedValues;

// Scope benchmark: N Contact records x 40 fields, one malicious query with a filter, scoped to people with
// residence; DuckDB runs the same filter over the same CSV as the peer. Data is generated here, deterministically.
// Usage: dotnet run -c Release --project bench/scope -- [rows]  (default 1000000; --help says more)
// Figures go into docs and notes: the same digits and separators on every machine, whatever its language.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var rowsArgument = new Argument<int>("rows") { Description = "Contact records to generate (once, kept in the temp folder) and scope", DefaultValueFactory = _ => 1_000_000 }.AtLeast(1);
var command = new RootCommand("Breachline's scope of one malicious query next to DuckDB running the same filter over the same CSV") { rowsArgument };
command.SetAction(parse => Run(parse.GetValue(rowsArgument)));
return command.Parse(args).Invoke();

static int Run(int rows)
{
    var root = Path.Combine(Path.GetTempPath(), $"breachline-bench-scope-{rows}");
    var records = Path.Combine(root, "records");
    var csv = Path.Combine(records, "Contact.csv");
    Directory.CreateDirectory(records);
    File.WriteAllText(Path.Combine(root, "org.yaml"), "name: Bench University\ntimeZone: America/Chicago\nkind: public-university\n");
    if (!File.Exists(csv))
    {
        var sw = Stopwatch.StartNew();
        string[] states = ["IL", "IN", "WI", "CA", "NY", "TX", "ON", "Bayern"];
        string[] countries = ["US", "US", "US", "US", "US", "US", "Canada", "Germany"];
        string[] sources = ["Web", "Admissions Portal", "Event", "Referral"];
        var random = new Random(7);
        using var writer = Sep.New(',').Writer(o => o with { Escape = true }).ToFile(csv);
        for (var i = 0; i < rows; i++)
        {
            using var row = writer.NewRow();
            var s = random.Next(states.Length);
            row["Id"].Set(string.Create(CultureInfo.InvariantCulture, $"003{i:D12}AAA"));
            row["FirstName"].Set("First" + (i % 997).ToString(CultureInfo.InvariantCulture));
            row["LastName"].Set("Last" + (i % 1009).ToString(CultureInfo.InvariantCulture));
            row["Email"].Set(string.Create(CultureInfo.InvariantCulture, $"p{i}@example.edu"));
            row["Phone"].Set(string.Create(CultureInfo.InvariantCulture, $"312555{i % 10000:D4}"));
            row["Birthdate"].Set(string.Create(CultureInfo.InvariantCulture, $"{1990 + (i % 15)}-{1 + (i % 12):D2}-{1 + (i % 28):D2}"));
            row["MailingStreet"].Set(string.Create(CultureInfo.InvariantCulture, $"{i % 900} Main St"));
            row["MailingCity"].Set("City" + (i % 50).ToString(CultureInfo.InvariantCulture));
            row["MailingState"].Set(states[s]);
            row["MailingPostalCode"].Set((60000 + (i % 999)).ToString(CultureInfo.InvariantCulture));
            row["MailingCountry"].Set(countries[s]);
            row["LeadSource"].Set(sources[random.Next(sources.Length)]);
            row["Amount__c"].Set((random.Next(10000) / 100m).ToString(CultureInfo.InvariantCulture));
            row["CreatedDate"].Set(string.Create(CultureInfo.InvariantCulture, $"2026-0{1 + (i % 3)}-{1 + (i % 28):D2}T12:00:00.000Z"));
            for (var f = 0; f < 26; f++)
            {
                row[string.Create(CultureInfo.InvariantCulture, $"Extra_{f:D2}__c")].Set(string.Create(CultureInfo.InvariantCulture, $"v{(i + f) % 1000}"));
            }
        }

        Console.WriteLine($"generated {rows:N0} rows x 40 fields ({new FileInfo(csv).Length / 1048576.0:0} MB) in {sw.Elapsed.TotalSeconds:0.0} s");
    }

    const string Soql = "SELECT Id, FirstName, LastName, Email, Phone, Birthdate, MailingStreet, MailingCity, MailingState FROM Contact WHERE LeadSource IN ('Web', 'Admissions Portal') AND Amount__c > 25 AND CreatedDate < 2026-03-01T00:00:00Z";
    var query = new ExfiltrationQuery(new DateTimeOffset(2026, 3, 16, 12, 0, 0, TimeSpan.FromHours(-5)), null, "Contact", Soql, -1, []);
    // A query returning one person first: its peak working set is what the scan itself costs, whatever the file's size.
    var process = Process.GetCurrentProcess();
    var narrow = new ExfiltrationQuery(query.Time, null, "Contact", "SELECT Id, Email FROM Contact WHERE Email = 'p7@example.edu'", -1, []);
    var narrowWatch = Stopwatch.StartNew();
    var one = new ScopeEngine(OrgExport.Open(root)).Run(new ScopeRequest([narrow]));
    process.Refresh();
    Console.WriteLine($"breachline scope, one person of {rows:N0} records: {one.Individuals} individual in {narrowWatch.Elapsed.TotalSeconds:0.00} s; peak working set {process.PeakWorkingSet64 / 1048576.0:0} MB (the scan alone: memory does not grow with the file)");
    GC.Collect();
    var before = GC.GetTotalAllocatedBytes(precise: true);
    var cpu = process.TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    var result = new ScopeEngine(OrgExport.Open(root)).Run(new ScopeRequest([query], OutDir: Path.Combine(root, "out")));
    var ours = watch.Elapsed;
    process.Refresh();
    var oursCpu = process.TotalProcessorTime - cpu;
    var peak = process.PeakWorkingSet64;
    // CPU time is printed beside wall time: on a shared, loaded machine it is the steadier of the two.
    Console.WriteLine($"breachline scope: {result.Individuals:N0} individuals, {result.Records["Contact"]:N0} records, {result.ByJurisdiction.Count} jurisdictions in {ours.TotalSeconds:0.00} s " +
        $"(CPU {oursCpu.TotalSeconds:0.00} s; {rows / ours.TotalSeconds:N0} rows/s; peak working set {peak / 1048576.0:0} MB; allocated {(GC.GetTotalAllocatedBytes(precise: true) - before) / 1048576.0:0} MB)");

    using var duck = new DuckDBConnection("DataSource=:memory:");
    duck.Open();
    using var command = duck.CreateCommand();
    // The path is the bench's own temp file, quoted; nothing here comes from a user.
#pragma warning disable CA2100
    command.CommandText = $"SELECT count(*) FROM read_csv('{csv.Replace("'", "''", StringComparison.Ordinal)}', header = true, all_varchar = true) " +
        "WHERE LeadSource IN ('Web', 'Admissions Portal') AND CAST(Amount__c AS DECIMAL(10,2)) > 25 AND CAST(CreatedDate AS TIMESTAMP) < TIMESTAMP '2026-03-01 00:00:00'";
#pragma warning restore CA2100
    process.Refresh();
    cpu = process.TotalProcessorTime;
    watch.Restart();
    var count = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    var peer = watch.Elapsed;
    process.Refresh();
    Console.WriteLine($"duckdb (same filter, count only, multi-threaded): {count:N0} rows in {peer.TotalSeconds:0.00} s (CPU {(process.TotalProcessorTime - cpu).TotalSeconds:0.00} s)");
    Console.WriteLine($"ratio breachline/duckdb: {ours.TotalSeconds / peer.TotalSeconds:0.0}x (breachline also resolves people, residence, elements and writes the individuals list)");
    if (count != result.Records["Contact"])
    {
        Console.WriteLine($"MISMATCH: duckdb {count} vs breachline {result.Records["Contact"]}");
        return 1;
    }

    return 0;
}
