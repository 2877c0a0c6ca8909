using Breachline.Common;
using NodaTime;

namespace Breachline.Forensics;

/// <summary>
/// Folds the log rows of the attacker's data access into one query each. A Bulk job's state changes,
/// its result download (BulkApiResultEventStore) and its UniqueQuery row describe one export; a REST query
/// appears in RestApi, UniqueQuery (same REQUEST_ID) and the Real-Time ApiEvent. Counting each once is what
/// makes rows per object right.
/// </summary>
internal static class QueryBuilder
{
    private static readonly Duration SameQuery = Duration.FromSeconds(60);

    // Lightning controller actions that return records (as opposed to metadata such as getObjectInfo).
    private static readonly HashSet<string> AuraReads = new(StringComparer.Ordinal)
    {
        "getItems", "getRecordWithFields", "getRecord", "getRecords", "getListByObjectName", "getListRecordsByName",
        "getRelatedListRecords", "getRecordsByIds",
    };

    public static List<HuntQuery> Build(
        IReadOnlyList<LogEvent> events,
        Func<LogEvent, (string User, string Ip)> resolve,
        Func<Instant, DateTimeOffset> time,
        Func<LogEvent, EvidenceRef> reference)
    {
        // Rows sharing a Bulk job id or an ELF REQUEST_ID are one query (union-find over the rows).
        var rows = events.Where(IsQuery).ToList();
        var parent = Enumerable.Range(0, rows.Count).ToArray();
        int Find(int i) => parent[i] == i ? i : parent[i] = Find(parent[i]);
        var firstWithKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var e = rows[i];
            foreach (var key in new[] { JobOf(e) is { } job ? "job:" + job : null, e.Source == LogSourceKind.EventLogFile && e.RequestId is { } r ? "req:" + r : null })
            {
                if (key is null)
                {
                    continue;
                }

                if (firstWithKey.TryGetValue(key, out var other))
                {
                    parent[Find(i)] = Find(other);
                }
                else
                {
                    firstWithKey[key] = i;
                }
            }
        }

        var groups = Enumerable.Range(0, rows.Count).GroupBy(Find).Select(g => g.Select(i => rows[i]).ToList()).ToList();

        // Rows without a shared id join the query of the same session with the same SOQL close in time
        // (ApiEvent next to RestApi, a Bulk result download next to its job, a lone UniqueQuery).
        var merged = new List<List<LogEvent>>();
        foreach (var group in groups.OrderBy(g => Rank(Primary(g))).ThenBy(g => g.Min(e => e.Time)))
        {
            var target = merged.FirstOrDefault(m => SameQueryAs(m, group));
            if (target is null)
            {
                merged.Add(group);
            }
            else
            {
                target.AddRange(group);
            }
        }

        var queries = merged.Select(g => (Query: ToQuery(g, resolve, time, reference), IsLocatorPage: g.Any(IsLocatorPage)))
            .OrderBy(q => q.Query.Time).ThenBy(q => q.Query.Soql, StringComparer.Ordinal).ToList();
        return InheritLocatorSoql(queries);
    }

    private static bool IsLocatorPage(LogEvent e) =>
        e.EventType == "RestApi" && e.Uri is { } uri && uri.IndexOf("/query/", StringComparison.OrdinalIgnoreCase) is var at and >= 0
        && !uri.Contains("/jobs/", StringComparison.OrdinalIgnoreCase) && uri.Length > at + "/query/".Length;

    // A REST query's next pages (GET /query/01g…-2000) log no SOQL; they continue the session's last query of that object.
    private static List<HuntQuery> InheritLocatorSoql(List<(HuntQuery Query, bool IsLocatorPage)> queries)
    {
        var result = new List<HuntQuery>(queries.Count);
        foreach (var (q, isLocatorPage) in queries)
        {
            var previous = isLocatorPage && q.Soql is null && q.Session is not null
                ? result.LastOrDefault(p => p.Session == q.Session && p.Object == q.Object && p.Soql is not null)
                : null;
            result.Add(previous is null ? q : q with { Soql = previous.Soql });
        }

        return result;
    }

    /// <summary>The Bulk job a row belongs to: its JOB_ID, or the id in a /jobs/query/{id} URI.</summary>
    private static string? JobOf(LogEvent e)
    {
        if (e.JobId is { } job && e.EventType is "BulkApi" or "BulkApi2")
        {
            return job;
        }

        if (e.Uri is { } uri && uri.IndexOf("/jobs/query/", StringComparison.OrdinalIgnoreCase) is var at and >= 0)
        {
            var rest = uri[(at + "/jobs/query/".Length)..];
            var end = rest.IndexOfAny(['/', '?']);
            var id = end < 0 ? rest : rest[..end];
            return id.Length is 15 or 18 ? SalesforceId.Normalize(id) : null;
        }

        return null;
    }

    /// <summary>Rows that read records (or describe a read), as opposed to logins, page views and setup calls.</summary>
    public static bool IsQuery(LogEvent e)
    {
        if (e.Source is LogSourceKind.Gateway or LogSourceKind.SetupAuditTrail || HuntAccumulator.DeletedJobFromUri(e) is not null)
        {
            return false;
        }

        return e.EventType switch
        {
            "BulkApi" or "BulkApi2" => HuntAccumulator.IsBulkQuery(e),
            "UniqueQuery" => e.Soql is not null,
            "API" => e.Soql is not null || (e.Method?.StartsWith("query", StringComparison.OrdinalIgnoreCase) ?? false),
            "RestApi" => e.Soql is not null || (e.Uri?.Contains("/query", StringComparison.OrdinalIgnoreCase) ?? false)
                || ((e.Uri?.Contains("/sobjects/", StringComparison.OrdinalIgnoreCase) ?? false) && e.Rows > 0),
            "ApiEvent" => e.Soql is not null || (e.Operation?.Contains("query", StringComparison.OrdinalIgnoreCase) ?? false),
            "ReportExport" or "ListViewEvent" => true,
            "ReportEvent" => HuntAccumulator.IsReportExport(e) || e.Rows > 0,
            "AuraRequest" => e.Entity is not null && e.Operation is { } action && AuraReads.Contains(action),
            _ => e.EventType.StartsWith("BulkApiResult", StringComparison.Ordinal),
        };
    }

    private static bool SameQueryAs(List<LogEvent> target, List<LogEvent> group)
    {
        var soql = group.Select(e => e.Soql).FirstOrDefault(s => s is not null);
        var session = group.Select(e => e.Session).FirstOrDefault(s => s is not null);
        if (session is null || target.All(e => e.Session != session))
        {
            return false;
        }

        var targetSoql = target.Select(e => e.Soql).FirstOrDefault(s => s is not null);
        var start = group.Min(e => e.Time);
        var isResultDownload = group.All(e => e.EventType.StartsWith("BulkApiResult", StringComparison.Ordinal));
        var targetIsBulk = target.Any(e => e.EventType is "BulkApi" or "BulkApi2");
        if (isResultDownload)
        {
            // A result download can come long after the job; the SOQL names the job.
            return targetIsBulk && soql is not null && targetSoql is not null && Soql.Canonical(soql) == Soql.Canonical(targetSoql);
        }

        var near = target.Any(e => Abs(e.Time - start) <= SameQuery);
        if (!near)
        {
            return false;
        }

        if (soql is not null && targetSoql is not null)
        {
            return Soql.Canonical(soql) == Soql.Canonical(targetSoql);
        }

        // A query logged without its text (RestApi) next to one with only the text (UniqueQuery): same object.
        var obj = group.Select(HuntAccumulator.ObjectOf).FirstOrDefault(o => o is not null);
        var targetObj = target.Select(HuntAccumulator.ObjectOf).FirstOrDefault(o => o is not null);
        return obj is not null && string.Equals(obj, targetObj, StringComparison.OrdinalIgnoreCase)
            && (soql is null) != (targetSoql is null) && !targetIsBulk;
    }

    private static Duration Abs(Duration d) => d < Duration.Zero ? -d : d;

    private static int Rank(LogEvent e) => e.EventType switch
    {
        "BulkApi2" or "BulkApi" => 0,
        "RestApi" or "API" => 1,
        "ReportExport" => 2,
        "ApiEvent" or "ReportEvent" or "ListViewEvent" => 3,
        "UniqueQuery" => 4,
        _ => 5,
    };

    private static LogEvent Primary(List<LogEvent> group) => group.OrderBy(Rank).ThenBy(e => e.Time).First();

    private static string Api(LogEvent e) => e.EventType switch
    {
        "BulkApi2" => "Bulk2",
        "BulkApi" => "Bulk",
        "RestApi" => "REST",
        "API" => "SOAP",
        "ReportExport" or "ReportEvent" => "Report",
        "ListViewEvent" => "ListView",
        _ when e.EventType.StartsWith("BulkApiResult", StringComparison.Ordinal) => "Bulk",
        _ => "API",
    };

    private static HuntQuery ToQuery(List<LogEvent> group, Func<LogEvent, (string User, string Ip)> resolve, Func<Instant, DateTimeOffset> time, Func<LogEvent, EvidenceRef> reference)
    {
        var primary = Primary(group);
        var (user, ip) = resolve(primary);
        var soql = group.OrderBy(Rank).Select(e => e.Soql).FirstOrDefault(s => s is not null);
        var obj = Soql.MainObject(soql) ?? group.OrderBy(Rank).Select(HuntAccumulator.ObjectOf).FirstOrDefault(o => o is not null);
        long rows;
        if (Soql.IsCountProbe(soql))
        {
            rows = 0;
        }
        else if (group.Any(e => e.EventType == "BulkApi"))
        {
            // Bulk API 1.0 logs each batch; other rows of the group restate the same records.
            var batches = group.Where(e => e.EventType == "BulkApi" && e.Rows > 0).GroupBy(e => e.RequestId ?? $"{e.FileIndex}:{e.Line}").Sum(g => g.Max(e => e.Rows));
            rows = Math.Max(batches, group.Where(e => e.EventType != "BulkApi").Select(e => e.Rows).DefaultIfEmpty(-1).Max());
        }
        else
        {
            rows = group.Select(e => e.Rows).DefaultIfEmpty(-1).Max();
        }

        // The query's time is when the rows left: a Bulk job's completion, otherwise the request itself.
        var reporting = group.Where(e => e.EventType == "BulkApi2" && HuntAccumulator.IsCompleteState(e.JobState)).OrderBy(e => e.Time).FirstOrDefault() ?? primary;
        return new HuntQuery(
            time(reporting.Time),
            primary.EventType,
            Api(primary),
            user.Length == 0 ? null : user,
            ip.Length == 0 ? null : ip,
            obj,
            soql,
            rows,
            group.Select(e => e.Session).FirstOrDefault(s => s is not null),
            group.Select(e => e.JobId).FirstOrDefault(j => j is not null),
            reporting.RequestId,
            [.. group.OrderBy(e => e.Time).ThenBy(e => e.Line).Take(20).Select(reference)]);
    }
}
