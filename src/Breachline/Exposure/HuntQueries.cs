using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Breachline.Common;

namespace Breachline.Exposure;

/// <summary>The queries to scope and who received the data, as a later stage hands them over.</summary>
/// <param name="Queries">The malicious queries.</param>
/// <param name="Via">The abused app(s) or account(s), for the FERPA record's "unauthorised party via …".</param>
public sealed record ScopeQueries(IReadOnlyList<ExfiltrationQuery> Queries, string? Via);

/// <summary>
/// Reads the hunt's malicious queries from JSON: the <c>hunt</c> member of incident.json (or the hunt's own
/// result file, whose root has <c>queries</c>). Each query needs <c>time</c>; <c>user</c>, <c>object</c>,
/// <c>soql</c>, <c>rows</c> (-1 when unknown), <c>eventType</c>, <c>ip</c> and <c>evidence</c> are read when present.
/// </summary>
public static class HuntQueries
{
    /// <summary>Reads a JSON file (incident.json, or a hunt result).</summary>
    /// <exception cref="InputException">Unreadable, not JSON, or with no queries list.</exception>
    public static ScopeQueries Load(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(path, null, $"cannot read: {e.Message}", inner: e);
        }
        catch (JsonException e)
        {
            throw new InputException(path, (int?)(e.LineNumber + 1), $"not JSON: {e.Message}", inner: e);
        }

        return FromJson(root, path) ?? throw new InputException(path, null, "no queries: expected the hunt's result (queries: [...]) or an incident.json with a hunt member", "queries");
    }

    /// <summary>Reads the queries from a hunt member or hunt result; null when the node has no queries list.</summary>
    /// <exception cref="InputException">A query is malformed.</exception>
    public static ScopeQueries? FromJson(JsonNode? root, string source)
    {
        var hunt = root?["hunt"] as JsonObject ?? root as JsonObject;
        if (hunt?["queries"] is not JsonArray queries)
        {
            return null;
        }

        var problems = new List<InputProblem>();
        var list = new List<ExfiltrationQuery>();
        for (var i = 0; i < queries.Count; i++)
        {
            if (queries[i] is not JsonObject q)
            {
                problems.Add(new InputProblem(source, null, "is not an object", $"queries[{i}]"));
                continue;
            }

            var timeText = Text(q, "time");
            if (timeText is null || !DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                problems.Add(new InputProblem(source, null, $"'{timeText}' is not an ISO 8601 time with offset", $"queries[{i}].time"));
                continue;
            }

            long rows = -1;
            if (q["rows"] is JsonValue r && !r.TryGetValue(out rows))
            {
                problems.Add(new InputProblem(source, null, "is not a number", $"queries[{i}].rows"));
                continue;
            }

            var evidence = new List<EvidenceRef>();
            if (q["evidence"] is JsonArray refs)
            {
                foreach (var e in refs.OfType<JsonObject>())
                {
                    if (Text(e, "sha256") is { } sha && Text(e, "path") is { } p)
                    {
                        evidence.Add(new EvidenceRef(sha, p, e["line"] is JsonValue l && l.TryGetValue<int>(out var line) ? line : null));
                    }
                }
            }

            list.Add(new ExfiltrationQuery(time, Text(q, "user"), Text(q, "object"), Text(q, "soql"), rows, evidence, Text(q, "eventType"), Text(q, "ip")));
        }

        if (problems.Count > 0)
        {
            throw new InputException(problems);
        }

        var apps = (hunt["suspects"]?["connectedApps"] as JsonArray)?.Select(a => a?.GetValue<string>()).OfType<string>().ToList() ?? [];
        var users = (hunt["suspects"]?["usernames"] as JsonArray)?.Select(a => a?.GetValue<string>()).OfType<string>().ToList() ?? [];
        var via = apps.Count > 0 ? "connected app " + string.Join(", ", apps) : users.Count > 0 ? "user " + string.Join(", ", users) : null;
        return new ScopeQueries(list, via);
    }

    /// <summary>The hunt's typed result as scope input.</summary>
    public static ScopeQueries From(Forensics.HuntResult hunt)
    {
        var queries = hunt.Queries.Select(q => new ExfiltrationQuery(q.Time, q.User, q.Object, q.Soql, q.Rows, q.Evidence, q.EventType, q.Ip)).ToList();
        var via = hunt.Suspects.ConnectedApps.Count > 0 ? "connected app " + string.Join(", ", hunt.Suspects.ConnectedApps)
            : hunt.Suspects.Usernames.Count > 0 ? "user " + string.Join(", ", hunt.Suspects.Usernames)
            : null;
        return new ScopeQueries(queries, via);
    }

    private static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}
