using NodaTime;

namespace Breachline.Forensics;

/// <summary>Which kind of log a <see cref="LogEvent"/> was read from.</summary>
public enum LogSourceKind
{
    /// <summary>An Event Monitoring log file (EventLogFile CSV).</summary>
    EventLogFile,

    /// <summary>A SetupAuditTrail export (CSV).</summary>
    SetupAuditTrail,

    /// <summary>A Real-Time Event Monitoring storage object (JSON).</summary>
    RealTime,

    /// <summary>An API gateway access log (JSON lines).</summary>
    Gateway,
}

/// <summary>
/// One row of any log Breachline reads, normalised: ids are 18-character, times are instants, the client
/// address is the real one (the Login log's <c>SOURCE_IP</c> when <c>CLIENT_IP</c> says <c>Salesforce.com IP</c>).
/// Absent columns are null; <see cref="Rows"/> is -1 when the log says nothing about rows.
/// </summary>
public sealed class LogEvent
{
    /// <summary>Event type as the log names it: Login, RestApi, BulkApi2, UniqueQuery, ApiEvent, SetupAuditTrail, Gateway…</summary>
    public string EventType { get; internal set; } = "";

    /// <summary>Kind of log.</summary>
    public LogSourceKind Source { get; internal set; }

    /// <summary>When the event happened (UTC instant).</summary>
    public Instant Time { get; internal set; }

    /// <summary>18-character user id (005…), or null.</summary>
    public string? UserId { get; internal set; }

    /// <summary>Username, when the log carries it.</summary>
    public string? UserName { get; internal set; }

    /// <summary>USER_TYPE: Standard, Guest, AutomatedProcess…</summary>
    public string? UserType { get; internal set; }

    /// <summary>Client IP address (IPv4 or IPv6 text), or null when only "Salesforce.com IP" is known.</summary>
    public string? Ip { get; internal set; }

    /// <summary>User agent (Login's BROWSER_TYPE, USER_AGENT, RTEM UserAgent, gateway user agent).</summary>
    public string? UserAgent { get; internal set; }

    /// <summary>Connected app id (0H4…, 18 characters) when the log carries one.</summary>
    public string? AppId { get; internal set; }

    /// <summary>Connected app name (LoginEvent Application, gateway app, ELF CONNECTED_APP_NAME).</summary>
    public string? AppName { get; internal set; }

    /// <summary>SESSION_KEY.</summary>
    public string? SessionKey { get; internal set; }

    /// <summary>LOGIN_KEY: ties every event of one login session.</summary>
    public string? LoginKey { get; internal set; }

    /// <summary>REQUEST_ID (ELF) or EventIdentifier (RTEM).</summary>
    public string? RequestId { get; internal set; }

    /// <summary>URI or API resource.</summary>
    public string? Uri { get; internal set; }

    /// <summary>HTTP or API method (GET, DELETE, query, queryMore…).</summary>
    public string? Method { get; internal set; }

    /// <summary>Object concerned (ENTITY_NAME, ENTITY_TYPE, QueriedEntities).</summary>
    public string? Entity { get; internal set; }

    /// <summary>SOQL text (UniqueQuery QUERY_IDENTIFIER, RTEM Query, a REST query's q parameter).</summary>
    public string? Soql { get; internal set; }

    /// <summary>Rows processed or returned, -1 when unknown.</summary>
    public long Rows { get; internal set; } = -1;

    /// <summary>Bulk API job id.</summary>
    public string? JobId { get; internal set; }

    /// <summary>Bulk API 2.0 job state (created, uploadComplete, inProgress, complete, aborted, deleted…).</summary>
    public string? JobState { get; internal set; }

    /// <summary>Operation (Bulk OPERATION_TYPE, RTEM Operation: query, queryAll, ReportExported…).</summary>
    public string? Operation { get; internal set; }

    /// <summary>LOGIN_TYPE / LoginType.</summary>
    public string? LoginType { get; internal set; }

    /// <summary>Status (LOGIN_STATUS, REQUEST_STATUS, Status, HTTP status).</summary>
    public string? Status { get; internal set; }

    /// <summary>SetupAuditTrail Action.</summary>
    public string? Action { get; internal set; }

    /// <summary>SetupAuditTrail Section.</summary>
    public string? Section { get; internal set; }

    /// <summary>SetupAuditTrail Display text.</summary>
    public string? Display { get; internal set; }

    /// <summary>Index of the file in the hunt's file list.</summary>
    public int FileIndex { get; internal set; }

    /// <summary>1-based line of the row in its file.</summary>
    public int Line { get; internal set; }

    /// <summary>The session this event belongs to: LOGIN_KEY, else SESSION_KEY.</summary>
    public string? Session => LoginKey ?? SessionKey;

    /// <summary>
    /// True for the one event a first-pass reader fills again for every row: most rows are only counted into
    /// aggregates, so a new object per row (5 million on a 2 GB export, 1.2 GB of allocation) is wasted.
    /// Whatever keeps an event past the row keeps <see cref="Keep"/>'s copy.
    /// </summary>
    internal bool IsScratch { get; private set; }

    /// <summary>A scratch event for a reader to fill again for each row.</summary>
    internal static LogEvent Scratch() => new() { IsScratch = true };

    /// <summary>This event, or a copy of it when it is a reader's scratch event that the next row overwrites.</summary>
    internal LogEvent Keep()
    {
        if (!IsScratch)
        {
            return this;
        }

        var copy = new LogEvent();
        copy.CopyFrom(this);
        return copy;
    }

    /// <summary>
    /// Makes this event a copy of <paramref name="other"/>: for <see cref="Keep"/>, and for a holder that replaces
    /// its kept row often (a session's last reconnaissance call) and owns the copy alone. Every property is
    /// copied (LogEventTests checks that none is missed); a copy is never a scratch event.
    /// </summary>
    internal void CopyFrom(LogEvent other)
    {
        EventType = other.EventType;
        Source = other.Source;
        Time = other.Time;
        UserId = other.UserId;
        UserName = other.UserName;
        UserType = other.UserType;
        Ip = other.Ip;
        UserAgent = other.UserAgent;
        AppId = other.AppId;
        AppName = other.AppName;
        SessionKey = other.SessionKey;
        LoginKey = other.LoginKey;
        RequestId = other.RequestId;
        Uri = other.Uri;
        Method = other.Method;
        Entity = other.Entity;
        Soql = other.Soql;
        Rows = other.Rows;
        JobId = other.JobId;
        JobState = other.JobState;
        Operation = other.Operation;
        LoginType = other.LoginType;
        Status = other.Status;
        Action = other.Action;
        Section = other.Section;
        Display = other.Display;
        FileIndex = other.FileIndex;
        Line = other.Line;
    }
}
