namespace Breachline.Forensics;

/// <summary>
/// The row-level hunts' answers per distinct value, for one worker thread: which recon step or secret
/// pattern a URI path or SOQL statement matches, whether a user agent is an attack tool's, a statement's
/// FROM object and whether it is a COUNT() probe. Logs repeat these values on most rows.
/// </summary>
internal sealed class RuleMemo
{
    private readonly Dictionary<CompiledRule, StringMemo<int>> _paths = [];
    private readonly Dictionary<CompiledRule, StringMemo<int>> _texts = [];
    private readonly Dictionary<CompiledRule, StringMemo<bool>> _agents = [];
    private readonly StringMemo<string?> _mainObject = new(Soql.MainObject);
    private readonly StringMemo<bool> _countProbe = new(Soql.IsCountProbe);

    /// <summary>Index of the first of the rule's patterns that <paramref name="text"/> (a URI's path, when <paramref name="matchPath"/>) matches, else -1.</summary>
    public int FirstMatch(CompiledRule rule, string text, bool matchPath)
    {
        var memos = matchPath ? _paths : _texts;
        if (!memos.TryGetValue(rule, out var memo))
        {
            memo = new StringMemo<int>(value =>
            {
                var subject = matchPath ? HuntAccumulator.Path(value) : value;
                for (var i = 0; i < rule.Regexes.Length; i++)
                {
                    if (rule.Regexes[i].IsMatch(subject))
                    {
                        return i;
                    }
                }

                return -1;
            });
            memos[rule] = memo;
        }

        return memo[text];
    }

    /// <summary>True when the agent starts with one of the rule's listed clients.</summary>
    public bool IsListedAgent(CompiledRule rule, string agent)
    {
        if (!_agents.TryGetValue(rule, out var memo))
        {
            memo = new StringMemo<bool>(value => rule.Rule.Parameters.UserAgents!.Any(p => value.StartsWith(p, StringComparison.OrdinalIgnoreCase)));
            _agents[rule] = memo;
        }

        return memo[agent];
    }

    public string? MainObject(string? soql) => soql is null ? null : _mainObject[soql];

    public bool IsCountProbe(string? soql) => soql is not null && _countProbe[soql];
}
