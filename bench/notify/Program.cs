using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Breachline.Bench;
using Breachline.Notification;
using Breachline.Org;
using NodaTime;

// 1 M exposed individuals (residence and element set per person, seeded) -> exposure facts -> matrix.
// No peer: no open tool computes a breach-notification matrix, so there is nothing meaningful to run beside it.
// Usage: dotnet run -c Release --project bench/notify -- [size]  (default 1000000; --help says more)
// Figures go into docs and notes: the same digits and separators on every machine, whatever its language.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var sizeArgument = new Argument<int>("size") { Description = "Exposed individuals to generate and aggregate", DefaultValueFactory = _ => 1_000_000 }.AtLeast(1);
var command = new RootCommand("Breachline's notification matrix over generated exposed individuals: aggregation and matrix times") { sizeArgument };
command.SetAction(parse => Run(parse.GetValue(sizeArgument)));
return command.Parse(args).Invoke();

static int Run(int size)
{
    var catalog = ElementCatalog.Default;
    string[] places = ["US-IL", "US-CA", "US-TX", "US-NY", "US-FL", "US-WA", "US-PA", "US-MA", "US-OH", "US-MI", "CN", "IN", "DE", "FR", "GB", "KR", "JP", "BR", "CA", "NG", "SG", "AU", "MX", "VN"];
    string[] extras = ["ssn", "dob", "email", "phone", "address", "student_id", "education_record", "financial_aid", "passport", "drivers_license", "username_password", "medical"];
    var random = new Random(1);
    var people = new (string, ulong)[size];
    for (var i = 0; i < size; i++)
    {
        var set = catalog.Bit("name") | catalog.Bit("email");
        for (var k = random.Next(1, 4); k > 0; k--)
        {
            set |= catalog.Bit(extras[random.Next(extras.Length)]);
        }

        people[i] = (places[random.Next(places.Length)], set);
    }

    _ = NotificationEngine.Shipped; // load and validate the regime data before timing
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    var builder = new ExposureFactsBuilder(catalog);
    foreach (var (place, set) in people)
    {
        builder.Add(place, set);
    }

    var exposure = builder.Build();
    var built = watch.Elapsed;
    var zone = DateTimeZoneProviders.Tzdb["America/Chicago"];
    var aware = Instant.FromUtc(2026, 3, 8, 16, 0);
    var input = new NotificationInput("BENCH", aware, aware, zone, InstitutionKind.PublicUniversity, "US-IL", "Bench University", null, null, exposure, [], CounselFacts.None.With("risk-level", "high"));
    var matrix = NotificationEngine.Shipped.Compute(input, aware);
    watch.Stop();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{size:N0} individuals -> {exposure.Groups.Count} groups -> {matrix.Obligations.Count} obligations ({matrix.Obligations.Count(o => o.Triggered == Triggered.Yes)} triggered) in {watch.Elapsed.TotalMilliseconds:F0} ms"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"aggregation {built.TotalMilliseconds:F0} ms, matrix {(watch.Elapsed - built).TotalMilliseconds:F0} ms"));
    // The machine is shared: CPU time says what the work costs when wall-clock time is inflated by other load.
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"process CPU time {cpu.TotalMilliseconds:F0} ms (includes GC and JIT threads), {Environment.ProcessorCount} cores"));
    Console.WriteLine("peer: none meaningful (no open tool computes a notification matrix); the budget is < 2000 ms");
    return 0;
}
