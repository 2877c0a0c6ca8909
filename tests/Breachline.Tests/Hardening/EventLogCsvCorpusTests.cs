using Breachline.Forensics;
using static Breachline.Tests.Hardening.Corpus;

namespace Breachline.Tests.Hardening;

/// <summary>Malformed Event Monitoring and SetupAuditTrail CSV: each case's exact problem, and the rows still read.</summary>
public sealed class EventLogCsvCorpusTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private (List<LogEvent> Events, FileProblems Problems) Read(byte[] content, string name = "RestApi.csv") => ReadLog(_dir, name, content);

    private static InputProblemView Only(FileProblems problems)
    {
        Assert.True(problems.Count == 1, string.Join("\n", problems.Listed));
        var p = problems.Listed[0];
        return new(p.File, p.Line, p.Message, p.Field);
    }

    private sealed record InputProblemView(string File, int? Line, string Message, string? Field);

    [Fact]
    public void A_file_cut_off_inside_its_last_field_keeps_the_rows_before_it_and_names_the_cut_line()
    {
        var text = string.Join("\n", ElfHeader, ElfRow(), ElfRow(), "\"RestApi\",\"2026031");

        var (events, problems) = Read(Utf8(text));

        Assert.Equal([2, 3], events.Select(e => e.Line));
        var p = Only(problems);
        Assert.Equal(("logs/RestApi.csv", 4), (p.File, p.Line));
        Assert.Equal("truncated last line: 2 of 6 columns and no final newline", p.Message);
    }

    [Fact]
    public void A_quote_left_open_is_reported_at_the_line_it_opens_and_the_rows_before_it_are_read()
    {
        var (events, problems) = Read(Lines(ElfHeader, ElfRow(), "\"RestApi\",\"20260313015214\",\"0055j00000AT6I1\",\"203.0.113.7,\"1\",\"x\"", ElfRow()));

        Assert.Equal([2], events.Select(e => e.Line));
        var p = Only(problems);
        Assert.Equal(3, p.Line);
        Assert.StartsWith("unbalanced quotes: a quoted field opened here is not closed on its line", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_without_EVENT_TYPE_is_refused_at_line_1()
    {
        var (events, problems) = Read(Lines("\"TYPE\",\"TIMESTAMP\"", "\"RestApi\",\"20260313015214\""));

        Assert.Empty(events);
        var p = Only(problems);
        Assert.Equal((1, "EVENT_TYPE"), (p.Line, p.Field));
        Assert.StartsWith("no EVENT_TYPE column", p.Message, StringComparison.Ordinal);
    }

    // Found by fuzzing (fuzz/run.sh elf-csv): Sep's ArgumentException escaped the reader and ended the hunt.
    [Fact]
    public void A_header_naming_a_column_twice_is_refused_at_line_1_instead_of_crashing()
    {
        var (events, problems) = Read(Lines("\"EVENT_TYPE\",\"TIMESTAMP\",\"USER_ID\",\"USER_ID\"", "\"RestApi\",\"20260313015214\",\"a\",\"b\""));

        Assert.Empty(events);
        var p = Only(problems);
        Assert.Equal((1, "header"), (p.Line, p.Field));
        Assert.Equal("the header names a column more than once (Col name 'USER_ID' found 2 times at 2:'USER_ID' 3:'USER_ID'); the file is skipped", p.Message);
    }

    // Found by fuzzing (fuzz/run.sh elf-csv): with neither timestamp column the reader indexed column -1.
    [Fact]
    public void A_header_without_any_timestamp_column_is_refused_at_line_1_instead_of_crashing()
    {
        var (events, problems) = Read(Lines("\"EVENT_TYPE\",\"TIME\",\"USER_ID\"", "\"RestApi\",\"20260313015214\",\"a\""));

        Assert.Empty(events);
        var p = Only(problems);
        Assert.Equal((1, "TIMESTAMP"), (p.Line, p.Field));
        Assert.Equal("no TIMESTAMP or TIMESTAMP_DERIVED column: the rows cannot be placed in time", p.Message);
    }

    [Fact]
    public void Rows_with_too_many_or_too_few_columns_are_skipped_with_their_counts()
    {
        var (events, problems) = Read(Lines(ElfHeader, ElfRow() + ",\"extra\"", ElfRow(), "\"RestApi\",\"20260313015214\""));

        Assert.Equal([3], events.Select(e => e.Line));
        Assert.Equal(
            [(2, "wrong column count: 7 columns, the header has 6"), (4, "wrong column count: 2 columns, the header has 6")],
            problems.Listed.Select(p => (p.Line!.Value, p.Message)));
    }

    [Fact]
    public void A_byte_order_mark_and_mixed_line_endings_read_like_a_clean_file()
    {
        byte[] content = [0xEF, 0xBB, 0xBF, .. Utf8(ElfHeader + "\r\n" + ElfRow() + "\n" + ElfRow(user: "0055j000000utlP") + "\r\n" + ElfRow() + "\n")];

        var (events, problems) = Read(content);

        Assert.Equal(0, problems.Count);
        Assert.Equal([2, 3, 4], events.Select(e => e.Line));
        Assert.All(events, e => Assert.Equal("RestApi", e.EventType));
        Assert.Equal("0055j000000utlPAAQ", events[1].UserId);
    }

    [Fact]
    public void A_row_with_invalid_UTF8_is_skipped_and_named()
    {
        byte[] content = [.. Utf8(ElfHeader + "\n" + ElfRow() + "\n\"RestApi\",\"20260313015214\",\"0055j00000AT6I1\",\"203.0.113.7\",\"1\",\"SELECT "), 0xC3, 0x28, .. Utf8("\"\n" + ElfRow() + "\n")];

        var (events, problems) = Read(content);

        Assert.Equal([2, 4], events.Select(e => e.Line));
        var p = Only(problems);
        Assert.Equal((3, "invalid UTF-8 in the row"), (p.Line, p.Message));
    }

    [Fact]
    public void NUL_bytes_of_a_zero_filled_tail_are_reported_as_a_wrong_row_and_the_good_rows_are_kept()
    {
        // A log copied while being written, or a file system repaired after a crash, ends in a block of zeros.
        byte[] content = [.. Lines(ElfHeader, ElfRow(), ElfRow()), .. new byte[4096]];

        var (events, problems) = Read(content);

        Assert.Equal([2, 3], events.Select(e => e.Line));
        var p = Only(problems);
        Assert.Equal(4, p.Line);
        Assert.Equal("truncated last line: 1 of 6 columns and no final newline", p.Message);
    }

    [Theory]
    [InlineData("20261399010101")]
    [InlineData("99999999999999")]
    [InlineData("-2026031301521")]
    [InlineData("")]
    public void Timestamps_out_of_range_are_named_with_the_line_and_the_field(string time)
    {
        var (events, problems) = Read(Lines(ElfHeader, ElfRow(time: time), ElfRow()));

        Assert.Equal([3], events.Select(e => e.Line));
        var p = Only(problems);
        Assert.Equal((2, "TIMESTAMP"), (p.Line, p.Field));
        Assert.Equal($"bad timestamp '{time}' (expected yyyyMMddHHmmss with 0-3 fraction digits)", p.Message);
    }

    [Theory]
    [InlineData("005ABC")]
    [InlineData("0055j00000AT6I1AAL77")]
    public void Ids_of_the_wrong_length_are_kept_as_written_and_not_given_a_checksum(string id)
    {
        var (events, problems) = Read(Lines(ElfHeader, ElfRow(user: id)));

        Assert.Equal(0, problems.Count);
        Assert.Equal(id, Assert.Single(events).UserId);
    }

    [Fact]
    public void A_file_of_one_hundred_thousand_bad_rows_lists_200_counts_all_and_stays_within_memory()
    {
        var path = _dir.Combine("Bad.csv");
        using (var writer = new StreamWriter(path))
        {
            writer.WriteLine(ElfHeader);
            for (var i = 0; i < 100_000; i++)
            {
                writer.WriteLine(ElfRow(time: "not-a-time"));
            }
        }

        FileProblems? problems = null;
        var allocated = Allocated(() => problems = ReadLogFile(path, "Bad.csv", LogFileKind.Csv).Problems);

        Assert.Equal(100_000, problems!.Count);
        Assert.Equal(FileProblems.MaxListed, problems.Listed.Count);
        Assert.Equal("99800 more unreadable rows not listed (100000 in all)", problems.ToReport().Last().Message);
        Assert.True(allocated < 64L << 20, $"{allocated:N0} bytes allocated for a 10 MB file of bad rows");
    }

    [Fact]
    public void A_SetupAuditTrail_export_with_a_duplicated_header_is_refused_at_line_1()
    {
        var (events, problems) = Read(Lines("Date,User,Action,Section,Action", "2026-03-12T21:05:31.000+0000,a,b,c,d"), "SetupAuditTrail.csv");

        Assert.Empty(events);
        var p = Only(problems);
        Assert.Equal((1, "header"), (p.Line, p.Field));
    }

    // Found by fuzzing (fuzz/run.sh audit-trail): an epoch past the year 9999 threw out of NodaTime.
    [Fact]
    public void A_SetupAuditTrail_epoch_past_the_year_9999_is_a_bad_date_instead_of_a_crash()
    {
        var (events, problems) = Read(Lines("Id,Action,Section,CreatedDate", "x,a,b,2666666666666666666", "y,a,b,1773349531000"), "SetupAuditTrail.csv");

        Assert.Equal([3], events.Select(e => e.Line));
        var p = Only(problems);
        Assert.Equal((2, "CreatedDate"), (p.Line, p.Field));
    }

    [Fact]
    public void A_SetupAuditTrail_row_with_a_date_out_of_range_is_named_and_the_next_is_read()
    {
        var (events, problems) = Read(Lines("Date,User,Action,Section", "2026-13-40T21:05:31.000+0000,a,b,c", "2026-03-12T21:05:31.000+0000,a,b,c"), "SetupAuditTrail.csv");

        Assert.Equal([3], events.Select(e => e.Line));
        var p = Only(problems);
        Assert.Equal((2, "CreatedDate"), (p.Line, p.Field));
        Assert.StartsWith("bad CreatedDate '2026-13-40T21:05:31.000+0000'", p.Message, StringComparison.Ordinal);
    }
}
