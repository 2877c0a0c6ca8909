using System.Text;
using Breachline.Salesforce;

namespace Breachline.Tests.Hardening;

/// <summary>Malformed SFDX/mdapi metadata XML: each file refused with its line, the others still read.</summary>
public sealed class MetadataXmlCorpusTests : IDisposable
{
    private const string Good = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n  <userLicense>Salesforce</userLicense>\n</Profile>\n";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private OrgMetadata Load(byte[] bad)
    {
        var profiles = _dir.Combine("profiles");
        Directory.CreateDirectory(profiles);
        File.WriteAllBytes(Path.Combine(profiles, "Bad.profile-meta.xml"), bad);
        File.WriteAllText(Path.Combine(profiles, "Good.profile-meta.xml"), Good);
        return OrgMetadata.Load(_dir.Path);
    }

    private static MetadataProblem OnlyProblem(OrgMetadata metadata)
    {
        Assert.Equal(1, metadata.FilesRead);
        var p = Assert.Single(metadata.Problems);
        Assert.Equal("profiles/Bad.profile-meta.xml", p.Path);
        return p;
    }

    [Fact]
    public void A_truncated_document_is_refused_with_the_line_where_it_ends()
    {
        var p = OnlyProblem(Load(Encoding.UTF8.GetBytes(Good[..^20])));

        Assert.Equal(3, p.Line);
        Assert.StartsWith("is not well-formed XML: Unexpected end of file", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_refused_by_a_streaming_pass_before_any_tree_is_built()
    {
        const int depth = 100_000;
        var text = "<Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n" + string.Concat(Enumerable.Repeat("<a>", depth)) + string.Concat(Enumerable.Repeat("</a>", depth)) + "</Profile>";

        var p = OnlyProblem(Load(Encoding.UTF8.GetBytes(text)));

        Assert.Equal((2, $"nests elements deeper than {SecureXml.MaxDepth} levels; refused"), (p.Line, p.Message));
    }

    [Fact]
    public void An_external_entity_is_refused_and_the_file_it_names_is_never_read()
    {
        var p = OnlyProblem(Load(Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?>\n<!DOCTYPE Profile [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<Profile>&x;</Profile>")));

        Assert.Null(p.Line); // the reader gives no position for a prohibited DTD; the file holds one DOCTYPE
        Assert.StartsWith("declares a DTD (DOCTYPE); refused", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NUL_bytes_and_invalid_UTF8_are_refused_with_their_line()
    {
        var nul = OnlyProblem(Load([.. Encoding.UTF8.GetBytes(Good[..60]), 0, .. Encoding.UTF8.GetBytes(Good[60..])]));
        Assert.Equal(2, nul.Line);
        Assert.StartsWith("is not well-formed XML: ", nul.Message, StringComparison.Ordinal);

        var utf8 = OnlyProblem(Load([.. Encoding.UTF8.GetBytes(Good[..90]), 0xC3, 0x28, .. Encoding.UTF8.GetBytes(Good[90..])]));
        Assert.Equal(2, utf8.Line);
        Assert.StartsWith("is not well-formed XML: Invalid character in the given encoding", utf8.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_byte_order_mark_and_mixed_line_endings_read_like_a_clean_file()
    {
        var metadata = Load([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Good.Replace("\n<Profile", "\r\n<Profile", StringComparison.Ordinal))]);

        Assert.Empty(metadata.Problems);
        Assert.Equal(2, metadata.FilesRead);
    }
}
