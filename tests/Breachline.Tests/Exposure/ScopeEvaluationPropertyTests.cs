using System.Globalization;
using Breachline.Exposure;
using Breachline.Exposure.Soql;
using Breachline.Org;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Text;
using nietras.SeparatedValues;

namespace Breachline.Tests.Exposure;

/// <summary>Random Contact exports, random statements of the subset (WHERE, ORDER BY, LIMIT, OFFSET).</summary>
public sealed record ScopeCase(IReadOnlyList<string[]> Records, SoqlExpr Where, SoqlOrder? Order, int? Limit, int? Offset)
{
    public string Soql =>
        "SELECT Id, LastName FROM Contact WHERE " + SoqlEvaluatorPropertyTests.Render(Where)
        + (Order is { } o ? $" ORDER BY {o.Field.Text}{(o.Descending ? " DESC" : "")}{(o.NullsFirst is { } f ? f ? " NULLS FIRST" : " NULLS LAST" : "")}" : "")
        + (Limit is { } l ? $" LIMIT {l}" : "")
        + (Offset is { } n ? $" OFFSET {n}" : "");

    public override string ToString() => Soql;
}

public static class ScopeCaseArbitraries
{
    // Data Loader's Z and +0000, an ISO offset, the space-separated form, a date, and text that is no date.
    internal static readonly string[] Stamps =
        ["", "2026-03-16T04:30:00.000Z", "2026-03-16T05:30:00.000+0000", "2026-03-10T12:00:00+02:00", "2026-03-16 20:00:00", "2026-03-16", "not a date", "2026-02-28T23:59:59.999Z"];

    public static Arbitrary<ScopeCase> Cases() => Arb.From(
        from records in Gen.ListOf(from r in EvaluatorArbitraries.Record() from s in Gen.Elements(Stamps) select (string[])[.. r, s])
        from filter in Expr(3)
        from order in Gen.OneOf(Gen.Constant<SoqlOrder?>(null), from f in Gen.Elements("Name", "Day__c") from d in Gen.Elements(false, true) from n in Gen.Elements<bool?>(null, true, false) select (SoqlOrder?)new SoqlOrder(FieldPath.Of(f), d, n))
        from limit in Gen.Elements<int?>(null, 0, 1, 3, 10)
        from offset in Gen.Elements<int?>(null, 0, 2, 5)
        select new ScopeCase([.. records], filter, order, limit, offset));

    private static Gen<SoqlExpr> Expr(int depth) =>
        depth == 0
            ? Condition()
            : Gen.Frequency(
                (3, Condition()),
                (2, from l in Expr(depth - 1) from r in Expr(depth - 1) select (SoqlExpr)new AndExpr(l, r)),
                (2, from l in Expr(depth - 1) from r in Expr(depth - 1) select (SoqlExpr)new OrExpr(l, r)),
                (1, Expr(depth - 1).Select(e => (SoqlExpr)new NotExpr(e))));

    private static Gen<SoqlExpr> Condition() => Gen.Frequency(
        (4, EvaluatorArbitraries.Condition()),
        (1, from op in Gen.Elements(SoqlOperator.Equal, SoqlOperator.NotEqual, SoqlOperator.Less, SoqlOperator.Greater, SoqlOperator.LessOrEqual, SoqlOperator.GreaterOrEqual)
            from v in Gen.Elements<SoqlValue>(
                new DateTimeValue(Instant.FromUtc(2026, 3, 16, 5, 0)), new DateTimeValue(Instant.FromUtc(2026, 3, 16, 5, 30)), new DateValue(new LocalDate(2026, 3, 15)),
                new DateLiteralValue("TODAY", null), new DateLiteralValue("YESTERDAY", null), new DateLiteralValue("LAST_N_DAYS", 7), NullValue.Instance)
            select (SoqlExpr)new ConditionExpr(FieldPath.Of("Stamp__c"), op, [v])));
}

/// <summary>
/// The scope engine, end to end (CSV written and read back by Sep, filters on spans, ORDER BY with LIMIT and
/// OFFSET in a bounded heap), agrees with a plain reference: filter a list, sort it, skip, take.
/// </summary>
public sealed class ScopeEvaluationPropertyTests
{
    private static readonly string[] Columns = ["Name", "Amount__c", "Flag__c", "Day__c", "Tags__c", "Stamp__c"];
    private static readonly DateTimeZone Chicago = DateTimeZoneProviders.Tzdb["America/Chicago"];
    private static readonly DateTimeOffset QueryTime = new(2026, 3, 16, 15, 0, 0, TimeSpan.Zero);

    // The reference reads dateTimes with NodaTime's own patterns, not the parser the engine uses.
    private static readonly IPattern<Instant>[] InstantPatterns =
    [
        InstantPattern.ExtendedIso,
        InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFF'+0000'"),
        InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm':'ss;FFFFFFFFF"),
    ];

    [Property(Arbitrary = [typeof(ScopeCaseArbitraries)], MaxTest = 150)]
    public bool The_engine_returns_exactly_the_records_a_reference_filter_returns(ScopeCase c)
    {
        using var org = new TempDir();
        Directory.CreateDirectory(org.Combine("records"));
        File.WriteAllText(org.Combine("org.yaml"), "name: Property University\ntimeZone: America/Chicago\nkind: public-university\n");
        using (var writer = Sep.New(',').Writer(o => o with { Escape = true }).ToFile(org.Combine("records", "Contact.csv")))
        {
            for (var i = 0; i < c.Records.Count; i++)
            {
                using var row = writer.NewRow();
                row["Id"].Set(Id(i));
                row["LastName"].Set("Last" + i.ToString(CultureInfo.InvariantCulture));
                for (var k = 0; k < Columns.Length; k++)
                {
                    row[Columns[k]].Set(c.Records[i][k]);
                }
            }
        }

        var query = SoqlParser.Parse(c.Soql);
        if (!query.FullyUnderstood)
        {
            return false;
        }

        var result = new ScopeEngine(OrgExport.Open(org.Path)).Run(new ScopeRequest([new ExfiltrationQuery(QueryTime, null, "Contact", c.Soql, -1, [])], OutDir: org.Combine("out")));
        var returned = File.ReadAllLines(org.Combine("out", "scope-individuals.csv")).Skip(1).Select(l => l.Split(',')[0]).Order(StringComparer.Ordinal);

        return returned.SequenceEqual(Expected(c).Select(i => Id(i)[..15]).Order(StringComparer.Ordinal));
    }

    private static string Id(int i) => string.Create(CultureInfo.InvariantCulture, $"003{i:D12}AAA");

    private static IEnumerable<int> Expected(ScopeCase c)
    {
        var matching = Enumerable.Range(0, c.Records.Count).Where(i => Matches(c.Where, c.Records[i]));
        if (c.Order is { } o && (c.Limit is not null || c.Offset is not null))
        {
            var column = Array.IndexOf(Columns, o.Field.Field);
            var nullsFirst = o.NullsFirst ?? !o.Descending;
            var nulls = matching.Where(i => c.Records[i][column].Length == 0);
            var values = matching.Where(i => c.Records[i][column].Length > 0);
            values = o.Descending
                ? values.OrderByDescending(i => c.Records[i][column], StringComparer.OrdinalIgnoreCase).ThenBy(i => i)
                : values.OrderBy(i => c.Records[i][column], StringComparer.OrdinalIgnoreCase).ThenBy(i => i);
            matching = nullsFirst ? nulls.Concat(values) : values.Concat(nulls);
        }

        matching = matching.Skip(c.Offset ?? 0);
        return c.Limit is { } limit ? matching.Take(limit) : matching;
    }

    private static bool Matches(SoqlExpr e, string[] r) => e switch
    {
        AndExpr a => Matches(a.Left, r) && Matches(a.Right, r),
        OrExpr o => Matches(o.Left, r) || Matches(o.Right, r),
        NotExpr n => !Matches(n.Inner, r),
        ConditionExpr { Field.Field: "Stamp__c" } s => Stamp(s, r[5]),
        _ => SoqlEvaluatorPropertyTests.Reference(e, r[..5]),
    };

    private static bool Stamp(ConditionExpr c, string cell)
    {
        var value = c.Values[0];
        if (value is NullValue)
        {
            return c.Operator switch { SoqlOperator.Equal => cell.Length == 0, SoqlOperator.NotEqual => cell.Length > 0, _ => false };
        }

        Instant? instant = cell.Length > 10 ? InstantPatterns.Select(p => p.Parse(cell)).FirstOrDefault(r => r.Success)?.Value : null;
        if (instant is null && cell.Length > 10 && OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFFo<+HH:mm>").Parse(cell) is { Success: true } offset)
        {
            instant = offset.Value.ToInstant();
        }

        LocalDate? day = instant?.InZone(Chicago).Date ?? (cell.Length == 10 && LocalDatePattern.Iso.Parse(cell) is { Success: true } d ? d.Value : null);
        if (value is DateLiteralValue literal)
        {
            var today = new LocalDate(2026, 3, 16);
            var (start, end) = literal.Name switch
            {
                "TODAY" => (today, today.PlusDays(1)),
                "YESTERDAY" => (today.PlusDays(-1), today),
                _ => (today.PlusDays(-literal.N!.Value), today.PlusDays(1)),
            };
            return c.Operator switch
            {
                SoqlOperator.Equal => day >= start && day < end,
                SoqlOperator.NotEqual => !(day >= start && day < end),
                SoqlOperator.Less => day < start,
                SoqlOperator.LessOrEqual => day < end,
                SoqlOperator.Greater => day >= end,
                _ => day >= start,
            };
        }

        int? cmp = value switch
        {
            DateTimeValue dt => instant is { } i ? i.CompareTo(dt.Value) : day?.CompareTo(dt.Value.InZone(Chicago).Date),
            DateValue dv => day?.CompareTo(dv.Value),
            _ => null,
        };
        return c.Operator switch
        {
            SoqlOperator.Equal => cmp == 0,
            SoqlOperator.NotEqual => cmp != 0,
            SoqlOperator.Less => cmp < 0,
            SoqlOperator.Greater => cmp > 0,
            SoqlOperator.LessOrEqual => cmp <= 0,
            _ => cmp >= 0,
        };
    }
}
