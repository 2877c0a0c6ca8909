using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Breachline.Sample;

// Generation throughput of `breachline sample --log-size SIZE`, beside a peer that only moves the same
// number of bytes to the same disk: `cp -r` of the generated logs/ (read + write), and `head -c` of
// /dev/urandom into a file (write only). Prints the times, MB/s and the ratios; peak memory shows
// that the generator streams.
// Usage: dotnet run -c Release --project bench/sample -- [size] [scenario]  (default 2GB token-theft; --help says more)
// Figures go into docs and notes: the same digits and separators on every machine, whatever its language.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var sizeArgument = new Argument<string>("size") { Description = "Size of logs/, as for breachline sample --log-size: 300MB, 2GB", DefaultValueFactory = _ => "2GB" };
var scenarioArgument = new Argument<string>("scenario")
{
    Description = $"The planted incident: {string.Join(", ", ScenarioNames.All)}",
    DefaultValueFactory = _ => ScenarioNames.Name(SampleScenario.TokenTheft),
};
ReadAs(sizeArgument, text => SampleOptions.ParseSize(text));
ReadAs(scenarioArgument, text => ScenarioNames.Parse(text));
var command = new RootCommand("Generation throughput of breachline sample next to cp -r and head -c of the same bytes") { sizeArgument, scenarioArgument };
command.SetAction(parse => Run(parse.GetValue(sizeArgument)!, ScenarioNames.Parse(parse.GetValue(scenarioArgument)!)));
return command.Parse(args).Invoke();

static int Run(string sizeText, SampleScenario scenario)
{
    var size = SampleOptions.ParseSize(sizeText);
    var work = Path.Combine(Path.GetTempPath(), "breachline-bench-sample-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    Directory.CreateDirectory(work);
    try
    {
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = SampleOrg.Generate(new SampleOptions(LogBytes: size, Scenario: scenario), Path.Combine(work, "org"));
        clock.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var mb = result.LogBytes / 1024.0 / 1024.0;
        var peak = process.PeakWorkingSet64 / 1024.0 / 1024.0;

        var cp = Peer("cp", ["-r", Path.Combine(result.Root, "logs"), Path.Combine(work, "logs-copy")]);
        var head = Peer("sh", ["-c", $"head -c {result.LogBytes} /dev/urandom > '{Path.Combine(work, "random.bin")}'"]);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"breachline sample --log-size {sizeText} ({scenario}): logs {mb:0} MB, all files {result.TotalBytes / 1024.0 / 1024.0:0} MB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  generator      {clock.Elapsed.TotalSeconds,7:0.00} s  {mb / clock.Elapsed.TotalSeconds,7:0} MB/s  (CPU {cpu.TotalSeconds:0.00} s = {mb / cpu.TotalSeconds:0} MB per CPU-second; peak working set {peak:0} MB)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  cp -r logs/    {cp.TotalSeconds,7:0.00} s  {mb / cp.TotalSeconds,7:0} MB/s  ratio generator/cp   {cp.TotalSeconds / clock.Elapsed.TotalSeconds:0.00}x"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  head -c urandom{head.TotalSeconds,7:0.00} s  {mb / head.TotalSeconds,7:0} MB/s  ratio generator/head {head.TotalSeconds / clock.Elapsed.TotalSeconds:0.00}x"));
    }
    finally
    {
        Directory.Delete(work, recursive: true);
    }

    return 0;
}

// Read as `breachline sample` reads them, so the bench takes exactly what the command takes, and a bad value
// gets the command's own one-line reason, named.
static void ReadAs(Argument<string> argument, Action<string> parse) => argument.Validators.Add(result =>
{
    try
    {
        parse(result.GetValueOrDefault<string>());
    }
    catch (FormatException e)
    {
        result.AddError($"{argument.Name}: {e.Message}");
    }
});

static TimeSpan Peer(string file, string[] arguments)
{
    var start = new ProcessStartInfo(file) { UseShellExecute = false };
    foreach (var a in arguments)
    {
        start.ArgumentList.Add(a);
    }

    var clock = Stopwatch.StartNew();
    using var p = Process.Start(start)!;
    p.WaitForExit();
    return clock.Elapsed;
}
