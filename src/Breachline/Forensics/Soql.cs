using System.Text.RegularExpressions;

namespace Breachline.Forensics;

/// <summary>The little Breachline needs to know about a SOQL statement.</summary>
public static partial class Soql
{
    /// <summary>The object of the outer FROM clause (sub-queries in parentheses are skipped), or null.</summary>
    public static string? MainObject(string? soql)
    {
        if (string.IsNullOrWhiteSpace(soql))
        {
            return null;
        }

        var depth = 0;
        for (var i = 0; i < soql.Length; i++)
        {
            var c = soql[i];
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (c == '\'')
            {
                // Skip string literals so a quoted "from" is not taken for the clause.
                i = soql.IndexOf('\'', i + 1) is var end && end > 0 ? end : soql.Length;
            }
            else if (depth == 0 && (c is 'f' or 'F') && (i == 0 || char.IsWhiteSpace(soql[i - 1])))
            {
                var m = FromClause().Match(soql, i);
                if (m.Success && m.Index == i)
                {
                    return m.Groups[1].Value;
                }
            }
        }

        return null;
    }

    /// <summary>True for SELECT COUNT() probes, which return a number and no records.</summary>
    public static bool IsCountProbe(string? soql) => soql is not null && CountProbe().IsMatch(soql);

    /// <summary>The statement with runs of white space made one space, for comparing two logs of one query.</summary>
    public static string Canonical(string soql) => Spaces().Replace(soql.Trim(), " ");

    [GeneratedRegex(@"\G[Ff][Rr][Oo][Mm]\s+([A-Za-z][A-Za-z0-9_]*)")]
    private static partial Regex FromClause();

    [GeneratedRegex(@"^\s*select\s+count\(\s*\)\s+from", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CountProbe();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
