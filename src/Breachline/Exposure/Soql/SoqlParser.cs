using System.Globalization;
using NodaTime.Text;

namespace Breachline.Exposure.Soql;

/// <summary>
/// Recursive-descent parser for the SOQL subset Breachline evaluates: SELECT fields (relationship paths,
/// toLabel/format/convertCurrency wrappers) or COUNT(), FROM one object, USING SCOPE, WHERE with AND/OR/NOT,
/// = != &lt; &gt; &lt;= &gt;= LIKE IN NOT IN INCLUDES EXCLUDES, null, date and dateTime literals, relative date
/// literals, ORDER BY, LIMIT, OFFSET, WITH SECURITY_ENFORCED/USER_MODE, FOR VIEW/REFERENCE/UPDATE.
/// Anything else is recorded with its position and replaced by the assumption that exposes the most.
/// </summary>
public static class SoqlParser
{
    /// <summary>Deepest nesting of NOT and parentheses in a condition; deeper conditions are not understood.</summary>
    public const int MaxNesting = 100;

    private static readonly string[] ClauseKeywords = ["WHERE", "WITH", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "FOR", "UPDATE", "ALL", "USING"];
    private static readonly string[] FieldWrappers = ["TOLABEL", "FORMAT", "CONVERTCURRENCY"];

    private static readonly OffsetDateTimePattern[] DateTimePatterns =
    [
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFFo<Z+HH:mm>"),
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFFo<Z+HHmm>"),
    ];

    /// <summary>Parses a statement; never throws for bad SOQL (see <see cref="SoqlQuery.NotUnderstood"/>).</summary>
    /// <param name="text">The statement.</param>
    /// <param name="fallbackObject">The object to assume when FROM cannot be read (e.g. the log's ENTITY_NAME).</param>
    public static SoqlQuery Parse(string text, string? fallbackObject = null) => new Parser(text, fallbackObject).Run();

    /// <summary>Parses a WHERE condition alone (used for sharing-rule criteria and tests).</summary>
    /// <exception cref="FormatException">The condition is outside the subset.</exception>
    public static SoqlExpr ParseCondition(string text)
    {
        var parser = new Parser(text, null);
        return parser.ConditionOnly();
    }

    /// <summary>True for the relative date literal names of SOQL.</summary>
    public static bool IsDateLiteral(string name, out bool takesNumber)
    {
        takesNumber = name.Contains("_N_", StringComparison.Ordinal) || name.StartsWith("N_", StringComparison.Ordinal);
        return DateLiterals.Names.Contains(name);
    }

    private sealed class SyntaxError(int position, string message) : Exception(message)
    {
        public int Position { get; } = position;
    }

    private sealed class Parser(string text, string? fallbackObject)
    {
        private readonly List<Token> _tokens = SoqlLexer.Tokenize(text);
        private readonly List<SoqlProblem> _problems = [];
        private int _pos;
        private int _depth;

        private Token Current => _tokens[_pos];

        public SoqlExpr ConditionOnly()
        {
            try
            {
                var expr = OrExpression();
                if (Current.Kind != TokenKind.End)
                {
                    throw new SyntaxError(Current.Position, $"unexpected '{Current.Text}'");
                }

                return expr;
            }
            catch (SyntaxError e)
            {
                throw new FormatException($"at {e.Position}: {e.Message}");
            }
        }

        public SoqlQuery Run()
        {
            if (!Current.Is("SELECT"))
            {
                var obj = FindFrom() ?? fallbackObject;
                Problem("select", Current.Position, text, obj is null ? "not a SELECT statement; no object could be read" : $"not a SELECT statement; every readable field of every readable {obj} record counts");
                return new SoqlQuery(text, obj, null, false, TrueExpr.Instance, [], null, null, null, _problems);
            }

            _pos++;
            var (fields, isCount) = SelectList();
            string? objectName = null;
            if (Current.Is("FROM"))
            {
                _pos++;
                if (Current.Kind == TokenKind.Identifier && !IsClauseKeyword(Current))
                {
                    objectName = Current.Text;
                    _pos++;
                    if (Current.Kind == TokenKind.Identifier && !IsClauseKeyword(Current))
                    {
                        // An alias: FROM Contact c. Paths then start with the alias, which Resolve drops.
                        _pos++;
                    }

                    if (Current.IsSymbol(","))
                    {
                        var start = Current.Position;
                        var skipped = SkipToClause();
                        Problem("from", start, skipped, "the relationship objects after the first are not scoped; the first object is");
                    }
                }
            }

            if (objectName is null)
            {
                objectName = fallbackObject;
                Problem("from", Current.Position, Rest(), objectName is null ? "no FROM object; nothing can be scoped" : $"no FROM object; the log's object {objectName} is assumed");
                return new SoqlQuery(text, objectName, null, isCount, TrueExpr.Instance, [], null, null, null, _problems);
            }

            SoqlExpr where = TrueExpr.Instance;
            var order = new List<SoqlOrder>();
            int? limit = null, offset = null;
            string? scope = null;
            var orderUnderstood = true;
            while (Current.Kind != TokenKind.End)
            {
                var clauseStart = Current.Position;
                if (Current.Is("USING") && Peek(1).Is("SCOPE") && Peek(2).Kind == TokenKind.Identifier)
                {
                    scope = Peek(2).Text;
                    _pos += 3;
                }
                else if (Current.Is("WHERE"))
                {
                    _pos++;
                    var save = _pos;
                    try
                    {
                        where = OrExpression();
                        if (!AtClauseBoundary())
                        {
                            throw new SyntaxError(Current.Position, $"unexpected '{Current.Text}'");
                        }
                    }
                    catch (SyntaxError e)
                    {
                        _pos = save;
                        var whereText = SkipToClause();
                        where = TrueExpr.Instance;
                        Problem("where", e.Position, whereText.Length > 0 ? whereText : "WHERE (nothing after it)", $"{e.Message}; the filter is ignored, so every readable record counts");
                    }
                }
                else if (Current.Is("WITH"))
                {
                    _pos++;
                    if (Current.Is("SECURITY_ENFORCED") || Current.Is("USER_MODE") || Current.Is("SYSTEM_MODE"))
                    {
                        // Enforcement modes only ever narrow what a query returns; scoping by the identity's
                        // permissions already covers them.
                        _pos++;
                    }
                    else
                    {
                        var skipped = SkipToClause();
                        Problem("with", clauseStart, "WITH " + skipped, "the WITH filter is ignored, so every readable record counts");
                    }
                }
                else if (Current.Is("GROUP") || Current.Is("HAVING"))
                {
                    var skipped = SkipToClause(skipFirst: true);
                    Problem("group-by", clauseStart, skipped, "aggregate query: every record matching the filter is taken as read");
                    orderUnderstood = false;
                }
                else if (Current.Is("ORDER") && Peek(1).Is("BY"))
                {
                    _pos += 2;
                    var save = _pos;
                    try
                    {
                        order.AddRange(OrderList());
                        if (!AtClauseBoundary())
                        {
                            throw new SyntaxError(Current.Position, $"unexpected '{Current.Text}'");
                        }
                    }
                    catch (SyntaxError e)
                    {
                        _pos = save;
                        var skipped = SkipToClause();
                        order.Clear();
                        orderUnderstood = false;
                        Problem("order-by", e.Position, skipped.Length > 0 ? skipped : "ORDER BY (nothing after it)", $"{e.Message}; the order is unknown, so LIMIT and OFFSET are ignored");
                    }
                }
                else if (Current.Is("LIMIT") || Current.Is("OFFSET"))
                {
                    var isLimit = Current.Is("LIMIT");
                    _pos++;
                    if (Current.Kind == TokenKind.Number && int.TryParse(Current.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                    {
                        _ = isLimit ? limit = n : offset = n;
                        _pos++;
                    }
                    else
                    {
                        var skipped = SkipToClause();
                        Problem(isLimit ? "limit" : "offset", clauseStart, (isLimit ? "LIMIT " : "OFFSET ") + skipped, isLimit ? "no limit is applied" : "no offset is applied");
                    }
                }
                else if (Current.Is("FOR") && (Peek(1).Is("VIEW") || Peek(1).Is("REFERENCE") || Peek(1).Is("UPDATE")))
                {
                    _pos += 2;
                }
                else if (Current.Is("UPDATE") && (Peek(1).Is("TRACKING") || Peek(1).Is("VIEWSTAT")))
                {
                    _pos += 2;
                }
                else if (Current.Is("ALL") && Peek(1).Is("ROWS"))
                {
                    _pos += 2;
                    Problem("other", clauseStart, "ALL ROWS", "deleted and archived records are not in the record export; only exported records are scoped");
                }
                else
                {
                    var skipped = SkipToClause(skipFirst: true);
                    Problem("other", clauseStart, skipped, "ignored");
                }
            }

            if (!orderUnderstood && (limit is not null || offset is not null))
            {
                limit = null;
                offset = null;
            }

            return new SoqlQuery(text, objectName, fields, isCount, where, order, limit, offset, scope, _problems);
        }

        private (List<FieldPath>? Fields, bool IsCount) SelectList()
        {
            if (Current.Is("COUNT") && Peek(1).IsSymbol("("))
            {
                var start = Current.Position;
                _pos += 2;
                if (Current.IsSymbol(")") || (Current.Kind == TokenKind.Identifier && Peek(1).IsSymbol(")")))
                {
                    _pos += Current.IsSymbol(")") ? 1 : 2;
                    if (Current.Is("FROM"))
                    {
                        return (null, true);
                    }
                }

                _pos = IndexOfFrom(start);
                Problem("select", start, Slice(start, Current.Position), "aggregate select list: every readable field of every matching record is taken as read");
                return (null, false);
            }

            var fields = new List<FieldPath>();
            var startPos = Current.Position;
            while (true)
            {
                if (Current.Kind == TokenKind.Identifier && !Current.Is("FROM") && !Current.Is("TYPEOF"))
                {
                    var name = Current.Text;
                    if (Peek(1).IsSymbol("("))
                    {
                        if (FieldWrappers.Contains(name.ToUpperInvariant()) && Peek(2).Kind == TokenKind.Identifier && Peek(3).IsSymbol(")"))
                        {
                            fields.Add(FieldPath.Of(Peek(2).Text));
                            _pos += 4;
                        }
                        else
                        {
                            return NotUnderstood(startPos, $"function {name}()");
                        }
                    }
                    else
                    {
                        fields.Add(FieldPath.Of(name));
                        _pos++;
                    }
                }
                else if (Current.IsSymbol("("))
                {
                    var start = Current.Position;
                    var depth = 0;
                    do
                    {
                        depth += Current.IsSymbol("(") ? 1 : Current.IsSymbol(")") ? -1 : 0;
                        _pos++;
                    }
                    while (depth > 0 && Current.Kind != TokenKind.End);
                    Problem("select", start, Slice(start, Current.Position), "child-relationship sub-query: its child records are not reconstructed (review by hand); the parent records are scoped");
                }
                else
                {
                    return NotUnderstood(startPos, Current.Kind == TokenKind.End ? "end of statement" : $"'{Current.Text}'");
                }

                if (Current.IsSymbol(","))
                {
                    _pos++;
                    continue;
                }

                if (Current.Is("FROM"))
                {
                    return (fields, false);
                }

                return NotUnderstood(startPos, $"'{Current.Text}'");
            }
        }

        private (List<FieldPath>? Fields, bool IsCount) NotUnderstood(int start, string what)
        {
            var at = Current.Position;
            _pos = IndexOfFrom(_pos);
            Problem("select", at, Slice(start, Current.Position).Trim(), $"{what} is outside the subset: every readable field is taken as read");
            return (null, false);
        }

        private int IndexOfFrom(int from)
        {
            var depth = 0;
            for (var i = from; i < _tokens.Count; i++)
            {
                var t = _tokens[i];
                depth += t.IsSymbol("(") ? 1 : t.IsSymbol(")") ? -1 : 0;
                if ((depth == 0 && t.Is("FROM")) || t.Kind == TokenKind.End)
                {
                    return i;
                }
            }

            return _tokens.Count - 1;
        }

        private string? FindFrom()
        {
            var i = IndexOfFrom(0);
            return _tokens[i].Is("FROM") && _tokens[i + 1].Kind == TokenKind.Identifier ? _tokens[i + 1].Text : null;
        }

        private SoqlExpr OrExpression()
        {
            var left = AndExpression();
            while (Current.Is("OR"))
            {
                _pos++;
                left = new OrExpr(left, AndExpression());
            }

            return left;
        }

        private SoqlExpr AndExpression()
        {
            var left = NotExpression();
            while (Current.Is("AND"))
            {
                _pos++;
                left = new AndExpr(left, NotExpression());
            }

            return left;
        }

        private SoqlExpr NotExpression()
        {
            if (!Current.Is("NOT") && !Current.IsSymbol("("))
            {
                return Condition();
            }

            // Query text comes from logs an attacker wrote; unbounded nesting would overflow the stack here or
            // in the evaluator, which ends the process. Real conditions nest a handful of levels.
            if (++_depth > MaxNesting)
            {
                throw new SyntaxError(Current.Position, $"conditions nested deeper than {MaxNesting} levels");
            }

            try
            {
                if (Current.Is("NOT"))
                {
                    _pos++;
                    return new NotExpr(NotExpression());
                }

                _pos++;
                var inner = OrExpression();
                Expect(")");
                return inner;
            }
            finally
            {
                _depth--;
            }
        }

        private SoqlExpr Condition()
        {
            var fieldToken = Current;
            if (fieldToken.Kind != TokenKind.Identifier || IsClauseKeyword(fieldToken))
            {
                throw new SyntaxError(fieldToken.Position, fieldToken.Kind == TokenKind.End ? "condition expected at end of statement" : $"field expected, found '{fieldToken.Text}'");
            }

            if (Peek(1).IsSymbol("("))
            {
                throw new SyntaxError(fieldToken.Position, $"function {fieldToken.Text}() in a condition is outside the subset");
            }

            _pos++;
            var field = FieldPath.Of(fieldToken.Text);
            var op = Current;
            SoqlOperator oper;
            if (op.Kind == TokenKind.Symbol)
            {
                oper = op.Text switch
                {
                    "=" => SoqlOperator.Equal,
                    "!=" => SoqlOperator.NotEqual,
                    "<" => SoqlOperator.Less,
                    ">" => SoqlOperator.Greater,
                    "<=" => SoqlOperator.LessOrEqual,
                    ">=" => SoqlOperator.GreaterOrEqual,
                    _ => throw new SyntaxError(op.Position, $"operator expected, found '{op.Text}'"),
                };
                _pos++;
                return new ConditionExpr(field, oper, [Value()]);
            }

            if (op.Is("LIKE"))
            {
                _pos++;
                var pattern = Value();
                return pattern is StringValue
                    ? new ConditionExpr(field, SoqlOperator.Like, [pattern])
                    : throw new SyntaxError(op.Position, "LIKE needs a quoted pattern");
            }

            if (op.Is("NOT") && Peek(1).Is("IN"))
            {
                _pos += 2;
                return new ConditionExpr(field, SoqlOperator.NotIn, ValueList());
            }

            if (op.Is("IN") || op.Is("INCLUDES") || op.Is("EXCLUDES"))
            {
                _pos++;
                oper = op.Is("IN") ? SoqlOperator.In : op.Is("INCLUDES") ? SoqlOperator.Includes : SoqlOperator.Excludes;
                return new ConditionExpr(field, oper, ValueList());
            }

            throw new SyntaxError(op.Position, op.Kind == TokenKind.End ? $"operator expected after {field.Text}" : $"operator '{op.Text}' is outside the subset");
        }

        private List<SoqlValue> ValueList()
        {
            if (!Current.IsSymbol("("))
            {
                throw new SyntaxError(Current.Position, Current.Kind == TokenKind.Bind ? $"bind variable {Current.Text} is outside the subset" : "'(' expected before the value list");
            }

            if (Peek(1).Is("SELECT"))
            {
                throw new SyntaxError(Peek(1).Position, "semi-join sub-query is outside the subset");
            }

            _pos++;
            var values = new List<SoqlValue> { Value() };
            while (Current.IsSymbol(","))
            {
                _pos++;
                values.Add(Value());
            }

            Expect(")");
            return values;
        }

        private SoqlValue Value()
        {
            var t = Current;
            _pos++;
            switch (t.Kind)
            {
                case TokenKind.String:
                    return new StringValue(t.Unescaped!, t.Text);
                case TokenKind.Number:
                    return decimal.TryParse(t.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                        ? new NumberValue(d)
                        : throw new SyntaxError(t.Position, $"'{t.Text}' is not a number");
                case TokenKind.Date:
                    var date = LocalDatePattern.Iso.Parse(t.Text);
                    return date.Success ? new DateValue(date.Value) : throw new SyntaxError(t.Position, $"'{t.Text}' is not a date (yyyy-MM-dd)");
                case TokenKind.DateTime:
                    foreach (var pattern in DateTimePatterns)
                    {
                        var parsed = pattern.Parse(t.Text);
                        if (parsed.Success)
                        {
                            return new DateTimeValue(parsed.Value.ToInstant());
                        }
                    }

                    throw new SyntaxError(t.Position, $"'{t.Text}' is not a dateTime (yyyy-MM-ddTHH:mm:ssZ or with ±hh:mm)");
                case TokenKind.Identifier:
                    var upper = t.Text.ToUpperInvariant();
                    if (upper is "TRUE" or "FALSE")
                    {
                        return new BoolValue(upper == "TRUE");
                    }

                    if (upper == "NULL")
                    {
                        return NullValue.Instance;
                    }

                    if (IsDateLiteral(upper, out var takesNumber))
                    {
                        if (!takesNumber)
                        {
                            return new DateLiteralValue(upper, null);
                        }

                        if (Current.IsSymbol(":") && Peek(1).Kind == TokenKind.Number && int.TryParse(Peek(1).Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                        {
                            _pos += 2;
                            return new DateLiteralValue(upper, n);
                        }

                        throw new SyntaxError(t.Position, $"{upper} needs ':n'");
                    }

                    throw new SyntaxError(t.Position, $"'{t.Text}' is not a literal Breachline knows");
                case TokenKind.Bind:
                    throw new SyntaxError(t.Position, $"bind variable {t.Text} is outside the subset");
                case TokenKind.End:
                    throw new SyntaxError(t.Position, "value expected at end of statement");
                default:
                    throw new SyntaxError(t.Position, $"value expected, found '{t.Text}'");
            }
        }

        private List<SoqlOrder> OrderList()
        {
            var list = new List<SoqlOrder>();
            while (true)
            {
                var t = Current;
                if (t.Kind != TokenKind.Identifier || IsClauseKeyword(t))
                {
                    throw new SyntaxError(t.Position, $"field expected in ORDER BY, found '{t.Text}'");
                }

                if (Peek(1).IsSymbol("("))
                {
                    throw new SyntaxError(t.Position, $"function {t.Text}() in ORDER BY is outside the subset");
                }

                _pos++;
                var descending = false;
                bool? nullsFirst = null;
                if (Current.Is("ASC") || Current.Is("DESC"))
                {
                    descending = Current.Is("DESC");
                    _pos++;
                }

                if (Current.Is("NULLS") && (Peek(1).Is("FIRST") || Peek(1).Is("LAST")))
                {
                    nullsFirst = Peek(1).Is("FIRST");
                    _pos += 2;
                }

                list.Add(new SoqlOrder(FieldPath.Of(t.Text), descending, nullsFirst));
                if (!Current.IsSymbol(","))
                {
                    return list;
                }

                _pos++;
            }
        }

        private void Expect(string symbol)
        {
            if (!Current.IsSymbol(symbol))
            {
                throw new SyntaxError(Current.Position, Current.Kind == TokenKind.End ? $"'{symbol}' expected at end of statement" : $"'{symbol}' expected, found '{Current.Text}'");
            }

            _pos++;
        }

        private Token Peek(int ahead) => _tokens[Math.Min(_pos + ahead, _tokens.Count - 1)];

        private bool AtClauseBoundary() => Current.Kind == TokenKind.End || IsClauseKeyword(Current);

        private static bool IsClauseKeyword(Token t) =>
            t.Kind == TokenKind.Identifier && ClauseKeywords.Any(k => string.Equals(k, t.Text, StringComparison.OrdinalIgnoreCase));

        private string SkipToClause(bool skipFirst = false)
        {
            var start = Current.Position;
            var depth = 0;
            if (skipFirst && Current.Kind != TokenKind.End)
            {
                _pos++;
            }

            while (Current.Kind != TokenKind.End)
            {
                depth += Current.IsSymbol("(") ? 1 : Current.IsSymbol(")") ? -1 : 0;
                if (depth <= 0 && IsClauseKeyword(Current))
                {
                    break;
                }

                _pos++;
            }

            return Slice(start, Current.Position).Trim();
        }

        private string Slice(int start, int end) => text[start..Math.Max(start, Math.Min(end, text.Length))];

        private string Rest() => text[Math.Min(Current.Position, text.Length)..];

        private void Problem(string clause, int position, string fragment, string assumed) =>
            _problems.Add(new SoqlProblem(clause, position, fragment.Length > 200 ? fragment[..200] + "…" : fragment, assumed));
    }
}
