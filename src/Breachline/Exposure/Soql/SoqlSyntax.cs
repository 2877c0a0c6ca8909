using System.Globalization;
using NodaTime;

namespace Breachline.Exposure.Soql;

/// <summary>A field reference: <c>Email</c>, or a relationship path such as <c>Account.Name</c>.</summary>
/// <param name="Parts">The path segments, as written.</param>
public sealed record FieldPath(IReadOnlyList<string> Parts)
{
    /// <summary>The path as written, joined with dots.</summary>
    public string Text => string.Join('.', Parts);

    /// <summary>True when the path crosses a relationship (<c>Account.Name</c>).</summary>
    public bool IsRelationship => Parts.Count > 1;

    /// <summary>The last segment: the field on the object the path ends at.</summary>
    public string Field => Parts[^1];

    /// <summary>Parses dotted text.</summary>
    public static FieldPath Of(string text) => new(text.Split('.'));

    /// <inheritdoc />
    public bool Equals(FieldPath? other) => other is not null && string.Equals(Text, other.Text, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Text);

    /// <inheritdoc />
    public override string ToString() => Text;
}

/// <summary>Comparison operators of the subset.</summary>
public enum SoqlOperator
{
    /// <summary><c>=</c></summary>
    Equal,

    /// <summary><c>!=</c> or <c>&lt;&gt;</c></summary>
    NotEqual,

    /// <summary><c>&lt;</c></summary>
    Less,

    /// <summary><c>&gt;</c></summary>
    Greater,

    /// <summary><c>&lt;=</c></summary>
    LessOrEqual,

    /// <summary><c>&gt;=</c></summary>
    GreaterOrEqual,

    /// <summary><c>LIKE</c></summary>
    Like,

    /// <summary><c>IN (…)</c></summary>
    In,

    /// <summary><c>NOT IN (…)</c></summary>
    NotIn,

    /// <summary><c>INCLUDES (…)</c> on multi-select picklists.</summary>
    Includes,

    /// <summary><c>EXCLUDES (…)</c> on multi-select picklists.</summary>
    Excludes,
}

/// <summary>A literal on the right of a comparison.</summary>
public abstract record SoqlValue
{
    /// <summary>The literal as SOQL writes it.</summary>
    public abstract string ToSoql();
}

/// <summary>A quoted string; <paramref name="Raw"/> keeps the escapes (LIKE needs to tell <c>\%</c> from <c>%</c>).</summary>
public sealed record StringValue(string Value, string Raw) : SoqlValue
{
    /// <summary>A literal from plain text, escaped as SOQL wants.</summary>
    public static StringValue Of(string value) => new(value, value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal));

    /// <inheritdoc />
    public override string ToSoql() => $"'{Raw}'";
}

/// <summary>A number.</summary>
public sealed record NumberValue(decimal Value) : SoqlValue
{
    /// <inheritdoc />
    public override string ToSoql() => Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>TRUE or FALSE.</summary>
public sealed record BoolValue(bool Value) : SoqlValue
{
    /// <inheritdoc />
    public override string ToSoql() => Value ? "TRUE" : "FALSE";
}

/// <summary>NULL.</summary>
public sealed record NullValue : SoqlValue
{
    /// <summary>The one null.</summary>
    public static NullValue Instance { get; } = new();

    /// <inheritdoc />
    public override string ToSoql() => "NULL";
}

/// <summary>A date such as 2026-03-14.</summary>
public sealed record DateValue(LocalDate Value) : SoqlValue
{
    /// <inheritdoc />
    public override string ToSoql() => Value.ToString("uuuu'-'MM'-'dd", CultureInfo.InvariantCulture);
}

/// <summary>A dateTime such as 2026-03-14T10:00:00Z.</summary>
public sealed record DateTimeValue(Instant Value) : SoqlValue
{
    /// <inheritdoc />
    public override string ToSoql() => NodaTime.Text.InstantPattern.ExtendedIso.Format(Value);
}

/// <summary>A relative date literal such as TODAY or LAST_N_DAYS:30, resolved against the query's own time.</summary>
/// <param name="Name">Upper-case name, e.g. LAST_N_DAYS.</param>
/// <param name="N">The number after the colon, for the <c>_N_</c> forms.</param>
public sealed record DateLiteralValue(string Name, int? N) : SoqlValue
{
    /// <inheritdoc />
    public override string ToSoql() => N is { } n ? string.Create(CultureInfo.InvariantCulture, $"{Name}:{n}") : Name;
}

/// <summary>A WHERE condition.</summary>
public abstract record SoqlExpr;

/// <summary>Both sides hold.</summary>
public sealed record AndExpr(SoqlExpr Left, SoqlExpr Right) : SoqlExpr;

/// <summary>Either side holds.</summary>
public sealed record OrExpr(SoqlExpr Left, SoqlExpr Right) : SoqlExpr;

/// <summary>The inner condition does not hold.</summary>
public sealed record NotExpr(SoqlExpr Inner) : SoqlExpr;

/// <summary>One comparison of a field with one literal (or a list, for IN / INCLUDES).</summary>
public sealed record ConditionExpr(FieldPath Field, SoqlOperator Operator, IReadOnlyList<SoqlValue> Values) : SoqlExpr;

/// <summary>Always true: stands for a filter Breachline could not read (so every record counts) or for visibility without limits.</summary>
public sealed record TrueExpr : SoqlExpr
{
    /// <summary>The one instance.</summary>
    public static TrueExpr Instance { get; } = new();
}

/// <summary>Always false: an identity that can see no record of an object.</summary>
public sealed record FalseExpr : SoqlExpr
{
    /// <summary>The one instance.</summary>
    public static FalseExpr Instance { get; } = new();
}

/// <summary>One ORDER BY key.</summary>
public sealed record SoqlOrder(FieldPath Field, bool Descending, bool? NullsFirst);

/// <summary>A part of a statement outside the subset Breachline evaluates, and what was assumed instead.</summary>
/// <param name="Clause">select, from, where, order-by, limit, offset, with, group-by, other.</param>
/// <param name="Position">0-based character offset in the statement.</param>
/// <param name="Text">The text not understood.</param>
/// <param name="Assumed">The conservative assumption made instead.</param>
public sealed record SoqlProblem(string Clause, int Position, string Text, string Assumed)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Clause} at {Position}: '{Text}' not understood; {Assumed}");
}

/// <summary>
/// What Breachline understood of one SOQL statement. Parsing never fails: a part outside the subset is listed
/// in <see cref="NotUnderstood"/> and replaced by the assumption that exposes the most (all fields, no filter,
/// no limit), so a query is never silently dropped from the scope.
/// </summary>
/// <param name="Text">The statement as logged.</param>
/// <param name="Object">The FROM object, or null when none could be read.</param>
/// <param name="Fields">The selected fields; null when the SELECT list was not understood (then every readable field counts).</param>
/// <param name="IsCount">SELECT COUNT(): returns a number and no records.</param>
/// <param name="Where">The filter; <see cref="TrueExpr"/> when absent or not understood.</param>
/// <param name="OrderBy">ORDER BY keys.</param>
/// <param name="Limit">LIMIT, when given and understood.</param>
/// <param name="Offset">OFFSET, when given and understood.</param>
/// <param name="Scope">USING SCOPE value (everything, mine, team…), as written.</param>
/// <param name="NotUnderstood">Parts outside the subset, with the assumption made for each.</param>
public sealed record SoqlQuery(
    string Text,
    string? Object,
    IReadOnlyList<FieldPath>? Fields,
    bool IsCount,
    SoqlExpr Where,
    IReadOnlyList<SoqlOrder> OrderBy,
    int? Limit,
    int? Offset,
    string? Scope,
    IReadOnlyList<SoqlProblem> NotUnderstood)
{
    /// <summary>True when every part was understood.</summary>
    public bool FullyUnderstood => NotUnderstood.Count == 0;
}
