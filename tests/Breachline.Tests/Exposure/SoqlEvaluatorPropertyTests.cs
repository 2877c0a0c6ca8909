using System.Globalization;
using System.Text.RegularExpressions;
using Breachline.Exposure.Soql;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace Breachline.Tests.Exposure;

/// <summary>Random records and random WHERE conditions of the subset.</summary>
public sealed record EvaluatorCase(IReadOnlyList<string[]> Records, SoqlExpr Where)
{
    public override string ToString() => SoqlEvaluatorPropertyTests.Render(Where);
}

public static class EvaluatorArbitraries
{
    private static readonly string[] Texts = ["", "alpha", "Alpha", "beta", "o'neil", "50%", "Zed"];
    private static readonly string[] Numbers = ["", "-3", "0", "2.5", "10", "abc"];
    private static readonly string[] Flags = ["", "true", "false", "1"];
    private static readonly string[] Days = ["", "2026-03-16", "2026-03-10", "2026-02-28", "2025-12-31", "2026-03-17"];
    private static readonly string[] Tags = ["", "a", "b", "a;b", "a;c", "b;c;a"];
    private static readonly string[] LikePatterns = ["a%", "%ph%", "_eta", "o\\'%", "50\\%", "%", "z_d"];

    public static Arbitrary<EvaluatorCase> Cases() => Arb.From(
        from records in Gen.ListOf(Record()).Select(l => (IReadOnlyList<string[]>)[.. l])
        from filter in Expr(3)
        select new EvaluatorCase(records, filter));

    private static Gen<string[]> Record() =>
        from t in Gen.Elements(Texts)
        from n in Gen.Elements(Numbers)
        from f in Gen.Elements(Flags)
        from d in Gen.Elements(Days)
        from g in Gen.Elements(Tags)
        select new[] { t, n, f, d, g };

    private static Gen<SoqlExpr> Expr(int depth) =>
        depth == 0
            ? Condition()
            : Gen.Frequency(
                (3, Condition()),
                (2, from l in Expr(depth - 1) from r in Expr(depth - 1) select (SoqlExpr)new AndExpr(l, r)),
                (2, from l in Expr(depth - 1) from r in Expr(depth - 1) select (SoqlExpr)new OrExpr(l, r)),
                (1, Expr(depth - 1).Select(e => (SoqlExpr)new NotExpr(e))));

    private static Gen<SoqlOperator> Ordering() =>
        Gen.Elements(SoqlOperator.Equal, SoqlOperator.NotEqual, SoqlOperator.Less, SoqlOperator.Greater, SoqlOperator.LessOrEqual, SoqlOperator.GreaterOrEqual);

    private static Gen<SoqlExpr> Condition() => Gen.OneOf(
        from op in Ordering()
        from v in Gen.Elements(Texts.Where(t => t.Length > 0).ToArray())
        select (SoqlExpr)new ConditionExpr(FieldPath.Of("Name"), op, [StringValue.Of(v)]),
        from op in Ordering()
        from v in Gen.Elements(-3m, 0m, 2.5m, 10m)
        select (SoqlExpr)new ConditionExpr(FieldPath.Of("Amount__c"), op, [new NumberValue(v)]),
        from op in Gen.Elements(SoqlOperator.Equal, SoqlOperator.NotEqual)
        from v in Gen.Elements<SoqlValue>(new BoolValue(true), new BoolValue(false), NullValue.Instance)
        select (SoqlExpr)new ConditionExpr(FieldPath.Of("Flag__c"), op, [v]),
        from op in Ordering()
        from v in Gen.Elements<SoqlValue>(new DateValue(new LocalDate(2026, 3, 10)), new DateLiteralValue("TODAY", null), new DateLiteralValue("YESTERDAY", null), new DateLiteralValue("LAST_N_DAYS", 7), new DateLiteralValue("THIS_MONTH", null), new DateLiteralValue("LAST_YEAR", null), NullValue.Instance)
        select (SoqlExpr)new ConditionExpr(FieldPath.Of("Day__c"), op, [v]),
        from p in Gen.Elements(LikePatterns)
        select (SoqlExpr)new ConditionExpr(FieldPath.Of("Name"), SoqlOperator.Like, [new StringValue(Regex.Unescape(p.Replace("\\'", "'", StringComparison.Ordinal)).Replace("\\%", "%", StringComparison.Ordinal), p)]),
        from negate in Gen.Elements(false, true)
        from vs in Gen.SubListOf(Texts.Where(t => t.Length > 0 && !t.Contains('\'', StringComparison.Ordinal)).ToArray()).Where(l => l.Count > 0)
        select (SoqlExpr)new ConditionExpr(FieldPath.Of("Name"), negate ? SoqlOperator.NotIn : SoqlOperator.In, [.. vs.Select(StringValue.Of)]),
        from include in Gen.Elements(true, false)
        from vs in Gen.NonEmptyListOf(Gen.Elements("a", "b", "c", "a;b", "b;c"))
        select (SoqlExpr)new ConditionExpr(FieldPath.Of("Tags__c"), include ? SoqlOperator.Includes : SoqlOperator.Excludes, [.. vs.Select(StringValue.Of)]));
}

public sealed class SoqlEvaluatorPropertyTests
{
    private static readonly string[] Columns = ["Name", "Amount__c", "Flag__c", "Day__c", "Tags__c"];
    private static readonly QueryClock Clock = new(Instant.FromUtc(2026, 3, 16, 15, 0), DateTimeZone.Utc);
    private static readonly LocalDate Today = new(2026, 3, 16);

    [Property(Arbitrary = [typeof(EvaluatorArbitraries)], MaxTest = 300)]
    public bool The_evaluator_agrees_with_a_straightforward_reference_filter(EvaluatorCase c)
    {
        // Through the text: the statement is rendered, parsed back, compiled, and run on every record.
        var query = SoqlParser.Parse($"SELECT Id, Name FROM Thing__c WHERE {Render(c.Where)}");
        if (!query.FullyUnderstood)
        {
            return false;
        }

        var test = SoqlEvaluator.CompileOnValues(query.Where, p => Array.IndexOf(Columns, p.Field), Clock);
        return c.Records.All(r => test([.. r.Select(v => v.Length == 0 ? null : v)]) == Reference(c.Where, r));
    }

    internal static string Render(SoqlExpr e) => e switch
    {
        AndExpr a => $"({Render(a.Left)} AND {Render(a.Right)})",
        OrExpr o => $"({Render(o.Left)} OR {Render(o.Right)})",
        NotExpr n => $"(NOT {Render(n.Inner)})",
        ConditionExpr c => c.Operator switch
        {
            SoqlOperator.In => $"{c.Field.Text} IN ({string.Join(", ", c.Values.Select(v => v.ToSoql()))})",
            SoqlOperator.NotIn => $"{c.Field.Text} NOT IN ({string.Join(", ", c.Values.Select(v => v.ToSoql()))})",
            SoqlOperator.Includes => $"{c.Field.Text} INCLUDES ({string.Join(", ", c.Values.Select(v => v.ToSoql()))})",
            SoqlOperator.Excludes => $"{c.Field.Text} EXCLUDES ({string.Join(", ", c.Values.Select(v => v.ToSoql()))})",
            SoqlOperator.Like => $"{c.Field.Text} LIKE {c.Values[0].ToSoql()}",
            _ => $"{c.Field.Text} {Symbol(c.Operator)} {c.Values[0].ToSoql()}",
        },
        _ => throw new ArgumentException("unexpected expression"),
    };

    private static string Symbol(SoqlOperator op) => op switch
    {
        SoqlOperator.Equal => "=",
        SoqlOperator.NotEqual => "!=",
        SoqlOperator.Less => "<",
        SoqlOperator.Greater => ">",
        SoqlOperator.LessOrEqual => "<=",
        _ => ">=",
    };

    // The reference: each rule written out plainly, case by case, with no shared code with the evaluator.
    private static bool Reference(SoqlExpr e, string[] r)
    {
        switch (e)
        {
            case AndExpr a:
                return Reference(a.Left, r) && Reference(a.Right, r);
            case OrExpr o:
                return Reference(o.Left, r) || Reference(o.Right, r);
            case NotExpr n:
                return !Reference(n.Inner, r);
        }

        var c = (ConditionExpr)e;
        var cell = r[Array.IndexOf(Columns, c.Field.Field)];
        var isNull = cell.Length == 0;
        switch (c.Operator)
        {
            case SoqlOperator.In:
                return c.Values.Any(v => !isNull && string.Equals(cell, ((StringValue)v).Value, StringComparison.OrdinalIgnoreCase));
            case SoqlOperator.NotIn:
                return !c.Values.Any(v => !isNull && string.Equals(cell, ((StringValue)v).Value, StringComparison.OrdinalIgnoreCase));
            case SoqlOperator.Includes:
            case SoqlOperator.Excludes:
                var have = cell.Split(';');
                var any = c.Values.Any(v => ((StringValue)v).Value.Split(';').All(w => have.Contains(w, StringComparer.OrdinalIgnoreCase)));
                return c.Operator == SoqlOperator.Includes ? !isNull && any : isNull || !any;
            case SoqlOperator.Like:
                var raw = ((StringValue)c.Values[0]).Raw;
                var regex = "^" + Regex.Replace(raw, @"\\(.)|%|_|[^\\%_]+", m =>
                    m.Value == "%" ? ".*" : m.Value == "_" ? "." : m.Value.StartsWith('\\') ? Regex.Escape(m.Groups[1].Value) : Regex.Escape(m.Value)) + "$";
                return !isNull && Regex.IsMatch(cell, regex, RegexOptions.IgnoreCase | RegexOptions.Singleline);
        }

        var value = c.Values[0];
        if (value is NullValue)
        {
            return c.Operator switch
            {
                SoqlOperator.Equal => isNull,
                SoqlOperator.NotEqual => !isNull,
                _ => false,
            };
        }

        if (value is DateLiteralValue literal)
        {
            var (start, end) = literal.Name switch
            {
                "TODAY" => (Today, Today.PlusDays(1)),
                "YESTERDAY" => (Today.PlusDays(-1), Today),
                "LAST_N_DAYS" => (Today.PlusDays(-literal.N!.Value), Today.PlusDays(1)),
                "THIS_MONTH" => (new LocalDate(2026, 3, 1), new LocalDate(2026, 4, 1)),
                _ => (new LocalDate(2025, 1, 1), new LocalDate(2026, 1, 1)),
            };
            if (isNull)
            {
                return c.Operator == SoqlOperator.NotEqual;
            }

            var d = LocalDate.FromDateTime(DateTime.ParseExact(cell, "yyyy-MM-dd", CultureInfo.InvariantCulture));
            return c.Operator switch
            {
                SoqlOperator.Equal => d >= start && d < end,
                SoqlOperator.NotEqual => !(d >= start && d < end),
                SoqlOperator.Less => d < start,
                SoqlOperator.LessOrEqual => d < end,
                SoqlOperator.Greater => d >= end,
                _ => d >= start,
            };
        }

        int? cmp = null;
        if (!isNull)
        {
            cmp = value switch
            {
                StringValue s => Math.Sign(string.Compare(cell, s.Value, StringComparison.OrdinalIgnoreCase)),
                NumberValue num => decimal.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x.CompareTo(num.Value) : null,
                BoolValue b => cell is "true" or "1" ? true.CompareTo(b.Value) : cell == "false" ? false.CompareTo(b.Value) : null,
                DateValue dv => DateTime.ParseExact(cell, "yyyy-MM-dd", CultureInfo.InvariantCulture).CompareTo(dv.Value.ToDateTimeUnspecified()),
                _ => null,
            };
        }

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
