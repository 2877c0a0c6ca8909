using System.Text;
using Breachline.Posture.Secrets;

namespace Breachline.Tests.Posture;

public sealed class SecretScannerTests
{
    private static readonly SecretScanner Scanner = SecretScanner.BuiltIn;

    // Values are built at run time from a fixed seed so that no realistic credential sits in the repository.
    private static string Random(int length, string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", int seed = 7)
    {
        var random = new Random(seed + length);
        return new string([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);
    }

    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string Hex = "0123456789abcdef";

    public static TheoryData<string, string> Cases() => new()
    {
        { "salesforce-access-token", $"SF_SESSION=00D5g000004ABCD!{Random(96, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._")}" },
        { "salesforce-refresh-token", $"refresh: 5AEP861{Random(80)}" },
        { "salesforce-consumer-key", $"SF_CLIENT_ID = \"3MVG9{Random(80)}\"" },
        { "salesforce-consumer-secret", $"consumer_secret: {Random(64, "ABCDEF0123456789")}" },
        { "aws-access-key-id", $"key = AKIA{Random(16, Upper)}" },
        { "aws-secret-access-key", $"aws_secret_access_key = {Random(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+")}" },
        { "google-api-key", $"const key = 'AIza{Random(35)}';" },
        { "azure-storage-connection-string", $"DefaultEndpointsProtocol=https;AccountName=sis;AccountKey={Random(86)}==;EndpointSuffix=core.windows.net" },
        { "slack-token", $"SLACK_BOT=xoxb-{Random(12, "0123456789")}-{Random(12, "0123456789")}-{Random(24)}" },
        { "github-token", $"GITHUB_TOKEN=ghp_{Random(36)}" },
        { "snowflake-credentials", $"snowflake.connector.connect(user='etl', password='{Random(16)}', account='lsu-prod')" },
        { "database-url-with-password", $"DATABASE_URL=postgres://sis_sync:{Random(14)}@db.internal:5432/sis" },
        { "jdbc-password", $"url=jdbc:sqlserver://sis.internal:1433;databaseName=sis;user=sync;password={Random(14)}" },
        { "odbc-connection-string", $"Server=sis;Database=sis;User Id=sync;Password={Random(14)};" },
        { "private-key", $"-----BEGIN RSA PRIVATE KEY-----\n{Random(64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}\n-----END RSA PRIVATE KEY-----" },
        { "lti-shared-secret", $"lti_shared_secret: {Random(24)}" },
        { "canvas-access-token", $"CANVAS_TOKEN=\"7~{Random(64)}\"" },
        { "moodle-token", $"wstoken={Random(32, Hex)}" },
        { "blackboard-secret", $"blackboard_secret = \"{Random(32)}\"" },
        { "generic-password-assignment", $"db_password = \"{Random(12)}!\"" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_required_secret_type_is_found_with_its_rule_line_and_a_masked_value(string rule, string text)
    {
        var result = Scanner.ScanText("first line\n" + text + "\n", "integrations/app/config.txt");

        var finding = Assert.Single(result.Findings, f => f.RuleId == rule);
        Assert.Equal(2, finding.Line);
        Assert.True(finding.Column >= 1);
        Assert.EndsWith("…", finding.Masked, StringComparison.Ordinal);
        Assert.Equal(5, finding.Masked.Length);
        Assert.True(finding.Length > 4);
        var secret = text.Substring(finding.Column - 1, finding.Length);
        Assert.StartsWith(finding.Masked[..4], secret, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, finding.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("password = \"${DB_PASSWORD}\"", "reference")]
    [InlineData("api_key: process.env.API_KEY", "reference")]
    [InlineData("SF_CLIENT_SECRET: \"{{ vault_sf_secret }}\"", "reference")]
    [InlineData("password: changeme", "placeholder")]
    [InlineData("client_secret = \"<your-client-secret>\"", "placeholder")]
    [InlineData("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "documented example value")]
    public void Placeholders_and_references_are_not_findings(string line, string reason)
    {
        var result = Scanner.ScanText(line + "\n", "integrations/app/.env");

        Assert.Empty(result.Findings);
        Assert.Contains(result.Suppressed, s => s.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Two_threads_find_exactly_what_one_thread_finds()
    {
        // Each thread matches with its own copies of the regexes (a Regex caches one runner); the copies must
        // answer as the originals do, filters included.
        using var dir = new TempDir();
        string[] lines =
        [
            "aws_access_key_id = AKIAQYLPMN5HHHFPZAM2",
            "password = config.get('SIS_PASSWORD')",
            "db.url=postgres://sync:Zq8vR2mT4nWx@db.internal:5432/sis",
            "SLACK_TOKEN=xoxb-123456-abcdefghijklmnopqrstuvwx",
            "token = ${SYNC_TOKEN}",
            "password = 'changeme'",
            "// nothing here",
        ];
        for (var f = 0; f < 40; f++)
        {
            var text = string.Join('\n', Enumerable.Range(0, 200).Select(i => lines[(i * 7 + f) % lines.Length]));
            File.WriteAllText(dir.Combine($"file{f}.properties"), text);
        }

        var one = SecretScanner.BuiltIn.ScanTree(dir.Path, dir.Path, 1);
        var two = SecretScanner.BuiltIn.ScanTree(dir.Path, dir.Path, 2);

        Assert.NotEmpty(one.Findings);
        Assert.NotEmpty(one.Suppressed);
        Assert.Equal(one.Findings, two.Findings);
        Assert.Equal(one.Suppressed, two.Suppressed);
    }

    [Fact]
    public void Values_in_test_fixture_folders_and_lines_flagged_as_fixtures_are_not_findings()
    {
        var line = $"db_password = \"{Random(14)}\"";

        Assert.Empty(Scanner.ScanText(line, "integrations/portal/tests/test_client.py").Findings);
        Assert.Empty(Scanner.ScanText(line + "  # pragma: allowlist secret", "integrations/portal/client.py").Findings);
        Assert.Single(Scanner.ScanText(line, "integrations/portal/client.py").Findings);
    }

    [Fact]
    public void A_binary_file_is_skipped_with_a_message_and_the_next_file_is_scanned()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.Combine("blob.bin"), [0x7F, 0x45, 0x4C, 0x46, 0, 0, 1, 2, .. Encoding.ASCII.GetBytes($"password=\"{Random(12)}\"")]);
        File.WriteAllText(dir.Combine("config.yml"), $"password: \"{Random(12)}\"\n");

        var result = Scanner.ScanTree(dir.Path, dir.Path);

        var note = Assert.Single(result.Notes);
        Assert.Equal("blob.bin", note.Path);
        Assert.Contains("binary", note.Message, StringComparison.Ordinal);
        Assert.Equal("config.yml", Assert.Single(result.Findings).Path);
    }

    [Fact]
    public void Invalid_UTF8_is_reported_and_the_rest_of_the_file_is_scanned()
    {
        using var dir = new TempDir();
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.ASCII.GetBytes("name: caf"));
        bytes.AddRange([0xC3, 0x28, 0xFF, 0xFE, 0x0A]);
        bytes.AddRange(Encoding.ASCII.GetBytes($"token: ghp_{Random(36)}\n"));
        File.WriteAllBytes(dir.Combine("notes.txt"), [.. bytes]);

        var result = Scanner.ScanTree(dir.Path, dir.Path);

        Assert.Contains("not valid UTF-8", Assert.Single(result.Notes).Message, StringComparison.Ordinal);
        var finding = Assert.Single(result.Findings, f => f.RuleId == "github-token");
        Assert.Equal(2, finding.Line);
    }

    [Fact]
    public void A_100_MB_single_line_file_is_streamed_and_secrets_across_chunk_boundaries_are_found_at_their_columns()
    {
        using var dir = new TempDir();
        var path = dir.Combine("export.json");
        var key = "AKIA" + Random(16, Upper);
        var token = "ghp_" + Random(36);
        // One secret straddles the first chunk boundary, one sits at the very end of the 100 MB line.
        var firstColumn = SecretScanner.ChunkCharacters - 10;
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            var filler = new string('a', 1 << 16);
            long written = 0;
            void Fill(long upTo)
            {
                while (written < upTo)
                {
                    var n = (int)Math.Min(filler.Length, upTo - written);
                    writer.Write(filler.AsSpan(0, n));
                    written += n;
                }
            }

            Fill(firstColumn - 2);
            writer.Write(" " + key + " ");
            written += key.Length + 2;
            Fill((100L * 1024 * 1024) - token.Length - 8);
            writer.Write(" token=" + token);
        }

        var result = Scanner.ScanTree(dir.Path, dir.Path);

        Assert.Empty(result.Notes);
        var aws = Assert.Single(result.Findings, f => f.RuleId == "aws-access-key-id");
        Assert.Equal((1, firstColumn), (aws.Line, aws.Column));
        var github = Assert.Single(result.Findings, f => f.RuleId == "github-token");
        Assert.Equal(1, github.Line);
        Assert.Equal(new FileInfo(path).Length - token.Length + 1, github.Column);
        Assert.Equal(new FileInfo(path).Length, result.CharactersScanned);
    }

    [Fact]
    public void Line_and_column_are_right_after_many_lines_and_chunks()
    {
        var lines = Enumerable.Range(0, 200_000).Select(i => $"row {i},Ada,Lovelace,ada{i}@example.edu").ToList();
        var secret = "xoxp-" + Random(12, "0123456789") + "-" + Random(12, "0123456789") + "-" + Random(32, Hex);
        lines[150_000] = "note,\"slack " + secret + "\"";

        var result = Scanner.ScanText(string.Join("\n", lines), "records/Case.csv");

        var finding = Assert.Single(result.Findings);
        Assert.Equal((150_001, 13), (finding.Line, finding.Column));
    }

    [Fact]
    public void Recall_and_false_positive_rate_on_the_SEDATED_battery_meet_the_targets()
    {
        var labels = new List<bool>();
        var text = new StringBuilder();
        foreach (var raw in File.ReadLines(Fixtures.Path("scan", "secrets", "sedated", "battery_passwords.txt")))
        {
            var line = raw.TrimEnd();
            var secret = line.EndsWith(">>fail", StringComparison.Ordinal);
            if (!secret && !line.EndsWith(">>pass", StringComparison.Ordinal))
            {
                continue;
            }

            labels.Add(secret);
            text.Append(line.AsSpan(0, line.Length - 6)).Append('\n');
        }

        var hits = Scanner.ScanText(text.ToString(), "battery.txt").Findings.Select(f => f.Line).ToHashSet();

        var positives = labels.Select((s, i) => (s, i)).Where(x => x.s).ToList();
        var negatives = labels.Select((s, i) => (s, i)).Where(x => !x.s).ToList();
        var recall = (double)positives.Count(x => hits.Contains(x.i + 1)) / positives.Count;
        var falsePositiveRate = (double)negatives.Count(x => hits.Contains(x.i + 1)) / negatives.Count;
        Assert.True(recall >= 0.9, $"recall {recall:0.000}");
        Assert.True(falsePositiveRate <= 0.1, $"false-positive rate {falsePositiveRate:0.000}");
    }

    [Theory]
    [InlineData("salesforce.yml")]
    [InlineData("aws.yml")]
    [InlineData("slack.yml")]
    [InlineData("github.yml")]
    [InlineData("pem.yml")]
    public void Nosey_Parker_examples_of_the_required_families_are_found(string file)
    {
        var yaml = new YamlDotNet.RepresentationModel.YamlStream();
        using (var reader = File.OpenText(Fixtures.Path("scan", "secrets", "noseyparker", file)))
        {
            yaml.Load(reader);
        }

        var root = (YamlDotNet.RepresentationModel.YamlMappingNode)yaml.Documents[0].RootNode;
        var rules = (YamlDotNet.RepresentationModel.YamlSequenceNode)root.Children[new YamlDotNet.RepresentationModel.YamlScalarNode("rules")];
        var examples = rules.Children.OfType<YamlDotNet.RepresentationModel.YamlMappingNode>()
            .Where(r => ((YamlDotNet.RepresentationModel.YamlSequenceNode)r.Children[new YamlDotNet.RepresentationModel.YamlScalarNode("categories")]).Children.Any(c => c.ToString() == "secret"))
            .SelectMany(r => r.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("examples"), out var e) ? ((YamlDotNet.RepresentationModel.YamlSequenceNode)e).Children : [])
            .Select(e => e.ToString())
            .ToList();

        var found = examples.Count(e => Scanner.ScanText(e, "example.txt").Findings.Count > 0);

        Assert.NotEmpty(examples);
        Assert.True((double)found / examples.Count >= 0.6, $"{found} of {examples.Count} examples found in {file}");
    }

    [Fact]
    public void Secretlint_ng_cases_of_the_required_families_are_found_and_ok_cases_mostly_pass()
    {
        var root = Fixtures.Path("scan", "secrets", "secretlint");
        var cases = Directory.GetDirectories(root, "*", SearchOption.AllDirectories)
            .Where(d => Path.GetFileName(d).StartsWith("ng.", StringComparison.Ordinal) || Path.GetFileName(d).StartsWith("ok.", StringComparison.Ordinal))
            .SelectMany(d => Directory.GetFiles(d, "input*").Select(f => (Secret: Path.GetFileName(d).StartsWith("ng.", StringComparison.Ordinal), File: f)))
            .Where(c => !c.File.EndsWith(".p12", StringComparison.Ordinal))
            // "Database connection strings should NOT be detected by basic-auth rule": they are findings of the
            // database-URL pattern here, by design (a database accepting a common-word password is open).
            .Where(c => !c.File.Contains("ok.database-urls-not-detected", StringComparison.Ordinal))
            .ToList();

        var flagged = cases.Select(c => (c.Secret, Hit: Scanner.ScanText(File.ReadAllText(c.File), "input.txt").Findings.Count > 0)).ToList();

        var positives = flagged.Where(c => c.Secret).ToList();
        var negatives = flagged.Where(c => !c.Secret).ToList();
        Assert.True(positives.Count(c => c.Hit) >= 0.7 * positives.Count, $"{positives.Count(c => c.Hit)} of {positives.Count} ng cases found");
        Assert.True(negatives.Count(c => c.Hit) <= 0.34 * negatives.Count, $"{negatives.Count(c => c.Hit)} of {negatives.Count} ok cases flagged");
    }
}
