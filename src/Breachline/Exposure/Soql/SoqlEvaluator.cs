using System.Globalization;
using nietras.SeparatedValues;
using NodaTime;

namespace Breachline.Exposure.Soql;

/// <summary>When a query ran, in whose zone: what TODAY and LAST_N_DAYS:n mean for it.</summary>
/// <param name="QueryTime">The query's own time (from the log).</param>
/// <param name="Zone">The zone of the identity (the org's zone when the user's is unknown).</param>
public sealed record QueryClock(Instant QueryTime, DateTimeZone Zone)
{
    /// <summary>The query's local date.</summary>
    public LocalDate Today => QueryTime.InZone(Zone).Date;
}

/// <summary>
/// The cells of one record as a compiled filter reads them, without copying: either a CSV row as Sep parsed it
/// (cell index = column; a negative index <c>~k</c> names the k-th looked-up relationship value), or an array
/// of values. An empty cell is SOQL's null.
/// </summary>
public readonly ref struct RecordCells
{
    private readonly SepReader.Row _row;
    private readonly string?[]? _related;
    private readonly string?[]? _values;

    /// <summary>Cells of a CSV row; <paramref name="related"/> holds the relationship values looked up for it.</summary>
    public RecordCells(SepReader.Row row, string?[] related)
    {
        _row = row;
        _related = related;
    }

    /// <summary>Cells held as strings (null or empty = null).</summary>
    public RecordCells(string?[] values) => _values = values;

    /// <summary>The text of a cell.</summary>
    public ReadOnlySpan<char> this[int cell] =>
        _values is not null ? _values[cell].AsSpan() : cell >= 0 ? _row[cell].Span : _related![~cell].AsSpan();
}

/// <summary>A compiled WHERE condition: true when the record matches.</summary>
public delegate bool RecordTest(RecordCells cells);

/// <summary>
/// Compiles a WHERE condition once per query into a test on one record's cells, read in place as character
/// spans (no value is copied out of the row). Semantics follow SOQL, not SQL: text compares without case; an
/// empty CSV cell is null; <c>!=</c>, <c>NOT IN</c> and <c>EXCLUDES</c> are true for null (Salesforce returns
/// records whose field is null for them); a cell that does not parse as the literal's type matches nothing
/// but <c>!=</c>.
/// </summary>
public static class SoqlEvaluator
{
    // The dateTime shapes exports write: Data Loader's Z and +0000, ISO offsets, and a space-separated UTC form.
    private static readonly string[] InstantFormats =
    [
        "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'",
        "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFzzz",
        "yyyy'-'MM'-'dd' 'HH':'mm':'ss.FFFFFFF",
    ];

    private delegate bool CellTest(ReadOnlySpan<char> cell);

    /// <summary>Compiles <paramref name="expr"/>; <paramref name="cell"/> maps a field to its cell index.</summary>
    public static RecordTest Compile(SoqlExpr expr, Func<FieldPath, int> cell, QueryClock clock) => expr switch
    {
        TrueExpr => _ => true,
        FalseExpr => _ => false,
        AndExpr a => Both(Compile(a.Left, cell, clock), Compile(a.Right, cell, clock)),
        OrExpr o => Either(Compile(o.Left, cell, clock), Compile(o.Right, cell, clock)),
        NotExpr n => Negate(Compile(n.Inner, cell, clock)),
        ConditionExpr c => Condition(c, cell(c.Field), clock),
        _ => throw new ArgumentException($"unknown expression {expr.GetType().Name}", nameof(expr)),
    };

    /// <summary>Compiles a test on string values (tests and small tables): <c>values[cell]</c>, empty or null = null.</summary>
    public static Func<string?[], bool> CompileOnValues(SoqlExpr expr, Func<FieldPath, int> cell, QueryClock clock)
    {
        var test = Compile(expr, cell, clock);
        return values => test(new RecordCells(values));
    }

    private static RecordTest Both(RecordTest l, RecordTest r) => c => l(c) && r(c);

    private static RecordTest Either(RecordTest l, RecordTest r) => c => l(c) || r(c);

    private static RecordTest Negate(RecordTest inner) => c => !inner(c);

    private static RecordTest Condition(ConditionExpr c, int index, QueryClock clock)
    {
        switch (c.Operator)
        {
            case SoqlOperator.In:
            case SoqlOperator.NotIn:
                var isIn = c.Operator == SoqlOperator.In;
                if (c.Values.All(v => v is StringValue))
                {
                    // Text lists: one hashed lookup per row, whatever the list's length.
                    var set = c.Values.Cast<StringValue>().Select(v => v.Value).ToHashSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
                    return cells =>
                    {
                        var cell = cells[index];
                        return (!cell.IsEmpty && set.Contains(cell)) == isIn;
                    };
                }

                var tests = c.Values.Select(v => Equality(v, clock)).ToArray();
                return cells =>
                {
                    var cell = cells[index];
                    foreach (var test in tests)
                    {
                        if (test(cell))
                        {
                            return isIn;
                        }
                    }

                    return !isIn;
                };
            case SoqlOperator.Includes:
            case SoqlOperator.Excludes:
                var wanted = c.Values.OfType<StringValue>().Select(v => v.Value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
                var includes = c.Operator == SoqlOperator.Includes;
                return cells =>
                {
                    var cell = cells[index];
                    if (cell.IsEmpty)
                    {
                        return !includes;
                    }

                    var any = false;
                    foreach (var all in wanted)
                    {
                        if (HasAll(cell, all))
                        {
                            any = true;
                            break;
                        }
                    }

                    return includes ? any : !any;
                };
            case SoqlOperator.Like:
                var pattern = LikePattern.Of(((StringValue)c.Values[0]).Raw);
                return cells => cells[index] is { IsEmpty: false } cell && pattern.Matches(cell);
            case SoqlOperator.Equal:
                var eq = Equality(c.Values[0], clock);
                return cells => eq(cells[index]);
            case SoqlOperator.NotEqual:
                var ne = Equality(c.Values[0], clock);
                return cells => !ne(cells[index]);
            default:
                var ordered = Ordered(c.Values[0], c.Operator, clock);
                return cells => ordered(cells[index]);
        }
    }

    // A multi-select picklist cell holds its values separated by ';'.
    private static bool HasAll(ReadOnlySpan<char> cell, string[] values)
    {
        foreach (var value in values)
        {
            var found = false;
            foreach (var range in cell.Split(';'))
            {
                if (cell[range].Trim().Equals(value, StringComparison.OrdinalIgnoreCase))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    private static CellTest Equality(SoqlValue literal, QueryClock clock)
    {
        if (literal is NullValue)
        {
            return cell => cell.IsEmpty;
        }

        if (literal is DateLiteralValue range)
        {
            var (start, end) = DateLiterals.Range(range, clock.Today);
            var zone = clock.Zone;
            return cell => LocalDateOf(cell, zone) is { } d && d >= start && d < end;
        }

        var compare = Comparison(literal, clock.Zone);
        return cell => !cell.IsEmpty && compare(cell) == 0;
    }

    private static CellTest Ordered(SoqlValue literal, SoqlOperator op, QueryClock clock)
    {
        if (literal is NullValue)
        {
            return _ => false;
        }

        if (literal is DateLiteralValue range)
        {
            var (start, end) = DateLiterals.Range(range, clock.Today);
            var zone = clock.Zone;
            return op switch
            {
                SoqlOperator.Less => cell => LocalDateOf(cell, zone) is { } d && d < start,
                SoqlOperator.LessOrEqual => cell => LocalDateOf(cell, zone) is { } d && d < end,
                SoqlOperator.Greater => cell => LocalDateOf(cell, zone) is { } d && d >= end,
                _ => cell => LocalDateOf(cell, zone) is { } d && d >= start,
            };
        }

        var compare = Comparison(literal, clock.Zone);
        return op switch
        {
            SoqlOperator.Less => cell => !cell.IsEmpty && compare(cell) is < 0,
            SoqlOperator.LessOrEqual => cell => !cell.IsEmpty && compare(cell) is <= 0,
            SoqlOperator.Greater => cell => !cell.IsEmpty && compare(cell) is > 0,
            _ => cell => !cell.IsEmpty && compare(cell) is >= 0,
        };
    }

    private delegate int? CellComparison(ReadOnlySpan<char> cell);

    /// <summary>Compares a non-empty cell with a literal, in the literal's type; null when the cell is not of that type.</summary>
    private static CellComparison Comparison(SoqlValue literal, DateTimeZone zone)
    {
        switch (literal)
        {
            case StringValue s:
                var text = s.Value;
                return cell => Math.Sign(cell.CompareTo(text, StringComparison.OrdinalIgnoreCase));
            case NumberValue n:
                var number = n.Value;
                return cell => decimal.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d.CompareTo(number) : null;
            case BoolValue b:
                var flag = b.Value;
                return cell => ParseBool(cell) is { } v ? v.CompareTo(flag) : null;
            case DateValue date:
                var day = date.Value;
                return cell => LocalDateOf(cell, zone) is { } local ? local.CompareTo(day) : null;
            case DateTimeValue dt:
                var instant = dt.Value;
                var dayInZone = instant.InZone(zone).Date;
                return cell => InstantOf(cell) is { } i ? i.CompareTo(instant) : LocalDateOf(cell, zone) is { } d ? d.CompareTo(dayInZone) : null;
            default:
                return _ => null;
        }
    }

    /// <summary>Reads a CSV boolean (Data Loader writes true/false; some exports 1/0).</summary>
    internal static bool? ParseBool(ReadOnlySpan<char> cell) =>
        cell.Equals("true", StringComparison.OrdinalIgnoreCase) || cell is "1" ? true
        : cell.Equals("false", StringComparison.OrdinalIgnoreCase) || cell is "0" ? false
        : null;

    /// <summary>The local date of a date cell, or of a dateTime cell in <paramref name="zone"/>.</summary>
    internal static LocalDate? LocalDateOf(ReadOnlySpan<char> cell, DateTimeZone zone)
    {
        if (cell.IsEmpty)
        {
            return null;
        }

        if (cell.Length == 10)
        {
            return DateOnly.TryParseExact(cell, "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? LocalDate.FromDateOnly(date)
                : null;
        }

        return InstantOf(cell)?.InZone(zone).Date;
    }

    /// <summary>The instant of a dateTime cell (Z, +0000 or ±hh:mm; no zone = UTC), or null.</summary>
    internal static Instant? InstantOf(ReadOnlySpan<char> cell) =>
        cell.Length > 10 && DateTimeOffset.TryParseExact(cell, InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? Instant.FromDateTimeOffset(value)
            : null;

    /// <summary>SOQL LIKE: % any run, _ one character, backslash escapes, case-insensitive.</summary>
    internal static bool Like(string value, string rawPattern) => LikePattern.Of(rawPattern).Matches(value);

    /// <summary>A LIKE pattern read once: each character with whether it is a wildcard (an escaped \% is a literal).</summary>
    private sealed class LikePattern((char C, bool Wild)[] parts)
    {
        public static LikePattern Of(string raw)
        {
            var parts = new List<(char C, bool Wild)>(raw.Length);
            for (var i = 0; i < raw.Length; i++)
            {
                if (raw[i] == '\\' && i + 1 < raw.Length)
                {
                    parts.Add((char.ToUpperInvariant(raw[++i]), false));
                }
                else
                {
                    parts.Add((char.ToUpperInvariant(raw[i]), raw[i] is '%' or '_'));
                }
            }

            return new LikePattern([.. parts]);
        }

        public bool Matches(ReadOnlySpan<char> value)
        {
            int v = 0, p = 0, starP = -1, starV = 0;
            while (v < value.Length)
            {
                if (p < parts.Length && parts[p] is { Wild: true, C: '_' })
                {
                    v++;
                    p++;
                }
                else if (p < parts.Length && parts[p] is { Wild: true, C: '%' })
                {
                    starP = p++;
                    starV = v;
                }
                else if (p < parts.Length && parts[p].C == char.ToUpperInvariant(value[v]))
                {
                    v++;
                    p++;
                }
                else if (starP >= 0)
                {
                    p = starP + 1;
                    v = ++starV;
                }
                else
                {
                    return false;
                }
            }

            while (p < parts.Length && parts[p] is { Wild: true, C: '%' })
            {
                p++;
            }

            return p == parts.Length;
        }
    }
}
