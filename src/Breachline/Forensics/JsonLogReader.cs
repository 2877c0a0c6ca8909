using System.Globalization;
using System.Text;
using System.Text.Json;
using Breachline.Common;

namespace Breachline.Forensics;

/// <summary>
/// Reads Real-Time Event Monitoring records (ApiEvent, BulkApiResultEventStore, ReportEvent, ListViewEvent,
/// LoginEvent and the other storage objects) and API gateway access logs. JSON lines are streamed line by
/// line; a JSON array or a SOQL query result (<c>{"records": […]}</c>, at most 2,000 records a page) is read
/// as one document. Property names are matched without regard to case.
/// </summary>
public static class JsonLogReader
{
    private static readonly string[] RealTimeTypes =
    [
        "ApiEvent", "BulkApiResultEventStore", "BulkApiResultEvent", "ReportEvent", "ListViewEvent", "LoginEvent",
        "LogoutEvent", "UriEvent", "LightningUriEvent", "ApiAnomalyEventStore", "ReportAnomalyEventStore",
        "SessionHijackingEventStore", "CredentialStuffingEventStore", "PermissionSetEventStore",
    ];

    /// <summary>Largest JSON array or query-result document read; JSON lines have no total limit.</summary>
    internal const long MaxDocumentBytes = 256L << 20;

    /// <summary>Reads every good record of an RTEM or gateway file.</summary>
    public static IEnumerable<LogEvent> Read(LogFile file, int fileIndex, FileProblems problems)
    {
        var gateway = file.Kind == LogFileKind.GatewayJsonLines;
        var nameType = gateway ? "Gateway" : TypeFromFileName(file.FullPath);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        char first;
        try
        {
            first = FirstSignificantChar(file.FullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(null, $"cannot read: {e.Message}");
            yield break;
        }

        var records = first == '[' || (first == '{' && !LooksLikeJsonLines(file.FullPath))
            ? ReadDocument(file, problems)
            : ReadLines(file, problems);
        foreach (var (element, line) in records)
        {
            LogEvent? e;
            string? error;
            try
            {
                e = Map(element, gateway, nameType, fileIndex, line, ids, out error);
            }
            catch (InvalidOperationException x) when (x.InnerException is DecoderFallbackException)
            {
                // A JSON document is parsed from raw bytes, and System.Text.Json checks UTF-8 only when a string is read.
                problems.Add(line, "invalid UTF-8 in the record");
                continue;
            }

            if (e is null)
            {
                problems.Add(line, error ?? "unreadable record");
                continue;
            }

            yield return e;
        }
    }

    private static IEnumerable<(JsonElement Element, int Line)> ReadLines(LogFile file, FileProblems problems)
    {
        using var capped = LineCapStream.OpenFile(file.FullPath);
        using var reader = new StreamReader(capped, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var number = 0;
        while (reader.ReadLine() is { } text)
        {
            number++;
            if (capped.WasCut(number))
            {
                problems.Add(number, $"line longer than {capped.MaxLineBytes >> 20} MB: skipped without being read");
                continue;
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            if (text.Contains('\uFFFD', StringComparison.Ordinal))
            {
                problems.Add(number, "invalid UTF-8 in the line");
                continue;
            }

            JsonElement element;
            try
            {
                using var doc = JsonDocument.Parse(text);
                element = doc.RootElement.Clone();
            }
            catch (JsonException e)
            {
                problems.Add(number, reader.EndOfStream && !text.EndsWith('}')
                    ? "truncated last line: not a complete JSON object"
                    : $"not valid JSON: {e.Message}");
                continue;
            }

            if (element.ValueKind != JsonValueKind.Object)
            {
                problems.Add(number, "not a JSON object");
                continue;
            }

            yield return (element, number);
        }
    }

    private static List<(JsonElement Element, int Line)> ReadDocument(LogFile file, FileProblems problems)
    {
        var result = new List<(JsonElement, int)>();
        byte[] bytes;
        if (file.Length > MaxDocumentBytes)
        {
            // A document is parsed whole; Salesforce pages query results at 2,000 records, a few megabytes.
            problems.Add(null, $"a single JSON document of {file.Length >> 20} MB, larger than the {MaxDocumentBytes >> 20} MB limit; export it as pages or JSON lines");
            return result;
        }

        try
        {
            bytes = File.ReadAllBytes(file.FullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(null, $"cannot read: {e.Message}");
            return result;
        }

        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        var lineAt = new LineCounter(bytes);
        try
        {
            if (!reader.Read())
            {
                return result;
            }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                // A SOQL query result carries its rows in "records"; a lone object is one record.
                var start = (int)reader.TokenStartIndex;
                using var whole = JsonDocument.ParseValue(ref reader);
                if (whole.RootElement.TryGetProperty("records", out var records) && records.ValueKind == JsonValueKind.Array)
                {
                    var inner = new Utf8JsonReader(bytes);
                    SeekRecords(ref inner);
                    ReadArray(ref inner, lineAt, result, problems);
                }
                else
                {
                    result.Add((whole.RootElement.Clone(), lineAt.LineOf(start)));
                }

                return result;
            }

            if (reader.TokenType == JsonTokenType.StartArray)
            {
                ReadArray(ref reader, lineAt, result, problems);
            }
            else
            {
                problems.Add(1, "not a JSON object or array of records");
            }
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } l ? (int)l + 1 : (int?)null;
            problems.Add(line, $"not valid JSON (a truncated file?): {e.Message}; {result.Count} records before it were read");
        }

        return result;
    }

    private static void SeekRecords(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("records"u8))
            {
                reader.Read();
                return;
            }
        }
    }

    private static void ReadArray(ref Utf8JsonReader reader, LineCounter lineAt, List<(JsonElement, int)> result, FileProblems problems)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var line = lineAt.LineOf((int)reader.TokenStartIndex);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                problems.Add(line, "array element is not a JSON object");
                reader.Skip();
                continue;
            }

            using var doc = JsonDocument.ParseValue(ref reader);
            result.Add((doc.RootElement.Clone(), line));
        }
    }

    private static LogEvent? Map(JsonElement record, bool gateway, string? nameType, int fileIndex, int line, Dictionary<string, string> ids, out string? error)
    {
        error = null;
        string? type = null, time = null, created = null, userId = null, userName = null, userType = null, ip = null, agent = null;
        string? appId = null, appName = null, session = null, login = null, request = null, uri = null, method = null;
        string? entity = null, soql = null, operation = null, loginType = null, status = null, jobId = null, jobState = null;
        long rows = -1;
        foreach (var property in record.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name.ToLowerInvariant())
            {
                case "attributes" when value.ValueKind == JsonValueKind.Object && value.TryGetProperty("type", out var t):
                    type = t.GetString();
                    break;
                case "eventtype" or "event_type":
                    type ??= Str(value);
                    break;
                case "eventdate" or "timestamp" or "@timestamp" or "time" or "ts" or "date":
                    time ??= Str(value);
                    break;
                case "createddate":
                    created = Str(value);
                    break;
                case "userid" or "user_id":
                    userId = Str(value);
                    break;
                case "username" or "user_name" or "user":
                    userName ??= Str(value);
                    break;
                case "usertype" or "user_type":
                    userType = Str(value);
                    break;
                case "sourceip" or "source_ip" or "clientip" or "client_ip" or "ip" or "remote_addr" or "src_ip":
                    ip ??= Str(value);
                    break;
                case "useragent" or "user_agent" or "http_user_agent" or "ua":
                    agent ??= Str(value);
                    break;
                case "browser":
                    agent ??= Str(value);
                    break;
                case "connectedappid" or "connected_app_id" or "client_id" or "app_id":
                    appId = Str(value);
                    break;
                case "application" or "app" or "connected_app" or "app_name" or "connectedappname":
                    appName = Str(value);
                    break;
                case "sessionkey" or "session_key" or "session":
                    session = Str(value);
                    break;
                case "loginkey" or "login_key":
                    login = Str(value);
                    break;
                case "eventidentifier" or "request_id" or "requestid":
                    request ??= Str(value);
                    break;
                case "uri" or "path" or "url" or "request_uri" or "loginurl":
                    uri ??= Str(value);
                    break;
                case "httpmethod" or "method" or "http_method" or "verb":
                    method ??= Str(value);
                    break;
                case "queriedentities" or "entity" or "object" or "entity_name":
                    entity ??= Str(value);
                    break;
                case "query" or "soql":
                    soql = Str(value);
                    break;
                case "rowsprocessed" or "rows" or "rows_processed" or "records_processed":
                    rows = Long(value);
                    break;
                case "operation":
                    operation = Str(value);
                    break;
                case "logintype":
                    loginType = Str(value);
                    break;
                case "status" or "status_code" or "statuscode":
                    status = Str(value);
                    break;
                case "jobid" or "job_id":
                    jobId = Str(value);
                    break;
                case "jobstate" or "job_state" or "state":
                    jobState = Str(value);
                    break;
                default:
                    break;
            }
        }

        type ??= nameType ?? (gateway ? "Gateway" : InferType(record));
        if (type is null)
        {
            error = "cannot tell which event this is (no attributes.type, no EventType, and the file name names none)";
            return null;
        }

        var when = time ?? created;
        if (when is null || !LogTime.TryParseIso(when, out var instant))
        {
            error = when is null ? "no EventDate/timestamp" : $"bad timestamp '{when}'";
            return null;
        }

        soql ??= EventLogCsvReader.QueryFromUri(uri);
        return new LogEvent
        {
            EventType = type,
            Source = gateway ? LogSourceKind.Gateway : LogSourceKind.RealTime,
            Time = instant,
            UserId = userId is null ? null : Normalize(userId, ids),
            UserName = userName,
            UserType = userType,
            Ip = ip is "Salesforce.com IP" ? null : ip,
            UserAgent = agent,
            AppId = appId is null ? null : Normalize(appId, ids),
            AppName = appName,
            SessionKey = session,
            LoginKey = login,
            RequestId = request,
            Uri = uri,
            Method = method,
            Entity = entity,
            Soql = soql,
            Rows = rows,
            JobId = jobId,
            JobState = jobState,
            Operation = operation,
            LoginType = loginType,
            Status = status,
            FileIndex = fileIndex,
            Line = line,
        };
    }

    private static string? InferType(JsonElement record)
    {
        bool Has(string name) => record.TryGetProperty(name, out _);
        if (Has("ListViewId"))
        {
            return "ListViewEvent";
        }

        if (Has("ReportId"))
        {
            return "ReportEvent";
        }

        if (Has("LoginUrl") || Has("LoginType"))
        {
            return "LoginEvent";
        }

        if (Has("ApiType") || Has("QueriedEntities"))
        {
            return "ApiEvent";
        }

        return Has("Query") ? "BulkApiResultEventStore" : null;
    }

    private static string? TypeFromFileName(string path)
    {
        var name = Path.GetFileName(path);
        return RealTimeTypes.Where(t => name.StartsWith(t, StringComparison.OrdinalIgnoreCase)).OrderByDescending(t => t.Length).FirstOrDefault();
    }

    private static string Normalize(string id, Dictionary<string, string> cache)
    {
        if (!cache.TryGetValue(id, out var normal))
        {
            normal = SalesforceId.Normalize(id);
            cache[id] = normal;
        }

        return normal;
    }

    private static string? Str(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : null,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static long Long(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var n) => n,
        JsonValueKind.Number => (long)value.GetDouble(),
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => (long)d,
        _ => -1,
    };

    private static char FirstSignificantChar(string path)
    {
        using var reader = new StreamReader(path);
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (!char.IsWhiteSpace((char)c) && c != '\uFEFF')
            {
                return (char)c;
            }
        }

        return '\0';
    }

    // A file whose first line is a complete object is JSON lines; a pretty-printed document is not.
    private static bool LooksLikeJsonLines(string path)
    {
        using var capped = LineCapStream.OpenFile(path);
        using var reader = new StreamReader(capped);
        var line = reader.ReadLine()?.Trim();
        if (capped.WasCut(1))
        {
            // No one-line document is that long: read it as lines, so the rest of the file is still read.
            return true;
        }

        if (string.IsNullOrEmpty(line) || !line.StartsWith('{'))
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(line);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private sealed class LineCounter(byte[] bytes)
    {
        private int _offset;
        private int _line = 1;

        public int LineOf(int offset)
        {
            if (offset < _offset)
            {
                _offset = 0;
                _line = 1;
            }

            _line += bytes.AsSpan(_offset, offset - _offset).Count((byte)'\n');
            _offset = offset;
            return _line;
        }
    }
}
