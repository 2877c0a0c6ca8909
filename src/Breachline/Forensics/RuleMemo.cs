using System.Runtime.CompilerServices;

namespace Breachline.Forensics;

/// <summary>
/// The row-level hunts' answers per distinct value, for one worker thread: which recon step or secret
/// pattern a URI path or SOQL statement matches, whether a user agent is an attack tool's, a statement's
/// FROM object and whether it is a COUNT() probe. Logs repeat these values on most rows.
/// </summary>
internal sealed class RuleMemo
{
    // By the rule's index in the plan, grown on first use: asked per rule on every row, an array read instead
    // of a dictionary lookup.
    private StringMemo<int>?[] _paths = [];
    private StringMemo<int>?[] _texts = [];
    private StringMemo<bool>?[] _agents = [];
    private readonly StringMemo<string?> _mainObject = new(Soql.MainObject);
    private readonly StringMemo<bool> _countProbe = new(Soql.IsCountProbe);
    private Func<string?, bool>? _countProbeOf;
    private Func<string?, string?>? _mainObjectOf;

    /// <summary><see cref="IsCountProbe"/> as one delegate: a method group converted at each call allocates a delegate per row.</summary>
    public Func<string?, bool> CountProbe => _countProbeOf ??= IsCountProbe;

    /// <summary><see cref="MainObject"/> as one delegate, for the same reason.</summary>
    public Func<string?, string?> MainObjectOf => _mainObjectOf ??= MainObject;

    // Runs for every row: fully optimized from its first call instead of tiering up (docs/hunt.md, Speed).
    /// <summary>
    /// Index of the first of the patterns of <paramref name="rule"/> (at <paramref name="index"/> in the plan) that
    /// <paramref name="text"/> (a URI's path, when <paramref name="matchPath"/>) matches, else -1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int FirstMatch(int index, CompiledRule rule, string text, bool matchPath)
    {
        ref var memos = ref matchPath ? ref _paths : ref _texts;
        var memo = Slot(ref memos, index) ??= PatternMemo(rule, matchPath);
        return memo[text];
    }

    /// <summary>True when the agent starts with one of the listed clients of <paramref name="rule"/> (at <paramref name="index"/> in the plan).</summary>
    public bool IsListedAgent(int index, CompiledRule rule, string agent)
    {
        var memo = Slot(ref _agents, index) ??= AgentMemo(rule);
        return memo[agent];
    }

    private static ref T? Slot<T>(ref T?[] memos, int index)
        where T : class
    {
        if (index >= memos.Length)
        {
            Array.Resize(ref memos, index + 1);
        }

        return ref memos[index];
    }

    public string? MainObject(string? soql) => soql is null ? null : _mainObject[soql];

    public bool IsCountProbe(string? soql) => soql is not null && _countProbe[soql];

    // The lambdas live in their own methods: a lambda capturing a method's parameters makes that method
    // allocate its closure on every call, even on the calls that find the memo already there.
    private static StringMemo<int> PatternMemo(CompiledRule rule, bool matchPath) => new(value =>
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

    private static StringMemo<bool> AgentMemo(CompiledRule rule) =>
        new(value => rule.Rule.Parameters.UserAgents!.Any(p => value.StartsWith(p, StringComparison.OrdinalIgnoreCase)));
}
