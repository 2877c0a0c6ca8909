using System.Reflection;
using Breachline.Forensics;
using nietras.SeparatedValues;

namespace Breachline.Tests.Forensics;

/// <summary>
/// bench/hunt's ceiling reads the columns the reader says it reads on every row; if the reader began to read
/// another column, the ceiling would leave it out and claim too little work. Every column outside the per-row
/// list and the short list read only on some rows must not change a single event.
/// </summary>
public sealed class ColumnsReadPerRowTests
{
    [Fact]
    public void A_column_outside_the_columns_read_per_row_changes_no_event()
    {
        using var dir = new TempDir();
        var checkedColumns = 0;
        foreach (var path in Directory.EnumerateFiles(Fixtures.Path("hunt", "org", "logs"), "*.csv").Where(p => !p.EndsWith("SetupAuditTrail.csv", StringComparison.Ordinal)))
        {
            int[] read;
            string[] names;
            using (var reader = Sep.Reader(EventLogCsvReader.ReaderOptions).FromFile(path))
            {
                read = [.. EventLogCsvReader.ColumnsReadPerRow(reader.Header), .. EventLogCsvReader.ColumnsReadOnSomeRows(reader.Header)];
                names = [.. reader.Header.ColNames];
            }

            Assert.Contains(Array.IndexOf(names, "TIMESTAMP"), read);
            var original = Events(path);
            for (var column = 0; column < names.Length; column++)
            {
                if (read.Contains(column) || names[column] == "REQUEST_ID")
                {
                    continue;
                }

                var changed = dir.Combine($"{column}-{Path.GetFileName(path)}");
                Rewrite(path, changed, column);
                Assert.Equal(original, Events(changed));
                checkedColumns++;
            }
        }

        Assert.True(checkedColumns >= 10, $"only {checkedColumns} columns outside the list were changed");
    }

    [Fact]
    public void The_columns_read_per_row_are_found_by_header_name_in_any_order()
    {
        var header = Sep.Reader(EventLogCsvReader.ReaderOptions).FromText("\"URI\",\"EXTRA\",\"CLIENT_IP\",\"TIMESTAMP\",\"USER_ID\",\"SOURCE_IP\",\"TIMESTAMP_DERIVED\"\n").Header;

        Assert.Equal([0, 2, 3, 4], EventLogCsvReader.ColumnsReadPerRow(header).Order());
        Assert.Equal([5, 6], EventLogCsvReader.ColumnsReadOnSomeRows(header).Order());
    }

    [Fact]
    public void Without_TIMESTAMP_the_derived_timestamp_is_read_on_every_row()
    {
        var header = Sep.Reader(EventLogCsvReader.ReaderOptions).FromText("\"TIMESTAMP_DERIVED\",\"CLIENT_IP\"\n").Header;

        Assert.Equal([0, 1], EventLogCsvReader.ColumnsReadPerRow(header).Order());
        Assert.Empty(EventLogCsvReader.ColumnsReadOnSomeRows(header));
    }

    // The request id is read only by readers that ask for it (the second pass), not in the first pass the
    // ceiling stands for; every other property of every event is compared.
    private static List<string> Events(string path)
    {
        var file = new LogFile(path, "logs/" + Path.GetFileName(path), LogFileKind.Csv, new FileInfo(path).Length);
        var properties = typeof(LogEvent).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != nameof(LogEvent.RequestId)).ToList();
        return [.. EventLogCsvReader.Read(file, 0, new FileProblems(file.RelativePath)).Select(e => string.Join("|", properties.Select(p => $"{p.Name}={p.GetValue(e)}")))];
    }

    private static void Rewrite(string from, string to, int column)
    {
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(from);
        using var writer = reader.Spec.Writer(o => o with { Escape = true }).ToFile(to);
        foreach (var row in reader)
        {
            using var copy = writer.NewRow(row);
            copy[column].Set("changed value, \"quoted\"");
        }
    }
}
