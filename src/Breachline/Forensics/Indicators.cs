using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Breachline.Common;

namespace Breachline.Forensics;

/// <summary>
/// Indicators of compromise to hunt for: addresses and CIDR ranges, user ids and usernames, connected app
/// ids or names, session and login keys, user agents. Read from <c>--ioc FILE</c> (YAML, JSON or a STIX 2.1
/// bundle) and the <c>--ip/--user/--app</c> options.
/// </summary>
public sealed partial class Indicators
{
    private readonly HashSet<string> _ips = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IPNetwork> _networks = [];
    private readonly HashSet<string> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _apps = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _sessions = new(StringComparer.Ordinal);
    private readonly List<string> _userAgents = [];

    /// <summary>True when no indicator was given.</summary>
    public bool IsEmpty => _ips.Count == 0 && _networks.Count == 0 && _users.Count == 0 && _apps.Count == 0 && _sessions.Count == 0 && _userAgents.Count == 0;

    /// <summary>Every indicator as text, for reports.</summary>
    public IReadOnlyList<string> Describe() =>
        [.. _ips.Select(i => "ip " + i), .. _networks.Select(n => "cidr " + n), .. _users.Select(u => "user " + u),
         .. _apps.Select(a => "app " + a), .. _sessions.Select(s => "session " + s), .. _userAgents.Select(u => "user-agent " + u)];

    /// <summary>Adds an address or CIDR range.</summary>
    /// <exception cref="FormatException">Neither an address nor a range.</exception>
    public void AddIp(string text)
    {
        var value = text.Trim();
        if (value.Contains('/', StringComparison.Ordinal))
        {
            if (!IPNetwork.TryParse(value, out var network))
            {
                throw new FormatException($"'{value}' is not a CIDR range such as 185.220.101.0/24");
            }

            _networks.Add(network);
            return;
        }

        if (!IPAddress.TryParse(value, out var address))
        {
            throw new FormatException($"'{value}' is not an IP address");
        }

        _ips.Add(address.ToString());
    }

    /// <summary>Adds a user id (15 or 18 characters) or username.</summary>
    public void AddUser(string text) => _users.Add(SalesforceId.Normalize(text));

    /// <summary>Adds a connected app id or name.</summary>
    public void AddApp(string text) => _apps.Add(SalesforceId.Normalize(text));

    /// <summary>Adds a LOGIN_KEY or SESSION_KEY.</summary>
    public void AddSession(string text) => _sessions.Add(text.Trim());

    /// <summary>Adds a user agent (matched as a case-insensitive prefix).</summary>
    public void AddUserAgent(string text) => _userAgents.Add(text.Trim());

    /// <summary>What in <paramref name="e"/> matches, or null.</summary>
    public string? Match(LogEvent e)
    {
        var recentIps = default(LastTwo<bool>);
        return Match(e, ref recentIps);
    }

    /// <summary>
    /// As <see cref="Match(LogEvent)"/>, for a reader of many rows: whether an address matched is remembered
    /// for the last two addresses met (a case-insensitive hash, and a parse when networks are listed, per row
    /// otherwise).
    /// </summary>
    internal string? Match(LogEvent e, ref LastTwo<bool> recentIps)
    {
        if (e.Ip is { } ip)
        {
            if (!recentIps.TryGet(ip, out var matches))
            {
                matches = MatchesIp(ip);
                recentIps.Remember(ip, matches);
            }

            if (matches)
            {
                return "ip " + ip;
            }
        }

        if (e.UserId is { } id && _users.Contains(id))
        {
            return "user " + id;
        }

        if (e.UserName is { } name && _users.Contains(name))
        {
            return "user " + name;
        }

        if ((e.AppId is { } appId && _apps.Contains(appId)) || (e.AppName is { } appName && _apps.Contains(appName)))
        {
            return "app " + (e.AppName ?? e.AppId);
        }

        if ((e.LoginKey is { } login && _sessions.Contains(login)) || (e.SessionKey is { } session && _sessions.Contains(session)))
        {
            return "session " + (e.LoginKey ?? e.SessionKey);
        }

        if (e.UserAgent is { } agent)
        {
            foreach (var prefix in _userAgents)
            {
                if (agent.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    return "user-agent " + agent;
                }
            }
        }

        return null;
    }

    private bool MatchesIp(string ip)
    {
        if (_ips.Contains(ip))
        {
            return true;
        }

        if (_networks.Count == 0 || !IPAddress.TryParse(ip, out var address))
        {
            return false;
        }

        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Reads an indicator file: a STIX 2.1 bundle (indicator patterns and ipv4-addr, ipv6-addr, user-account
    /// objects), or YAML/JSON with the lists <c>ips, users, connectedApps, sessions, userAgents</c>.
    /// </summary>
    /// <exception cref="InputException">The file cannot be read or holds something that is no indicator.</exception>
    public static Indicators Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(path, null, $"cannot read: {e.Message}", inner: e);
        }

        var indicators = new Indicators();
        try
        {
            if (text.TrimStart().StartsWith('{') && IsStix(text))
            {
                indicators.LoadStix(text, path);
            }
            else
            {
                var list = DataFile.Parse<IndicatorList>(text, path);
                // "ips:" with no value, or "- ~", deserialize to null (found by fuzzing: it crashed the load).
                static IEnumerable<string> Given(List<string>? values) => (values ?? []).Where(v => !string.IsNullOrWhiteSpace(v));
                Given(list.Ips).ToList().ForEach(indicators.AddIp);
                Given(list.Users).ToList().ForEach(indicators.AddUser);
                Given(list.ConnectedApps).ToList().ForEach(indicators.AddApp);
                Given(list.Sessions).ToList().ForEach(indicators.AddSession);
                Given(list.UserAgents).ToList().ForEach(indicators.AddUserAgent);
            }
        }
        catch (FormatException e)
        {
            throw new InputException(path, null, e.Message, inner: e);
        }

        if (indicators.IsEmpty)
        {
            throw new InputException(path, null, "holds no indicator (ips, users, connectedApps, sessions, userAgents, or STIX indicator patterns)");
        }

        return indicators;
    }

    private static bool IsStix(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("type", out var type) && type.GetString() == "bundle";
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private void LoadStix(string text, string path)
    {
        using var doc = JsonDocument.Parse(text);
        if (!doc.RootElement.TryGetProperty("objects", out var objects) || objects.ValueKind != JsonValueKind.Array)
        {
            throw new InputException(path, null, "STIX bundle has no objects array");
        }

        foreach (var o in objects.EnumerateArray())
        {
            var type = o.TryGetProperty("type", out var t) ? t.GetString() : null;
            switch (type)
            {
                case "indicator" when o.TryGetProperty("pattern", out var pattern):
                    foreach (Match m in StixComparison().Matches(pattern.GetString() ?? ""))
                    {
                        AddStix(m.Groups["path"].Value, m.Groups["value"].Value.Replace("\\'", "'", StringComparison.Ordinal));
                    }

                    break;
                case "ipv4-addr" or "ipv6-addr" when o.TryGetProperty("value", out var value):
                    AddIp(value.GetString() ?? "");
                    break;
                case "user-account":
                    if (o.TryGetProperty("user_id", out var userId))
                    {
                        AddUser(userId.GetString() ?? "");
                    }

                    if (o.TryGetProperty("account_login", out var login))
                    {
                        AddUser(login.GetString() ?? "");
                    }

                    break;
                default:
                    break;
            }
        }
    }

    private void AddStix(string path, string value)
    {
        if (path.StartsWith("ipv4-addr:", StringComparison.Ordinal) || path.StartsWith("ipv6-addr:", StringComparison.Ordinal)
            || path.Contains("src_ref.value", StringComparison.Ordinal))
        {
            AddIp(value);
        }
        else if (path.StartsWith("user-account:", StringComparison.Ordinal))
        {
            AddUser(value);
        }
        else if (path.Contains("User-Agent", StringComparison.OrdinalIgnoreCase))
        {
            AddUserAgent(value);
        }
        else if (path.Contains("connected", StringComparison.OrdinalIgnoreCase) || path.StartsWith("software:", StringComparison.Ordinal))
        {
            AddApp(value);
        }
        else if (path.Contains("session", StringComparison.OrdinalIgnoreCase) || path.Contains("login_key", StringComparison.OrdinalIgnoreCase))
        {
            AddSession(value);
        }
    }

    /// <summary>The YAML/JSON indicator file.</summary>
    public sealed class IndicatorList : ISourceLine
    {
        /// <inheritdoc />
        public int Line { get; set; }

        /// <summary>Addresses and CIDR ranges.</summary>
        public List<string> Ips { get; set; } = [];

        /// <summary>User ids or usernames.</summary>
        public List<string> Users { get; set; } = [];

        /// <summary>Connected app ids (0H4…) or names.</summary>
        public List<string> ConnectedApps { get; set; } = [];

        /// <summary>LOGIN_KEY or SESSION_KEY values.</summary>
        public List<string> Sessions { get; set; } = [];

        /// <summary>User agents (prefix match).</summary>
        public List<string> UserAgents { get; set; } = [];
    }

    // Generated at build time: a run without a STIX file pays nothing for it at start-up.
    [GeneratedRegex(@"(?<path>[a-z0-9\-]+:[A-Za-z0-9_\.'\-]+)\s*=\s*'(?<value>(?:[^'\\]|\\.)*)'", RegexOptions.CultureInvariant)]
    private static partial Regex StixComparison();
}
