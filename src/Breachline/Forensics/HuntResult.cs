using Breachline.Common;

namespace Breachline.Forensics;

/// <summary>
/// What the hunt found in the Event Monitoring logs, SetupAuditTrail and gateway logs: the incident window,
/// the suspects, every malicious query with its SOQL and rows, rows per object, anti-forensics, setup
/// changes, the rule hits that made each suspect, and a timeline. Every item cites its evidence. This is
/// the <c>hunt</c> member of incident.json; scope, controls and containment read it.
/// </summary>
public sealed record HuntResult
{
    /// <summary>First and last malicious event; null when nothing malicious was found.</summary>
    public HuntWindow? Window { get; init; }

    /// <summary>Who and what did it.</summary>
    public HuntSuspects Suspects { get; init; } = new();

    /// <summary>Each malicious query (one per request or Bulk job), in time order.</summary>
    public IReadOnlyList<HuntQuery> Queries { get; init; } = [];

    /// <summary>Rows that left, per object, each exported row counted once (COUNT() probes return none).</summary>
    public IReadOnlyDictionary<string, long> RowsByObject { get; init; } = new SortedDictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Rows per hour and object, malicious and baseline: what the report draws as activity over time.</summary>
    public HuntActivity Activity { get; init; } = new();

    /// <summary>Attempts to hide the theft (Bulk jobs deleted after completion).</summary>
    public IReadOnlyList<HuntSignal> AntiForensics { get; init; } = [];

    /// <summary>SetupAuditTrail changes to connected apps, permission sets, IP ranges, session settings inside the window or by a suspect.</summary>
    public IReadOnlyList<SetupChange> SetupChanges { get; init; } = [];

    /// <summary>The behaviour-hunt and IOC hits on the suspects: why each one is a suspect.</summary>
    public IReadOnlyList<HuntSignal> Signals { get; init; } = [];

    /// <summary>The malicious events, signals and setup changes in time order.</summary>
    public IReadOnlyList<TimelineEntry> Timeline { get; init; } = [];

    /// <summary>Indicator hunt: the indicators given and the events matching them.</summary>
    public IocResult? Ioc { get; init; }

    /// <summary>What was read, and what could not be.</summary>
    public HuntInput Input { get; init; } = new();

    /// <summary>True when the hunt names at least one suspect.</summary>
    public bool FoundMaliciousActivity => Window is not null;
}

/// <summary>
/// Rows that left per hour and object: the malicious queries (each exported row once, as in
/// <see cref="HuntResult.RowsByObject"/>) against everyone else's activity in the same hours (the baseline).
/// Hours are UTC hours, written in the result's zone; hours without rows are left out.
/// </summary>
public sealed record HuntActivity
{
    /// <summary>Rows of the malicious queries per hour and object; per object they sum to rows per object.</summary>
    public IReadOnlyList<HourlyObjectRows> Malicious { get; init; } = [];

    /// <summary>
    /// Rows returned per hour and object by every event not found malicious (rows the Event Monitoring and
    /// Real-Time logs report for API, REST, Bulk, report and list-view reads; COUNT() probes return none).
    /// </summary>
    public IReadOnlyList<HourlyObjectRows> Baseline { get; init; } = [];
}

/// <summary>Rows of one object in one hour.</summary>
/// <param name="Hour">Start of the hour.</param>
/// <param name="Object">Object API name.</param>
/// <param name="Rows">Rows returned.</param>
public sealed record HourlyObjectRows(DateTimeOffset Hour, string Object, long Rows);

/// <summary>The incident window.</summary>
public sealed record HuntWindow(DateTimeOffset Start, DateTimeOffset End);

/// <summary>The suspects, as identifiers other stages act on (revoke, freeze, block).</summary>
public sealed record HuntSuspects
{
    /// <summary>Client addresses of the attacker.</summary>
    public IReadOnlyList<string> Ips { get; init; } = [];

    /// <summary>18-character user ids the attacker acted as.</summary>
    public IReadOnlyList<string> Users { get; init; } = [];

    /// <summary>Their usernames, where the logs give them.</summary>
    public IReadOnlyList<string> Usernames { get; init; } = [];

    /// <summary>Connected apps (names where known, else 0H4… ids) the attacker used.</summary>
    public IReadOnlyList<string> ConnectedApps { get; init; } = [];

    /// <summary>User agents of the attacker's clients.</summary>
    public IReadOnlyList<string> UserAgents { get; init; } = [];

    /// <summary>LOGIN_KEY (or SESSION_KEY) of the attacker's sessions.</summary>
    public IReadOnlyList<string> Sessions { get; init; } = [];
}

/// <summary>One malicious query: a REST/SOAP query, a Bulk API job, a report or list-view export.</summary>
/// <param name="Time">When it ran (for a Bulk job: when it was created).</param>
/// <param name="EventType">The log event type it was read from (RestApi, BulkApi2, ApiEvent, ReportExport…).</param>
/// <param name="Api">The API family: REST, SOAP, Bulk, Bulk2, Report, ListView.</param>
/// <param name="User">18-character user id.</param>
/// <param name="Ip">Client address.</param>
/// <param name="Object">Object queried.</param>
/// <param name="Soql">SOQL text, when a log carries it.</param>
/// <param name="Rows">Rows returned (0 for COUNT() probes; -1 when no log says).</param>
/// <param name="Session">LOGIN_KEY or SESSION_KEY.</param>
/// <param name="JobId">Bulk API job id.</param>
/// <param name="RequestId">REQUEST_ID of the row that reports the rows (a Bulk job's completion row).</param>
/// <param name="Evidence">Every log row describing it.</param>
public sealed record HuntQuery(
    DateTimeOffset Time,
    string EventType,
    string Api,
    string? User,
    string? Ip,
    string? Object,
    string? Soql,
    long Rows,
    string? Session,
    string? JobId,
    string? RequestId,
    IReadOnlyList<EvidenceRef> Evidence);

/// <summary>One hit of a behaviour hunt (or an indicator).</summary>
/// <param name="Rule">Hunt id (or <c>ioc</c>).</param>
/// <param name="Title">What the hunt looks for.</param>
/// <param name="Attack">ATT&amp;CK technique id.</param>
/// <param name="Score">Weight of the hit.</param>
/// <param name="Time">When.</param>
/// <param name="User">User id.</param>
/// <param name="Ip">Address.</param>
/// <param name="Session">Session.</param>
/// <param name="Detail">What exactly was seen.</param>
/// <param name="Evidence">The rows it rests on.</param>
public sealed record HuntSignal(
    string Rule,
    string Title,
    string? Attack,
    int Score,
    DateTimeOffset Time,
    string? User,
    string? Ip,
    string? Session,
    string Detail,
    IReadOnlyList<EvidenceRef> Evidence);

/// <summary>One SetupAuditTrail change.</summary>
/// <param name="Time">When.</param>
/// <param name="User">Who made it (18-character id).</param>
/// <param name="Username">Their username, when given.</param>
/// <param name="Action">SetupAuditTrail Action.</param>
/// <param name="Section">Section.</param>
/// <param name="Display">What Setup shows.</param>
/// <param name="BySuspect">True when a suspect user made it.</param>
/// <param name="Evidence">The row.</param>
public sealed record SetupChange(DateTimeOffset Time, string? User, string? Username, string? Action, string? Section, string? Display, bool BySuspect, EvidenceRef Evidence);

/// <summary>One line of the timeline.</summary>
/// <param name="Time">When.</param>
/// <param name="Kind">event, signal or setup-change.</param>
/// <param name="EventType">Log event type or hunt id.</param>
/// <param name="User">User id.</param>
/// <param name="Ip">Address.</param>
/// <param name="Session">Session.</param>
/// <param name="What">One line for people.</param>
/// <param name="Evidence">The row.</param>
public sealed record TimelineEntry(DateTimeOffset Time, string Kind, string EventType, string? User, string? Ip, string? Session, string What, EvidenceRef Evidence);

/// <summary>The indicator hunt.</summary>
/// <param name="Indicators">The indicators, as given.</param>
/// <param name="MatchingEvents">Events matching an indicator.</param>
/// <param name="Sessions">The sessions those events belong to.</param>
/// <param name="SessionEvents">Every event of those sessions (and of the matching identities).</param>
/// <param name="Matches">The first matching events (at most 1,000), with evidence.</param>
public sealed record IocResult(IReadOnlyList<string> Indicators, int MatchingEvents, IReadOnlyList<string> Sessions, int SessionEvents, IReadOnlyList<TimelineEntry> Matches);

/// <summary>What the hunt read.</summary>
public sealed record HuntInput
{
    /// <summary>Log files read.</summary>
    public int Files { get; init; }

    /// <summary>Bytes read.</summary>
    public long Bytes { get; init; }

    /// <summary>Rows read and understood.</summary>
    public long Rows { get; init; }

    /// <summary>Rows that could not be read (each also listed in <see cref="Problems"/>, up to 200 per file).</summary>
    public long UnreadableRows { get; init; }

    /// <summary>First and last event of the logs.</summary>
    public HuntWindow? Coverage { get; init; }

    /// <summary>End of the baseline period the behaviour hunts compare with.</summary>
    public DateTimeOffset? BaselineEnd { get; init; }

    /// <summary>Unreadable rows, per file, with line numbers.</summary>
    public IReadOnlyList<InputProblem> Problems { get; init; } = [];
}
