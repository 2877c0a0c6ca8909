using System.Diagnostics;
using System.Globalization;
using Breachline.Sample;

// Generation throughput of `breachline sample --log-size SIZE`, beside a peer that only moves the same
// number of bytes to the same disk: `cp -r` of the generated logs/ (read + write), and `head -c` of
// /dev/urandom into a file (write only). Prints the times, MB/s and the ratios; peak memory shows
// that the generator streams.
var sizeText = args.Length > 0 ? args[0] : "2GB";
var size = SampleOptions.ParseSize(sizeText);
var scenario = args.Length > 1 ? ScenarioNames.Parse(args[1]) : SampleScenario.TokenTheft;
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
