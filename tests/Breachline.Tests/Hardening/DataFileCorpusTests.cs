using System.Text;
using Breachline.Common;
using Breachline.Forensics;
using Breachline.Org;

namespace Breachline.Tests.Hardening;

/// <summary>Malformed org.yaml, customers.yaml and rule files: one InputException naming file, line and field.</summary>
public sealed class DataFileCorpusTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private InputProblem OrgYamlProblem(string text)
    {
        var path = _dir.Combine("org.yaml");
        File.WriteAllText(path, text);
        var e = Assert.Throws<InputException>(() => OrgFacts.Load(path));
        var p = e.Problems[0];
        Assert.Equal(path, p.File);
        return p;
    }

    [Fact]
    public void An_anchor_bomb_is_refused_by_its_shape_without_being_expanded()
    {
        // Nine aliases of nine aliases, ten deep: a billion strings if expanded.
        var text = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i <= 10; i++)
        {
            text.Append('a').Append(i).Append(": &a").Append(i).Append(" [").AppendJoin(", ", Enumerable.Repeat($"*a{i - 1}", 9)).Append("]\n");
        }

        text.Append("ips: *a10\n");
        InputException? e = null;
        var allocated = Corpus.Allocated(() => e = Assert.Throws<InputException>(() => DataFile.Parse<Indicators.IndicatorList>(text.ToString(), "iocs.yaml")));

        var p = Assert.Single(e!.Problems);
        Assert.Equal(("iocs.yaml", 1), (p.File, p.Line));
        Assert.True(allocated < 32L << 20, $"{allocated:N0} bytes allocated");
    }

    // Found by fuzzing (fuzz/run.sh data-yaml): YamlDotNet threw ArgumentException and InvalidOperationException.
    [Theory]
    [InlineData("!!&.a/B[", "not valid YAML: Global tags must be valid URIs.")]
    [InlineData("\r\r\r\r\r... !", "not valid YAML: The scanner should contain no more tokens.")]
    public void A_malformed_tag_or_stray_token_is_named_as_invalid_YAML_instead_of_crashing(string text, string message)
    {
        var e = Record.Exception(() => DataFile.Parse<Indicators.IndicatorList>(text, "iocs.yaml"));

        var p = Assert.Single(Assert.IsType<InputException>(e).Problems);
        Assert.Equal(("iocs.yaml", (int?)null), (p.File, p.Line));
        Assert.StartsWith(message, p.Message, StringComparison.Ordinal);
    }

    // Found by fuzzing (fuzz/run.sh data-yaml): an empty list crashed the indicator load; now refused by the loader.
    [Fact]
    public void An_indicator_list_key_without_a_value_is_refused_with_the_file()
    {
        var path = _dir.Combine("iocs.yaml");
        File.WriteAllText(path, "ips:\nusers: [0058n0000048uLH]\n");

        var e = Assert.Throws<InputException>(() => Indicators.Load(path));

        Assert.Equal(path, e.Problems[0].File);
    }

    // Found by fuzzing (fuzz/run.sh data-yaml, 10-minute run of 2026-12-05): "- " with no value is a null list item;
    // a null customer and a null element token in a regime trigger crashed their validators.
    [Fact]
    public void A_list_item_without_a_value_is_refused_with_the_line_of_its_list()
    {
        var path = _dir.Combine("customers.yaml");
        File.WriteAllText(path, "customers:\n  - \n");

        var e = Assert.Throws<InputException>(() => Breachline.Notification.CustomerFile.Load(path));

        Assert.Equal((path, 2, "a list item has no value"), (e.Problems[0].File, e.Problems[0].Line, e.Problems[0].Message));
    }

    [Fact]
    public void A_null_element_token_in_a_regime_trigger_is_refused_not_a_crash()
    {
        var regimes = Breachline.Common.DataFile.ListEmbedded("data/regimes/");
        var first = regimes[0];
        using var stream = typeof(Breachline.Common.DataFile).Assembly.GetManifestResourceStream(first)!;
        var text = new StreamReader(stream).ReadToEnd();
        var at = text.IndexOf("withName: [", StringComparison.Ordinal);
        Assert.True(at >= 0, "the shipped regimes no longer have a withName list to break");
        var broken = text.Insert(at + "withName: [".Length, text[at + "withName: [".Length] == ']' ? "~" : "~, ");

        var e = Assert.Throws<InputException>(() => Breachline.Notification.RegimeCatalog.FromTexts([(first, broken)]));

        Assert.Contains(e.Problems, p => p.Message == "a list item has no value" && p.Line is > 0);
    }

    // Found by fuzzing (fuzz/run.sh data-yaml): "customers:" with no value left a null list that crashed the load.
    [Fact]
    public void A_key_without_a_value_where_one_is_required_is_refused_with_its_line()
    {
        var path = _dir.Combine("customers.yaml");
        File.WriteAllText(path, "customers:\n");

        var e = Assert.Throws<InputException>(() => Breachline.Notification.CustomerFile.Load(path));

        Assert.Equal((path, 1), (e.Problems[0].File, e.Problems[0].Line));
    }

    [Fact]
    public void Deep_nesting_is_refused_with_its_line()
    {
        var p = OrgYamlProblem("name: Lakeshore\ntimeZone: " + new string('[', 50_000) + new string(']', 50_000) + "\n");

        Assert.Equal(2, p.Line);
    }

    [Fact]
    public void A_key_given_twice_is_refused_with_the_line_of_the_second()
    {
        var p = OrgYamlProblem("name: Lakeshore\nkind: public-university\nname: Other\ntimeZone: America/Chicago\n");

        Assert.Equal(3, p.Line);
        Assert.Contains("duplicate key", p.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_truncated_file_is_refused_with_the_line_where_it_ends()
    {
        var p = OrgYamlProblem("name: Lakeshore\nkind: public-university\ntimeZone: \"America/Chi");

        Assert.Equal(3, p.Line);
    }

    [Fact]
    public void An_org_id_of_the_wrong_length_is_named_with_its_field()
    {
        var p = OrgYamlProblem("name: Lakeshore\nkind: public-university\ntimeZone: America/Chicago\norgId: 00D8n000000D6y\n");

        Assert.Equal(("orgId", "'00D8n000000D6y' is not a Salesforce org id (00D…, 15 or 18 characters)"), (p.Field, p.Message));
    }

    [Fact]
    public void NUL_bytes_are_refused_with_their_line()
    {
        var p = OrgYamlProblem("name: Lakeshore\nkind: public-\0university\ntimeZone: America/Chicago\n");

        Assert.Equal(2, p.Line);
    }

    [Fact]
    public void A_byte_order_mark_and_mixed_line_endings_read_like_a_clean_file()
    {
        var path = _dir.Combine("org.yaml");
        File.WriteAllText(path, "name: Lakeshore\r\nkind: public-university\ntimeZone: America/Chicago\r\n", new UTF8Encoding(true));

        var facts = OrgFacts.Load(path);

        Assert.Equal(("Lakeshore", "America/Chicago"), (facts.Name, facts.TimeZone));
    }
}
