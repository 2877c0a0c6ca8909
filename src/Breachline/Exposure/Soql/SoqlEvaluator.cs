using System.Globalization;
using NodaTime;
using NodaTime.Text;

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
/// Compiles a WHERE condition into a test on one record's values. Semantics follow SOQL, not SQL: text
/// compares without case; an empty CSV cell is null; <c>!=</c>, <c>NOT IN</c> and <c>EXCLUDES</c> are true
/// for null (Salesforce returns records whose field is null for them); a cell that does not parse as the
/// literal's type matches nothing but <c>!=</c>.
/// </summary>
public static class SoqlEvaluator
{
    private static readonly InstantPattern[] InstantPatterns =
    [
        InstantPattern.ExtendedIso,
        InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFF'+0000'"),
        InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm':'ss;FFFFFFFFF"),
    ];

    private static readonly OffsetDateTimePattern OffsetPattern = OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFFo<+HH:mm>");

    /// <summary>Compiles <paramref name="expr"/>; <paramref name="column"/> maps a field to its index in the value array.</summary>
    public static Func<string?[], bool> Compile(SoqlExpr expr, Func<FieldPath, int> column, QueryClock clock) => expr switch
    {
        TrueExpr => _ => true,
        FalseExpr => _ => false,
        AndExpr a => Both(Compile(a.Left, column, clock), Compile(a.Right, column, clock)),
        OrExpr o => Either(Compile(o.Left, column, clock), Compile(o.Right, column, clock)),
        NotExpr n => Negate(Compile(n.Inner, column, clock)),
        ConditionExpr c => Condition(c, column(c.Field), clock),
        _ => throw new ArgumentException($"unknown expression {expr.GetType().Name}", nameof(expr)),
    };

    private static Func<string?[], bool> Both(Func<string?[], bool> l, Func<string?[], bool> r) => v => l(v) && r(v);

    private static Func<string?[], bool> Either(Func<string?[], bool> l, Func<string?[], bool> r) => v => l(v) || r(v);

    private static Func<string?[], bool> Negate(Func<string?[], bool> inner) => v => !inner(v);

    private static Func<string?[], bool> Condition(ConditionExpr c, int index, QueryClock clock)
    {
        switch (c.Operator)
        {
            case SoqlOperator.In:
            case SoqlOperator.NotIn:
                var tests = c.Values.Select(v => Equality(v, clock)).ToArray();
                var negate = c.Operator == SoqlOperator.NotIn;
                return values =>
                {
                    var cell = values[index];
                    foreach (var test in tests)
                    {
                        if (test(cell))
                        {
                            return !negate;
                        }
                    }

                    return negate;
                };
            case SoqlOperator.Includes:
            case SoqlOperator.Excludes:
                var wanted = c.Values.OfType<StringValue>().Select(v => Split(v.Value)).ToArray();
                var includes = c.Operator == SoqlOperator.Includes;
                return values =>
                {
                    var cell = values[index];
                    if (string.IsNullOrEmpty(cell))
                    {
                        return !includes;
                    }

                    var have = Split(cell);
                    var any = wanted.Any(all => all.All(have.Contains));
                    return includes ? any : !any;
                };
            case SoqlOperator.Like:
                var pattern = ((StringValue)c.Values[0]).Raw;
                return values => values[index] is { Length: > 0 } cell && Like(cell, pattern);
            case SoqlOperator.Equal:
                var eq = Equality(c.Values[0], clock);
                return values => eq(values[index]);
            case SoqlOperator.NotEqual:
                var ne = Equality(c.Values[0], clock);
                return values => !ne(values[index]);
            default:
                var ordered = Ordered(c.Values[0], c.Operator, clock);
                return values => ordered(values[index]);
        }
    }

    private static HashSet<string> Split(string value) =>
        value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static Func<string?, bool> Equality(SoqlValue literal, QueryClock clock)
    {
        if (literal is NullValue)
        {
            return cell => string.IsNullOrEmpty(cell);
        }

        if (literal is DateLiteralValue range)
        {
            var (start, end) = DateLiterals.Range(range, clock.Today);
            return cell => LocalDateOf(cell, clock.Zone) is { } d && d >= start && d < end;
        }

        return cell => !string.IsNullOrEmpty(cell) && Compare(cell, literal, clock.Zone) == 0;
    }

    private static Func<string?, bool> Ordered(SoqlValue literal, SoqlOperator op, QueryClock clock)
    {
        if (literal is NullValue)
        {
            return _ => false;
        }

        if (literal is DateLiteralValue range)
        {
            var (start, end) = DateLiterals.Range(range, clock.Today);
            return op switch
            {
                SoqlOperator.Less => cell => LocalDateOf(cell, clock.Zone) is { } d && d < start,
                SoqlOperator.LessOrEqual => cell => LocalDateOf(cell, clock.Zone) is { } d && d < end,
                SoqlOperator.Greater => cell => LocalDateOf(cell, clock.Zone) is { } d && d >= end,
                _ => cell => LocalDateOf(cell, clock.Zone) is { } d && d >= start,
            };
        }

        return op switch
        {
            SoqlOperator.Less => cell => !string.IsNullOrEmpty(cell) && Compare(cell, literal, clock.Zone) is < 0,
            SoqlOperator.LessOrEqual => cell => !string.IsNullOrEmpty(cell) && Compare(cell, literal, clock.Zone) is <= 0,
            SoqlOperator.Greater => cell => !string.IsNullOrEmpty(cell) && Compare(cell, literal, clock.Zone) is > 0,
            _ => cell => !string.IsNullOrEmpty(cell) && Compare(cell, literal, clock.Zone) is >= 0,
        };
    }

    /// <summary>Compares a non-empty cell with a literal, in the literal's type; null when the cell is not of that type.</summary>
    internal static int? Compare(string cell, SoqlValue literal, DateTimeZone zone)
    {
        switch (literal)
        {
            case StringValue s:
                return Math.Sign(string.Compare(cell, s.Value, StringComparison.OrdinalIgnoreCase));
            case NumberValue n:
                return decimal.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d.CompareTo(n.Value) : null;
            case BoolValue b:
                return ParseBool(cell) is { } v ? v.CompareTo(b.Value) : null;
            case DateValue date:
                return LocalDateOf(cell, zone) is { } local ? local.CompareTo(date.Value) : null;
            case DateTimeValue dt:
                if (InstantOf(cell) is { } instant)
                {
                    return instant.CompareTo(dt.Value);
                }

                return LocalDateOf(cell, zone) is { } day ? day.CompareTo(dt.Value.InZone(zone).Date) : null;
            default:
                return null;
        }
    }

    /// <summary>Reads a CSV boolean (Data Loader writes true/false; some exports 1/0).</summary>
    internal static bool? ParseBool(string cell) =>
        cell.Equals("true", StringComparison.OrdinalIgnoreCase) || cell == "1" ? true
        : cell.Equals("false", StringComparison.OrdinalIgnoreCase) || cell == "0" ? false
        : null;

    /// <summary>The local date of a date cell, or of a dateTime cell in <paramref name="zone"/>.</summary>
    internal static LocalDate? LocalDateOf(string? cell, DateTimeZone zone)
    {
        if (string.IsNullOrEmpty(cell))
        {
            return null;
        }

        if (cell.Length == 10)
        {
            var date = LocalDatePattern.Iso.Parse(cell);
            return date.Success ? date.Value : null;
        }

        return InstantOf(cell)?.InZone(zone).Date;
    }

    /// <summary>The instant of a dateTime cell (Z, +0000 or ±hh:mm), or null.</summary>
    internal static Instant? InstantOf(string cell)
    {
        if (cell.Length <= 10)
        {
            return null;
        }

        foreach (var pattern in InstantPatterns)
        {
            var r = pattern.Parse(cell);
            if (r.Success)
            {
                return r.Value;
            }
        }

        var o = OffsetPattern.Parse(cell);
        return o.Success ? o.Value.ToInstant() : null;
    }

    /// <summary>SOQL LIKE: % any run, _ one character, backslash escapes, case-insensitive.</summary>
    internal static bool Like(string value, string rawPattern)
    {
        // Pattern as (char, isWildcard) pairs so an escaped \% is a literal percent sign.
        var pattern = new List<(char C, bool Wild)>(rawPattern.Length);
        for (var i = 0; i < rawPattern.Length; i++)
        {
            if (rawPattern[i] == '\\' && i + 1 < rawPattern.Length)
            {
                pattern.Add((rawPattern[++i], false));
            }
            else
            {
                pattern.Add((rawPattern[i], rawPattern[i] is '%' or '_'));
            }
        }

        int v = 0, p = 0, starP = -1, starV = 0;
        while (v < value.Length)
        {
            if (p < pattern.Count && pattern[p] is { Wild: true, C: '_' })
            {
                v++;
                p++;
            }
            else if (p < pattern.Count && pattern[p] is { Wild: true, C: '%' })
            {
                starP = p++;
                starV = v;
            }
            else if (p < pattern.Count && char.ToUpperInvariant(pattern[p].C) == char.ToUpperInvariant(value[v]))
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

        while (p < pattern.Count && pattern[p] is { Wild: true, C: '%' })
        {
            p++;
        }

        return p == pattern.Count;
    }
}
