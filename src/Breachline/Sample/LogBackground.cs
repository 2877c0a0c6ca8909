using NodaTime;
using static System.FormattableString;

namespace Breachline.Sample;

/// <summary>
/// The org's ordinary traffic: staff in working hours of the org's zone (Lightning pages, list views,
/// a few report exports), integration users on their schedules (LMS sync every 15 minutes, the portal
/// fetching students' records, the chat app's look-ups, the marketing app's nightly Bulk API 2.0 export),
/// and anonymous visitors of the public admissions site. <see cref="Density"/> scales all of it.
/// </summary>
internal sealed class LogBackground(OrgProfile org, Population pop, ElfSink sink, SampleRandom rng, IReadOnlyDictionary<string, string> appIds)
{
    public const string Browser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36";
    public const string MacBrowser = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15";
    public const string ChatAgent = "CampusChat-Connector/4.2 (+https://campuschat.example)";
    public const string LmsAgent = "lms-sync/3.8.1 (Spring WebClient)";
    public const string PortalAgent = "python-requests/2.31.0 (campusbridge-portal/5.4)";
    public const string MarketingAgent = "MarketingConnect/2.1";
    public const string Api = "/services/data/v62.0";

    private static readonly string[] AuraPages =
    [
        "/lightning/r/Contact/{0}/view", "/lightning/o/Contact/list?filterName=Recent", "/lightning/r/hed__Program_Enrollment__c/{1}/view",
        "/lightning/o/hed__Course_Enrollment__c/list", "/lightning/page/home", "/lightning/r/Financial_Aid_Award__c/{2}/view",
    ];

    private static readonly string[] AuraActions =
    [
        "aura://RecordUiController/ACTION$getRecordWithFields", "aura://ListUiController/ACTION$getListByObjectName",
        "aura://RelatedListUiController/ACTION$getRelatedListRecords", "aura://HostConfigController/ACTION$getConfigData",
    ];

    private readonly List<int> _staff = [.. Enumerable.Range(0, pop.Users.Count).Where(i => pop.Users[i].Role is UserRole.Staff or UserRole.Admin or UserRole.HelpDesk)];
    private readonly int _lms = pop.Users.FindIndex(u => u.Username.StartsWith(OrgProfile.LmsUser + "@", StringComparison.Ordinal));
    private readonly int _portal = pop.Users.FindIndex(u => u.Username.StartsWith(OrgProfile.PortalUser + "@", StringComparison.Ordinal));
    private readonly int _chat = pop.Users.FindIndex(u => u.Username.StartsWith(OrgProfile.ChatUser + "@", StringComparison.Ordinal));
    private readonly int _marketing = pop.Users.FindIndex(u => u.Username.StartsWith(OrgProfile.MarketingUser + "@", StringComparison.Ordinal));
    private readonly int _guest = pop.Users.FindIndex(u => u.Role == UserRole.Guest);
    private readonly List<Person> _students = [.. pop.Students];
    private long _session = 1;
    private long _job = 1;

    /// <summary>How busy the org is; 1 is the natural level of the default sample.</summary>
    public double Density { get; set; } = 1;

    /// <summary>Generates one hour (UTC) of background, starting at <paramref name="hourStart"/>.</summary>
    public void Hour(Instant hourStart)
    {
        var local = hourStart.InZone(org.Zone);
        var weekday = local.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday);
        var h = local.Hour;
        var ms = hourStart.ToUnixTimeMilliseconds();

        // Staff log in between 7 and 10 local time on weekdays and work until the afternoon.
        if (weekday && h is >= 7 and <= 9)
        {
            foreach (var u in _staff)
            {
                if (rng.Chance(0.33))
                {
                    StaffSession(u, ms + rng.Next(0, 3_600_000), Duration.FromHours(rng.Next(6, 10)).TotalMilliseconds);
                }
            }
        }
        else if (!weekday && h is 10 or 14 && rng.Chance(0.5))
        {
            StaffSession(rng.Pick(_staff), ms + rng.Next(0, 3_600_000), Duration.FromMinutes(rng.Next(20, 90)).TotalMilliseconds);
        }

        // LMS sync every 15 minutes, a token refresh each hour, the grade upsert at 02:00.
        var lmsSession = _session++;
        Login(_lms, ms + rng.Next(0, 2000), lmsSession, LmsAgent, null);
        for (var q = 0; q < 4; q++)
        {
            var t = ms + (q * 900_000) + rng.Next(500, 4000);
            var calls = Math.Max(1, rng.Count(1 * Density));
            for (var c = 0; c < calls; c++)
            {
                var rows = rng.Next(0, 200);
                Rest(_lms, t + (c * 700), lmsSession, "GET", $"{Api}/query", "hed__Course_Enrollment__c", rows, LmsAgent, null, "LMS_Connector");
                Query(_lms, t + (c * 700) + 1, lmsSession, "SELECT Id, hed__Contact__c, hed__Grade__c FROM hed__Course_Enrollment__c WHERE LastModifiedDate > :since");
                if (rows > 0)
                {
                    Rest(_lms, t + (c * 700) + 350, lmsSession, "PATCH", $"{Api}/composite/sobjects", "hed__Course_Enrollment__c", Math.Min(rows, 200), LmsAgent, null, "LMS_Connector");
                }
            }
        }

        if (h == 2)
        {
            BulkIngest(_lms, ms + rng.Next(60_000, 600_000), lmsSession, "hed__Course_Enrollment__c", rng.Next(200, 2000));
        }

        // The portal reads student records while students use it (busy 8-23 local).
        var portalMean = (h is >= 8 and <= 23 ? 5.0 : 1.0) * Density * Math.Max(1, _students.Count / 400.0);
        var portalCalls = rng.Count(portalMean);
        if (portalCalls > 0)
        {
            var s = _session++;
            Login(_portal, ms + rng.Next(0, 1000), s, PortalAgent, null);
            for (var i = 0; i < portalCalls; i++)
            {
                var student = rng.Pick(_students);
                Rest(_portal, ms + 1000 + rng.Next(0, 3_598_000), s, "GET", $"{Api}/sobjects/Contact/{student.Id}", "Contact", 1, PortalAgent, student.Id, "Student_Portal_Sync");
            }
        }

        // Campus Chat looks students up by university email during the day, from the vendor's own addresses.
        if (h is >= 8 and <= 22)
        {
            var chats = rng.Count(3 * Density);
            if (chats > 0)
            {
                var s = _session++;
                var ip = rng.Pick(["34.231.90.18", "34.231.90.19"]);
                Login(_chat, ms + rng.Next(0, 1000), s, ChatAgent, ip);
                for (var i = 0; i < chats; i++)
                {
                    var t = ms + 1000 + rng.Next(0, 3_598_000);
                    Rest(_chat, t, s, "GET", $"{Api}/query", "Contact", 1, ChatAgent, null, "Campus_Chat", ip);
                    Query(_chat, t + 1, s, "SELECT Id, FirstName, hed__UniversityEmail__c FROM Contact WHERE hed__UniversityEmail__c = :email LIMIT 1");
                }
            }
        }

        // Marketing's nightly export of prospects and students: a legitimate Bulk API 2.0 query job.
        if (h == 3)
        {
            var s = _session++;
            var t = ms + rng.Next(300_000, 900_000);
            Login(_marketing, t, s, MarketingAgent, null);
            var rows = (int)(_students.Count * (0.9 + (rng.NextDouble() * 0.1)));
            BulkQuery(_marketing, t + 2000, s, "Contact", rows, MarketingAgent, null, "Marketing_Connect",
                "SELECT Id, FirstName, LastName, Email, LeadSource FROM Contact WHERE LeadSource != null", deleteAfter: false);
        }

        // Visitors of the public admissions site browse the course catalogue as the guest user.
        var visits = rng.Count((h is >= 9 and <= 22 ? 4.0 : 1.0) * Density);
        for (var i = 0; i < visits; i++)
        {
            var t = ms + rng.Next(0, 3_600_000);
            var ip = Invariant($"{rng.Pick([73, 98, 24, 67, 108, 174, 50])}.{rng.Next(1, 255)}.{rng.Next(0, 255)}.{rng.Next(1, 255)}");
            var agent = rng.Chance(0.6) ? Browser : MacBrowser;
            var pages = rng.Next(1, 4);
            for (var p = 0; p < pages; p++)
            {
                sink.Add(new ElfEvent
                {
                    Ms = t + (p * rng.Next(4000, 40000)),
                    Kind = ElfKind.AuraRequest,
                    User = _guest,
                    Session = -1,
                    Ip = ip,
                    Agent = agent,
                    Uri = "/s/sfsites/aura?r=" + Invariant($"{p + 1}") + "&ui-force-components-controllers-lists-selectableListDataProvider.SelectableListDataProvider.getItems=1",
                    Text = Invariant($"{{\"descriptor\":\"serviceComponent://ui.force.components.controllers.lists.selectableListDataProvider.SelectableListDataProviderController/ACTION$getItems\",\"params\":{{\"entityNameOrId\":\"hed__Course_Offering__c\",\"pageSize\":25,\"currentPage\":{p + 1}}}}}"),
                });
            }
        }
    }

    private void StaffSession(int u, long start, double lengthMs)
    {
        var s = _session++;
        var user = pop.Users[u];
        var agent = u % 3 == 0 ? MacBrowser : Browser;
        var ip = rng.Chance(0.8) ? user.HomeIp : Invariant($"203.0.113.{rng.Next(1, 255)}");
        Login(u, start, s, agent, ip, ui: true);
        var actions = rng.Count(14 * Density);
        for (var a = 0; a < actions; a++)
        {
            var t = start + 5000 + (long)(rng.NextDouble() * (lengthMs - 10_000));
            var student = rng.Pick(_students);
            var roll = rng.Next(100);
            if (roll < 60)
            {
                var page = string.Format(System.Globalization.CultureInfo.InvariantCulture, rng.Pick(AuraPages), student.Id, "", "");
                sink.Add(new ElfEvent
                {
                    Ms = t,
                    Kind = ElfKind.AuraRequest,
                    User = u,
                    Session = s,
                    Ip = ip,
                    Agent = agent,
                    RecordId = page.Contains("/Contact/", StringComparison.Ordinal) ? student.Id : null,
                    Uri = "/aura?r=" + Invariant($"{rng.Next(1, 120)}") + "&aura.RecordUi.getRecordWithFields=1",
                    Text = "{\"descriptor\":\"" + rng.Pick(AuraActions) + "\",\"callingDescriptor\":\"UNKNOWN\",\"page\":\"" + page.Replace("//", "/", StringComparison.Ordinal) + "\"}",
                });
            }
            else if (roll < 78)
            {
                sink.Add(new ElfEvent { Ms = t, Kind = ElfKind.Uri, User = u, Session = s, Ip = ip, Uri = "/" + student.Id[..15], Text = "/lightning/o/Contact/list", RecordId = student.Id });
            }
            else if (roll < 82 && user.Role == UserRole.Admin)
            {
                var (entity, rows) = rng.Pick<(string, int)>([("Contact", rng.Next(1, 400)), ("hed__Affiliation__c", rng.Next(1, 200)), ("User", rng.Next(1, 20))]);
                sink.Add(new ElfEvent { Ms = t, Kind = ElfKind.Api, User = u, Session = s, Ip = ip, Agent = "DataLoaderBulkUI/62.0.0", Method = "query", Entity = entity, Rows = rows });
            }
            else if (roll < 97)
            {
                Query(u, t, s, rng.Pick([
                    "SELECT Id, Name, hed__UniversityEmail__c FROM Contact WHERE OwnerId = :userId ORDER BY LastModifiedDate DESC LIMIT 50",
                    "SELECT Id, hed__Contact__c, hed__GPA__c FROM hed__Program_Enrollment__c WHERE hed__Contact__c = :contactId",
                    "SELECT Id, hed__Course_Offering__c, hed__Status__c FROM hed__Course_Enrollment__c WHERE hed__Contact__c = :contactId",
                    "SELECT Id, Award_Type__c, Amount__c FROM Financial_Aid_Award__c WHERE Contact__c = :contactId",
                ]));
            }
            else
            {
                sink.Add(new ElfEvent
                {
                    Ms = t,
                    Kind = ElfKind.ReportExport,
                    User = u,
                    Session = s,
                    Ip = ip,
                    Agent = agent,
                    Uri = "/servlet/PrintableViewDownloadServlet",
                    Text = rng.Pick(["Advisees with holds", "Course connections this term", "Aid disbursement check"]),
                });
            }
        }

        sink.Add(new ElfEvent { Ms = start + (long)lengthMs, Kind = ElfKind.Logout, User = u, Session = s, Ip = ip, Agent = agent });
    }

    public void Login(int u, long t, long s, string agent, string? ip, bool ui = false) =>
        sink.Add(new ElfEvent
        {
            Ms = t,
            Kind = ElfKind.Login,
            User = u,
            Session = s,
            Ip = ip,
            Agent = agent,
            Uri = ui ? "/index.jsp" : "/services/oauth2/token",
            Method = ui ? "Application" : "Remote Access 2.0",
            Text = ui ? "" : "refresh_token",
        });

    public void Rest(int u, long t, long s, string method, string uri, string? entity, int rows, string agent, string? recordId, string? app, string? ip = null, int status = 200, string? requestId = null)
    {
        sink.Add(new ElfEvent { Ms = t, Kind = ElfKind.RestApi, User = u, Session = s, Method = method, Uri = uri, Entity = entity, Rows = rows, Agent = agent, RecordId = recordId, Ip = ip, Status = status, RequestId = requestId });
        sink.Add(new ElfEvent { Ms = t + 2, Kind = ElfKind.ApiTotalUsage, User = u, Session = s, Method = method, Uri = uri.Replace("/services/data", "", StringComparison.Ordinal), Entity = entity, Agent = agent, Ip = ip, Status = status, Text = "REST", Extra = app is null ? null : appIds[app] });
    }

    public void Query(int u, long t, long s, string soql, string? requestId = null) =>
        sink.Add(new ElfEvent { Ms = t, Kind = ElfKind.UniqueQuery, User = u, Session = s, Text = soql, RequestId = requestId });

    private void BulkIngest(int u, long t, long s, string entity, int rows)
    {
        var job = SalesforceId.Make15(Prefix.BulkJob, org.Instance, 0x1B0000 + _job++);
        var batches = (rows + 199) / 200;
        for (var b = 0; b < batches; b++)
        {
            sink.Add(new ElfEvent
            {
                Ms = t + (b * 1500),
                Kind = ElfKind.BulkApi,
                User = u,
                Session = s,
                Extra = job,
                Text = SalesforceId.Make15("751", org.Instance, 0x1C0000 + (_job * 100) + b),
                Entity = entity,
                Method = "upsert",
                Rows = Math.Min(200, rows - (b * 200)),
                Uri = $"/services/async/62.0/job/{job}/batch",
            });
        }
    }

    /// <summary>A Bulk API 2.0 query job: created, inProgress, complete (with its rows), results download, optionally deleted.</summary>
    public string BulkQuery(int u, long t, long s, string entity, int rows, string agent, string? ip, string? app, string soql, bool deleteAfter, Func<string>? requestIds = null, Action<string, long, string>? onRequest = null)
    {
        var job = SalesforceId.Make15(Prefix.BulkJob, org.Instance, 0x1A0000 + _job++);
        string Rid() => requestIds?.Invoke() ?? sink.RequestId(0x7FFF_0000_0000 + (_job * 16) + rng.Next(0, 15));
        var create = Rid();
        sink.Add(new ElfEvent { Ms = t, Kind = ElfKind.BulkApi2, User = u, Session = s, Extra = job, Text = "UploadComplete", Entity = entity, Method = "Query", Uri = $"{Api}/jobs/query", Ip = ip, RequestId = create });
        Query(u, t + 1, s, soql, create);
        ApiUsage(u, t + 2, s, "POST", "/v62.0/jobs/query", entity, agent, ip, app);
        onRequest?.Invoke("POST", t, $"{Api}/jobs/query");
        sink.Add(new ElfEvent { Ms = t + 900, Kind = ElfKind.BulkApi2, User = u, Session = s, Extra = job, Text = "InProgress", Entity = entity, Method = "Query", Uri = $"{Api}/jobs/query/{job}", Ip = ip, RequestId = Rid() });
        var done = t + 4000 + (rows / 5);
        var complete = Rid();
        sink.Add(new ElfEvent { Ms = done, Kind = ElfKind.BulkApi2, User = u, Session = s, Extra = job, Text = "JobComplete", Entity = entity, Method = "Query", Uri = $"{Api}/jobs/query/{job}", Rows = rows, Ip = ip, RequestId = complete });
        var download = done + 3000;
        sink.Add(new ElfEvent { Ms = download, Kind = ElfKind.RestApi, User = u, Session = s, Method = "GET", Uri = $"{Api}/jobs/query/{job}/results", Entity = entity, Rows = rows, Agent = agent, Ip = ip, Status = 200, RequestId = Rid() });
        ApiUsage(u, download + 1, s, "GET", $"/v62.0/jobs/query/{job}/results", entity, agent, ip, app);
        onRequest?.Invoke("GET", download, $"{Api}/jobs/query/{job}/results");
        if (deleteAfter)
        {
            var del = download + 4000 + rng.Next(0, 5000);
            sink.Add(new ElfEvent { Ms = del, Kind = ElfKind.BulkApi2, User = u, Session = s, Extra = job, Text = "Deleted", Entity = entity, Method = "Query", Uri = $"{Api}/jobs/query/{job}", Ip = ip, RequestId = Rid() });
            ApiUsage(u, del + 1, s, "DELETE", $"/v62.0/jobs/query/{job}", entity, agent, ip, app);
            onRequest?.Invoke("DELETE", del, $"{Api}/jobs/query/{job}");
        }

        LastJobCompletedMs = done;
        LastJobCompleteRequestId = complete;
        return job;
    }

    public long LastJobCompletedMs { get; private set; }

    public string LastJobCompleteRequestId { get; private set; } = "";

    public void ApiUsage(int u, long t, long s, string method, string resource, string? entity, string agent, string? ip, string? app, int status = 200) =>
        sink.Add(new ElfEvent { Ms = t, Kind = ElfKind.ApiTotalUsage, User = u, Session = s, Method = method, Uri = resource, Entity = entity, Agent = agent, Ip = ip, Status = status, Text = method == "GET" && resource.Contains("/jobs/", StringComparison.Ordinal) ? "Bulk" : "REST", Extra = app is null ? null : appIds[app] });

    public long NextSession() => _session++;
}
