using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Breachline.Bench;
using Breachline.Posture.Secrets;
using YamlDotNet.RepresentationModel;

// Breachline's secret engine against secretlint (recommended preset) on the same files in one run:
//   corpus      recall / false-positive rate on the labelled corpora of ../shared/samples/secrets
//   throughput  MB/s of both tools on one generated tree
// Usage: dotnet run -c Release --project bench/secrets -- [corpus|throughput|all] [--samples DIR] [--mb N] [--misses]  (default all, 40 MB)
// (--help says what each option does.)
// Figures go into docs and notes: the same digits and separators on every machine, whatever its language.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var benchDir = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../.."));
var work = Path.Combine(benchDir, "work");
var secretlint = Path.Combine(benchDir, "node_modules/.bin/secretlint");
string[] modes = ["corpus", "throughput", "all"];
var modeArgument = new Argument<string>("mode")
{
    Description = "corpus: recall and false positives on the labelled corpora; throughput: MB/s on one generated tree; all: both",
    HelpName = string.Join('|', modes),
    DefaultValueFactory = _ => "all",
};
modeArgument.AcceptOnlyFromAmong(modes);
var samplesOption = new Option<string>("--samples")
{
    Description = "The labelled corpora (shared/samples/secrets beside the repository)",
    DefaultValueFactory = _ => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/samples/secrets")),
};
var megabytesOption = new Option<int>("--mb") { Description = "Size of the generated tree for throughput, in MB", DefaultValueFactory = _ => 40 }.AtLeast(1);
var missesOption = new Option<bool>("--misses") { Description = "With corpus: print every case Breachline missed or flagged wrongly" };
var command = new RootCommand("Breachline's secret engine against secretlint (recommended preset) on the same files")
{
    modeArgument, samplesOption, megabytesOption, missesOption,
};
command.SetAction(parse => Run(parse.GetValue(modeArgument)!, parse.GetValue(samplesOption)!, parse.GetValue(megabytesOption), parse.GetValue(missesOption)));
return command.Parse(args).Invoke();

int Run(string mode, string samples, int megabytes, bool misses)
{
    if (!File.Exists(secretlint))
    {
        Console.Error.WriteLine($"secretlint is not installed: run `npm ci` in {benchDir}");
        return 2;
    }

    if (mode is "corpus" or "all")
    {
        if (!Directory.Exists(samples))
        {
            Console.Error.WriteLine($"labelled corpora not found at {samples} (pass --samples DIR); they live in ../shared/samples/secrets");
            return 2;
        }

        Corpus(samples, misses);
    }

    if (mode is "throughput" or "all")
    {
        Throughput(megabytes);
    }

    return 0;
}

void Corpus(string samples, bool misses)
{
    var root = Path.Combine(work, "corpus");
    if (Directory.Exists(root))
    {
        Directory.Delete(root, true);
    }

    // label per (file, line): true = a secret is there; line 0 = the whole file is one case.
    var cases = new List<(string Corpus, string File, int Line, bool Secret)>();
    var sedated = Path.Combine(root, "sedated/passwords.txt");
    Directory.CreateDirectory(Path.GetDirectoryName(sedated)!);
    var lines = File.ReadAllLines(Path.Combine(samples, "owasp-sedated-secretbench/battery_passwords.txt"));
    var stripped = new List<string>();
    foreach (var raw in lines)
    {
        var t = raw.TrimEnd();
        var fail = t.EndsWith(">>fail", StringComparison.Ordinal);
        var pass = t.EndsWith(">>pass", StringComparison.Ordinal);
        if (!fail && !pass)
        {
            stripped.Add(t);
            continue;
        }

        stripped.Add(t[..^6]);
        cases.Add(("SEDATED", "sedated/passwords.txt", stripped.Count, fail));
    }

    File.WriteAllLines(sedated, stripped);

    var n = 0;
    foreach (var ruleFile in Directory.GetFiles(Path.Combine(samples, "noseyparker-rules/rules"), "*.yml").Order(StringComparer.Ordinal))
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(ruleFile))
        {
            yaml.Load(reader);
        }

        var rules = (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("rules")];
        foreach (var rule in rules.Children.OfType<YamlMappingNode>())
        {
            // Nosey Parker also ships identifier rules (ARNs, bucket names, hashes); only rules it files under
            // the "secret" category describe credentials, so only their examples are labelled cases here.
            var categories = rule.Children.TryGetValue(new YamlScalarNode("categories"), out var cat) && cat is YamlSequenceNode cs
                ? cs.Children.OfType<YamlScalarNode>().Select(c => c.Value).ToList()
                : [];
            if (!categories.Contains("secret"))
            {
                continue;
            }

            foreach (var (key, secret) in new[] { ("examples", true), ("negative_examples", false) })
            {
                if (!rule.Children.TryGetValue(new YamlScalarNode(key), out var list) || list is not YamlSequenceNode seq)
                {
                    continue;
                }

                foreach (var example in seq.Children.OfType<YamlScalarNode>())
                {
                    var rel = $"noseyparker/{(secret ? "pos" : "neg")}/{Path.GetFileNameWithoutExtension(ruleFile)}-{n++}.txt";
                    Write(rel, example.Value ?? "");
                    cases.Add(("noseyparker", rel, 0, secret));
                }
            }
        }
    }

    foreach (var dir in Directory.GetDirectories(Path.Combine(samples, "secretlint-snapshots"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
    {
        var name = Path.GetFileName(dir);
        var secret = name.StartsWith("ng.", StringComparison.Ordinal);
        if (!secret && !name.StartsWith("ok.", StringComparison.Ordinal))
        {
            continue;
        }

        foreach (var input in Directory.GetFiles(dir, "input*"))
        {
            var rule = Path.GetFileName(Path.GetDirectoryName(dir))!.Replace("secretlint-rule-", "", StringComparison.Ordinal);
            var rel = $"secretlint/{(secret ? "ng" : "ok")}/{rule}-{n++}{Path.GetExtension(input)}";
            Write(rel, File.ReadAllText(input));
            cases.Add(("secretlint", rel, 0, secret));
        }
    }

    var ours = SecretScanner.BuiltIn.ScanTree(root, root, 1);
    var oursHits = ours.Findings.Select(f => (f.Path, f.Line)).ToHashSet();
    var theirs = RunSecretlint(root, Path.Combine(work, "secretlint-corpus.json"), out _);

    Console.WriteLine("Labelled corpora (case = a SEDATED line, a Nosey Parker example, a secretlint snapshot input)");
    Console.WriteLine($"{"corpus",-12} {"tool",-11} {"positives",9} {"found",6} {"recall",7} {"negatives",9} {"flagged",7} {"FP rate",7} {"precision",9}");
    foreach (var group in cases.GroupBy(c => c.Corpus).Append(cases.GroupBy(_ => "all").Single()))
    {
        foreach (var (tool, hits) in new[] { ("breachline", oursHits), ("secretlint", theirs) })
        {
            bool Hit((string Corpus, string File, int Line, bool Secret) c) =>
                c.Line == 0 ? hits.Any(h => h.Path == c.File) : hits.Contains((c.File, c.Line));
            var pos = group.Where(c => c.Secret).ToList();
            var neg = group.Where(c => !c.Secret).ToList();
            var tp = pos.Count(Hit);
            var fp = neg.Count(Hit);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{group.Key,-12} {tool,-11} {pos.Count,9} {tp,6} {(double)tp / pos.Count,7:0.000} {neg.Count,9} {fp,7} {(double)fp / neg.Count,7:0.000} {(tp + fp == 0 ? 0 : (double)tp / (tp + fp)),9:0.000}"));
        }
    }

    if (misses)
    {
        foreach (var c in cases.Where(c => c.Secret != (c.Line == 0 ? oursHits.Any(h => h.Path == c.File) : oursHits.Contains((c.File, c.Line)))))
        {
            var text = c.Line == 0 ? File.ReadAllText(Path.Combine(root, c.File)) : stripped[c.Line - 1];
            Console.WriteLine($"{(c.Secret ? "MISS" : "FP  ")} {c.File}:{c.Line} {text.ReplaceLineEndings(" ")[..Math.Min(160, text.ReplaceLineEndings(" ").Length)]}");
        }
    }

    void Write(string rel, string text)
    {
        var path = Path.Combine(root, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}

void Throughput(int megabytes)
{
    var root = Path.Combine(work, "tree");
    var bytes = Generate(root, megabytes);
    Console.WriteLine($"Throughput on one generated tree: {bytes / 1e6:0.0} MB in {Directory.GetFiles(root, "*", SearchOption.AllDirectories).Length} files (Apex, JS, YAML, properties, CSV; secrets sprinkled)");

    // Warm-up once (JIT, page cache), then the best of three runs of each, secretlint's included (each of its runs
    // is a new node process, so its start-up is in every one of them: that is how it is used).
    SecretScanner.BuiltIn.ScanTree(root, root, 1);
    const int Runs = 3;
    SecretScanResult one = null!, all = null!;
    double oursOne = double.MaxValue, oursAll = double.MaxValue, theirs = double.MaxValue;
    for (var run = 0; run < Runs; run++)
    {
        var sw = Stopwatch.StartNew();
        one = SecretScanner.BuiltIn.ScanTree(root, root, 1);
        oursOne = Math.Min(oursOne, sw.Elapsed.TotalSeconds);
        sw.Restart();
        all = SecretScanner.BuiltIn.ScanTree(root, root);
        oursAll = Math.Min(oursAll, sw.Elapsed.TotalSeconds);
        RunSecretlint(root, Path.Combine(work, "secretlint-tree.json"), out var seconds);
        theirs = Math.Min(theirs, seconds);
    }

    Console.WriteLine($"best of {Runs} runs each; load average {File.ReadAllText("/proc/loadavg").Trim()}");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"breachline, 1 thread : {oursOne,7:0.00} s {bytes / 1e6 / oursOne,8:0.0} MB/s  findings {one.Findings.Count}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"breachline, {Environment.ProcessorCount} threads: {oursAll,7:0.00} s {bytes / 1e6 / oursAll,8:0.0} MB/s  findings {all.Findings.Count}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"secretlint           : {theirs,7:0.00} s {bytes / 1e6 / theirs,8:0.0} MB/s (one node process, wall clock incl. start-up)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio (secretlint time / breachline time): 1 thread {theirs / oursOne:0.0}x, {Environment.ProcessorCount} threads {theirs / oursAll:0.0}x"));
}

HashSet<(string Path, int Line)> RunSecretlint(string root, string output, out double seconds)
{
    var start = new ProcessStartInfo(secretlint)
    {
        WorkingDirectory = root,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
    foreach (var a in new[] { "**/*", "--format", "json", "--output", output, "--secretlintrc", Path.Combine(benchDir, ".secretlintrc.json"), "--no-gitignore" })
    {
        start.ArgumentList.Add(a);
    }

    var sw = Stopwatch.StartNew();
    using var process = Process.Start(start)!;
    process.StandardOutput.ReadToEnd();
    var err = process.StandardError.ReadToEnd();
    process.WaitForExit();
    seconds = sw.Elapsed.TotalSeconds;
    if (process.ExitCode > 1)
    {
        Console.Error.WriteLine($"secretlint failed ({process.ExitCode}): {err}");
    }

    var hits = new HashSet<(string, int)>();
    using var doc = JsonDocument.Parse(File.ReadAllText(output));
    foreach (var file in doc.RootElement.EnumerateArray())
    {
        var path = Path.GetRelativePath(root, file.GetProperty("filePath").GetString()!).Replace('\\', '/');
        foreach (var message in file.GetProperty("messages").EnumerateArray())
        {
            hits.Add((path, message.GetProperty("loc").GetProperty("start").GetProperty("line").GetInt32()));
        }
    }

    return hits;
}

static long Generate(string root, int megabytes)
{
    if (Directory.Exists(root))
    {
        Directory.Delete(root, true);
    }

    var random = new Random(42);
    const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    string Token(int n) => new([.. Enumerable.Range(0, n).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
    string[] code =
    [
        "    public static List<hed__Course_Enrollment__c> loadEnrollments(Id contactId) {",
        "        return [SELECT Id, hed__Grade__c, hed__Status__c FROM hed__Course_Enrollment__c WHERE hed__Contact__c = :contactId];",
        "    }",
        "const client = new Connection({ loginUrl: process.env.SF_LOGIN_URL, version: '60.0' });",
        "  timeoutSeconds: 30",
        "  endpoint: https://lms.example.edu/api/v1/courses",
        "logger.info('synced {} records for term {}', count, term);",
        "if (response.statusCode != 200) { throw new CalloutException(response.getBody()); }",
        "password = config.get('SIS_PASSWORD')",
        "// the token is refreshed by the middleware, see docs/auth.md",
        "003Dn00000Abc1dEAB,Ada,Lovelace,ada@example.edu,2004-12-10,Computer Science",
        "sync.batchSize=2000",
    ];
    var extensions = new[] { ".cls", ".js", ".yaml", ".properties", ".csv" };
    long total = 0;
    var target = megabytes * 1_000_000L;
    var fileNo = 0;
    while (total < target)
    {
        var dir = Path.Combine(root, $"integration-{fileNo % 20:00}", "src");
        Directory.CreateDirectory(dir);
        var sb = new StringBuilder();
        while (sb.Length < 100_000)
        {
            var r = random.Next(1000);
            sb.AppendLine(r switch
            {
                0 => $"aws_access_key_id = AKIA{Token(16).ToUpperInvariant().Replace('0', '2').Replace('1', '3').Replace('8', '4').Replace('9', '5')}",
                1 => $"SLACK_TOKEN=xoxb-{random.Next(100000, 999999)}-{Token(24)}",
                2 => $"db.url=postgres://sync:{Token(12)}@db.internal:5432/sis",
                3 => $"canvas_token: \"{random.Next(1, 9999)}~{Token(64)}\"",
                _ => code[random.Next(code.Length)],
            });
        }

        var path = Path.Combine(dir, $"file{fileNo}{extensions[fileNo % extensions.Length]}");
        File.WriteAllText(path, sb.ToString());
        total += new FileInfo(path).Length;
        fileNo++;
    }

    return total;
}
