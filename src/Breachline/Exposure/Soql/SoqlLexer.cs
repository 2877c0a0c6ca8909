using System.Text;

namespace Breachline.Exposure.Soql;

/// <summary>Kinds of SOQL tokens.</summary>
internal enum TokenKind
{
    Identifier,
    String,
    Number,
    Date,
    DateTime,
    Symbol,
    Bind,
    End,
    Invalid,
}

/// <summary>One token with its position in the statement.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Text">The token's text (a string literal's raw content, without quotes).</param>
/// <param name="Position">0-based offset.</param>
/// <param name="Length">Characters it spans in the statement.</param>
/// <param name="Unescaped">A string literal's value with escapes resolved.</param>
internal readonly record struct Token(TokenKind Kind, string Text, int Position, int Length, string? Unescaped = null)
{
    public bool Is(string keyword) => Kind == TokenKind.Identifier && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(string symbol) => Kind == TokenKind.Symbol && Text == symbol;
}

/// <summary>Splits a SOQL statement into tokens. Identifiers keep their dots (<c>Account.Name</c> is one token).</summary>
internal static class SoqlLexer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Identifier, text[start..i], start, i - start));
            }
            else if (c == '\'')
            {
                tokens.Add(ReadString(text, ref i));
            }
            else if (char.IsAsciiDigit(c) || (c is '-' or '+' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]) && PreviousAllowsSign(tokens)))
            {
                tokens.Add(ReadNumberOrDate(text, ref i));
            }
            else if (c == ':' && i + 1 < text.Length && (char.IsAsciiLetter(text[i + 1]) || text[i + 1] == '_'))
            {
                i++;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Bind, text[start..i], start, i - start));
            }
            else
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
                if (two is "!=" or "<>" or "<=" or ">=")
                {
                    tokens.Add(new Token(TokenKind.Symbol, two == "<>" ? "!=" : two, start, 2));
                    i += 2;
                }
                else if (c is '(' or ')' or ',' or '=' or '<' or '>' or ':')
                {
                    tokens.Add(new Token(TokenKind.Symbol, c.ToString(), start, 1));
                    i++;
                }
                else
                {
                    tokens.Add(new Token(TokenKind.Invalid, c.ToString(), start, 1));
                    i++;
                }
            }
        }

        tokens.Add(new Token(TokenKind.End, "", text.Length, 0));
        return tokens;
    }

    // A sign belongs to a number only where a value may start (after an operator, a comma, '(' or ':').
    private static bool PreviousAllowsSign(List<Token> tokens) =>
        tokens.Count > 0 && tokens[^1].Kind == TokenKind.Symbol && tokens[^1].Text != ")";

    private static Token ReadString(string text, ref int i)
    {
        var start = i;
        i++;
        var raw = new StringBuilder();
        var value = new StringBuilder();
        while (i < text.Length && text[i] != '\'')
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                var e = text[i + 1];
                raw.Append('\\').Append(e);
                value.Append(e switch
                {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'b' => '\b',
                    'f' => '\f',
                    _ => e,
                });
                i += 2;
                continue;
            }

            raw.Append(text[i]);
            value.Append(text[i]);
            i++;
        }

        if (i >= text.Length)
        {
            return new Token(TokenKind.Invalid, text[start..], start, text.Length - start);
        }

        i++;
        return new Token(TokenKind.String, raw.ToString(), start, i - start, value.ToString());
    }

    private static Token ReadNumberOrDate(string text, ref int i)
    {
        var start = i;
        if (text[i] is '-' or '+')
        {
            i++;
        }

        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        // yyyy-MM-dd, optionally THH:mm:ss[.fff](Z|±hh:mm): SOQL date and dateTime literals are unquoted.
        if (i - start == 4 && i < text.Length && text[i] == '-' && char.IsAsciiDigit(text[start]))
        {
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '-'))
            {
                i++;
            }

            if (i < text.Length && text[i] == 'T')
            {
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is 'T' or ':' or '.' or 'Z' or '+' or '-'))
                {
                    i++;
                }

                return new Token(TokenKind.DateTime, text[start..i], start, i - start);
            }

            return new Token(TokenKind.Date, text[start..i], start, i - start);
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        return new Token(TokenKind.Number, text[start..i], start, i - start);
    }
}
