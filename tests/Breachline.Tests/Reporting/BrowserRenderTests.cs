using System.Diagnostics;
using Breachline.Tests.Cli;

namespace Breachline.Tests.Reporting;

/// <summary>One demo run shared by the browser tests.</summary>
public sealed class DemoReportFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public DemoReportFixture()
    {
        var result = CliRun.RunAsync("demo", "--out", _dir.Combine("demo")).GetAwaiter().GetResult();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"demo failed: {result.Error}");
        }

        ReportPath = _dir.Combine("demo", "workspace", "out", "report.html");
    }

    public string ReportPath { get; }

    /// <summary>The demo's workspace.</summary>
    public string Workspace => _dir.Combine("demo", "workspace");

    /// <summary>The sample org export the demo generated.</summary>
    public string Org => _dir.Combine("demo", "org");

    public void Dispose() => _dir.Dispose();
}

/// <summary>The report tests that read the demo share one demo run.</summary>
[CollectionDefinition(Name)]
public sealed class DemoReportCollection : ICollectionFixture<DemoReportFixture>
{
    public const string Name = "demo report";
}

[Collection(DemoReportCollection.Name)]
public sealed class BrowserRenderTests(DemoReportFixture demo)
{
    private static readonly string? Chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    [SkippableFact]
    public async Task The_demo_report_loads_in_headless_chromium_without_console_errors_and_a_screenshot_is_kept()
    {
        SkipUnlessBrowser();
        var screenshot = Path.Combine(ArtifactsFolder(), "demo-report.png");
        File.Delete(screenshot);

        var (stderr, _) = await RunChromiumAsync($"--screenshot={screenshot}", "--window-size=1280,2400", new Uri(demo.ReportPath).AbsoluteUri);

        var console = stderr.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal)).ToList();
        Assert.True(console.Count == 0, "console messages: " + string.Join("\n", console));
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is missing or blank");
    }

    [SkippableFact]
    public async Task Every_section_and_chart_of_the_demo_report_is_in_the_rendered_page()
    {
        SkipUnlessBrowser();

        var (_, dom) = await RunChromiumAsync("--dump-dom", new Uri(demo.ReportPath).AbsoluteUri);

        foreach (var section in new[] { "summary", "clock", "tracks", "findings", "hunt", "exposure", "obligations", "containment", "evidence" })
        {
            Assert.Contains($"<section id=\"{section}\">", dom, StringComparison.Ordinal);
        }

        foreach (var chart in new[] { "chart-deadlines", "chart-findings", "chart-rows", "chart-activity", "chart-jurisdictions" })
        {
            Assert.Matches($"id=\"{chart}\" data-source=\"[^\"]+\"><svg", dom);
        }
    }

    [SkippableFact]
    public async Task The_demo_report_fits_a_1280_pixel_window_without_horizontal_scrolling()
    {
        SkipUnlessBrowser();
        // A copy with a script that writes the page's measured widths into the DOM, which --dump-dom then shows.
        var measured = Path.Combine(Path.GetDirectoryName(demo.ReportPath)!, "report-measured.html");
        const string Measure = "<script>window.addEventListener('load', () => document.body.setAttribute('data-widths', " +
            "document.documentElement.scrollWidth + ' ' + document.documentElement.clientWidth + ' ' + " +
            "[...document.querySelectorAll('table, figure, p')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth).map(e => e.tagName + ' in ' + (e.closest('section') || {}).id).join(', ')));</script>";
        await File.WriteAllTextAsync(measured, (await File.ReadAllTextAsync(demo.ReportPath)).Replace("</body>", Measure + "</body>", StringComparison.Ordinal));

        var (_, dom) = await RunChromiumAsync("--window-size=1280,900", "--virtual-time-budget=5000", "--dump-dom", new Uri(measured).AbsoluteUri);

        var widths = System.Text.RegularExpressions.Regex.Match(dom, "data-widths=\"(\\d+) (\\d+) ?([^\"]*)\"");
        Assert.True(widths.Success, "the measuring script did not run");
        Assert.True(int.Parse(widths.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) <= int.Parse(widths.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
            $"the page is {widths.Groups[1].Value} px wide in a {widths.Groups[2].Value} px window; wider: {widths.Groups[3].Value}");
    }

    [SkippableFact]
    public async Task The_demo_report_prints_to_pdf_and_the_pdf_is_kept()
    {
        SkipUnlessBrowser();
        var pdf = Path.Combine(ArtifactsFolder(), "demo-report.pdf");
        File.Delete(pdf);

        await RunChromiumAsync($"--print-to-pdf={pdf}", "--no-pdf-header-footer", new Uri(demo.ReportPath).AbsoluteUri);

        var bytes = await File.ReadAllBytesAsync(pdf);
        Assert.True(bytes.Length > 10_000 && System.Text.Encoding.ASCII.GetString(bytes, 0, 5) == "%PDF-", "the PDF is missing or empty");
    }

    private static void SkipUnlessBrowser()
    {
        // CI installs Chromium (.ci/install): there the test must run, never skip.
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        Assert.False(inCi && Chromium is null, "CI must have Chromium: .ci/install installs Debian's chromium package");
        Skip.If(Chromium is null, "Chromium is not installed (apt-get install chromium); CI runs this test");
    }

    private static async Task<(string Stderr, string Stdout)> RunChromiumAsync(params string[] args)
    {
        var profile = Path.Combine(Path.GetTempPath(), "breachline-chromium-" + Guid.NewGuid().ToString("N"));
        var info = new ProcessStartInfo(Chromium!)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // The flags keep a root, offline, headless Chromium from reaching for the network or a GPU.
        foreach (var arg in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0", $"--user-data-dir={profile}",
                 }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be releasing its profile; temp is cleaned by the OS.
        }

        return (await stderr, await stdout);
    }

    private static string ArtifactsFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Breachline.slnx")))
        {
            dir = dir.Parent;
        }

        var folder = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
