using Breachline.Common;
using Breachline.Exposure;
using static Breachline.Tests.Hardening.Corpus;

namespace Breachline.Tests.Hardening;

/// <summary>Malformed record exports (records/*.csv): each file's problem by line, the other files still opened.</summary>
public sealed class RecordCsvCorpusTests : IDisposable
{
    private readonly TempDir _dir = new();

    public RecordCsvCorpusTests() => Directory.CreateDirectory(Records);

    public void Dispose() => _dir.Dispose();

    private string Records => _dir.Combine("records");

    private RecordStore Open(string name, byte[] content)
    {
        File.WriteAllBytes(Path.Combine(Records, name), content);
        File.WriteAllText(Path.Combine(Records, "Account.csv"), "Id,Name\n001000000000001AAA,Lakeshore\n");
        return RecordStore.Open(Records, _dir.Path);
    }

    [Fact]
    public void A_header_naming_a_column_twice_is_refused_at_line_1_and_the_other_files_open()
    {
        var store = Open("Contact.csv", Lines("Id,Email,Email", "003000000000001AAA,a@x.edu,b@x.edu"));

        var p = Assert.Single(store.Problems);
        Assert.Equal(("records/Contact.csv", 1, "header"), (p.File, p.Line, p.Field));
        Assert.StartsWith("the header names a column more than once (Col name 'Email' found 2 times", p.Message, StringComparison.Ordinal);
        Assert.Equal(["Account"], store.Files.Select(f => f.Object));
    }

    [Fact]
    public void A_header_without_Id_and_an_empty_file_are_named_at_line_1()
    {
        File.WriteAllBytes(Path.Combine(Records, "Empty.csv"), []);
        var store = Open("Contact.csv", Lines("Email,Name", "a@x.edu,A"));

        Assert.Equal(
            [("records/Contact.csv", 1, "no Id column: a record export's header names field API names with Id first; its records cannot be told apart or led to people"), ("records/Empty.csv", 1, "empty file: no header row")],
            store.Problems.Select(p => (p.File, p.Line!.Value, p.Message)));
    }

    [Fact]
    public void Rows_with_the_wrong_number_of_cells_and_a_truncated_last_row_are_skipped_by_line()
    {
        var store = Open("Contact.csv", Utf8("Id,Email,Name\n003000000000001AAA,a@x.edu,A\n003000000000002AAA,b@x.edu\n003000000000003AAA,c@x.edu,C\n\"003000000000004AAA,d@x"));
        var file = store.Find("Contact")!;
        var problems = new List<InputProblem>();

        var rows = store.ReadColumns(file, ["Id"], problems).Select(r => r[0]).ToList();

        Assert.Equal(["003000000000001AAA", "003000000000003AAA"], rows);
        Assert.Equal(
            [(3, "row has 2 cells, the header has 3; the row is skipped"), (5, "row has 1 cells, the header has 3; the row is skipped")],
            problems.Select(p => (p.Line!.Value, p.Message)));
    }

    [Fact]
    public void A_byte_order_mark_and_mixed_line_endings_read_like_a_clean_file()
    {
        byte[] content = [0xEF, 0xBB, 0xBF, .. Utf8("Id,Email\r\n003000000000001AAA,a@x.edu\n003000000000002AAA,b@x.edu\r\n")];
        var store = Open("Contact.csv", content);
        var file = store.Find("Contact")!;
        var problems = new List<InputProblem>();

        var rows = store.ReadColumns(file, ["Id", "Email"], problems).ToList();

        Assert.Empty(store.Problems);
        Assert.Empty(problems);
        Assert.Equal(["Id", "Email"], file.Columns);
        Assert.Equal("003", file.KeyPrefix);
        Assert.Equal(["b@x.edu"], rows.Skip(1).Select(r => r[1]));
    }

    [Fact]
    public void Ids_of_the_wrong_length_give_no_key_prefix_rather_than_a_wrong_one()
    {
        var store = Open("Contact.csv", Lines("Id,Email", "003ABC,a@x.edu"));

        Assert.Null(store.Find("Contact")!.KeyPrefix);
    }
}
