using NodaTime;
using static System.FormattableString;

namespace Breachline.Sample;

/// <summary>One exported object: which records left and which of their fields.</summary>
internal sealed record Exfiltration(string Object, IReadOnlyList<string> Ids, IReadOnlyList<string> Fields);

/// <summary>
/// The scenario's attack, planted into the same sink as the background, and everything truth.json says
/// about it, recorded as it is planted.
/// </summary>
internal sealed class AttackPlan
{
    public const string ContactFields = "Id, FirstName, LastName, Birthdate, Email, Phone, MailingStreet, MailingCity, MailingState, MailingPostalCode, MailingCountry, hed__Social_Security_Number__c, hed__Citizenship_Status__c, hed__Country_of_Origin__c";
    public const string GuestContactFields = "Id, FirstName, LastName, Birthdate, Email, Phone, MailingStreet, MailingCity, MailingPostalCode, hed__Citizenship_Status__c";
    public const string CourseEnrollmentSoql = "SELECT Id, hed__Contact__c, hed__Course_Offering__c, hed__Grade__c, hed__Display_Grade__c, hed__Status__c FROM hed__Course_Enrollment__c WHERE hed__Status__c = 'Former'";
    public const string ProgramEnrollmentSoql = "SELECT Id, hed__Contact__c, hed__Account__c, hed__GPA__c, hed__Class_Standing__c, hed__Enrollment_Status__c FROM hed__Program_Enrollment__c";
    public const string TermGradeSoql = "SELECT Id, hed__Contact__c, hed__Course_Connection__c, hed__Letter_Grade__c, hed__Numerical_Grade__c FROM hed__Term_Grade__c";
    public const string AidSoql = "SELECT Id, Contact__c, Aid_Year__c, Award_Type__c, Amount__c, Expected_Family_Contribution__c FROM Financial_Aid_Award__c";

    private readonly OrgProfile _org;
    private readonly Population _pop;
    private readonly LogBackground _bg;
    private readonly ElfSink _sink;
    private readonly int _seed;
    private long _rid;

    public AttackPlan(OrgProfile org, Population pop, LogBackground bg, ElfSink sink)
    {
        _org = org;
        _pop = pop;
        _bg = bg;
        _sink = sink;
        _seed = org.Options.Seed;
    }

    public List<TruthQuery> Queries { get; } = [];

    public List<TruthRequest> Requests { get; } = [];

    public List<TruthRequest> AntiForensics { get; } = [];

    public SortedSet<string> Ips { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> UserAgents { get; } = new(StringComparer.Ordinal);

    public List<string> Sessions { get; } = [];

    public List<SampleUser> Users { get; } = [];

    public List<string> ConnectedApps { get; } = [];

    public List<Exfiltration> Exfiltrations { get; } = [];

    public List<GatewayLine> GatewayLines { get; } = [];

    public bool ViewEncryptedData { get; private set; }

    public AuditRow SuspiciousChange { get; private set; } = null!;

    public Instant First { get; private set; } = Instant.MaxValue;

    public Instant Last { get; private set; } = Instant.MinValue;

    /// <summary>Adds the attack's events to the sink (before the background, so they wait for their hour).</summary>
    public void Plant()
    {
        switch (_org.Options.Scenario)
        {
            case SampleScenario.TokenTheft:
                TokenTheft();
                break;
            case SampleScenario.GuestExposure:
                GuestExposure();
                break;
            case SampleScenario.PortalCredentials:
                PortalCredentials();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(_org));
        }
    }

    private string Rid() => SampleRandom.Key(_seed, 99, _rid++, 22, urlSafe: true);

    private void Seen(long ms)
    {
        var i = Instant.FromUnixTimeMilliseconds(ms);
        First = i < First ? i : First;
        Last = i > Last ? i : Last;
    }

    private string Time(long ms) => Common.IncidentTime.Format(Instant.FromUnixTimeMilliseconds(ms), _org.Zone);

    private int UserIndex(string user) => _pop.Users.FindIndex(u => u.Username.StartsWith(user + "@", StringComparison.Ordinal));

    private long NewSession()
    {
        var s = _bg.NextSession();
        Sessions.Add(ElfSink.LoginKey(_seed, s));
        return s;
    }

    private void Login(int u, long t, long s, string agent, string ip, string grant)
    {
        _sink.Add(new ElfEvent
        {
            Ms = t,
            Kind = ElfKind.Login,
            User = u,
            Session = s,
            Ip = ip,
            Agent = agent,
            Uri = "/services/oauth2/token",
            Method = "Remote Access 2.0",
            Text = grant,
            RequestId = Rid(),
        });
        Requests.Add(new TruthRequest(Time(t), "Login", "POST", "/services/oauth2/token", ip, _pop.Users[u].Id18));
        Ips.Add(ip);
        UserAgents.Add(agent);
        Seen(t);
    }

    private void Recon(int u, long t, long s, string uri, string agent, string ip, string app)
    {
        _bg.Rest(u, t, s, "GET", uri, null, 0, agent, null, app, ip, requestId: Rid());
        Requests.Add(new TruthRequest(Time(t), "RestApi", "GET", uri, ip, _pop.Users[u].Id18));
        Seen(t);
    }

    private void Query(int u, long t, long s, string obj, string soql, int rows, string agent, string ip, string? app, string uri = LogBackground.Api + "/query", bool unique = true)
    {
        var rid = Rid();
        _bg.Rest(u, t, s, "GET", uri, obj, rows, agent, null, app, ip, requestId: rid);
        if (unique)
        {
            _bg.Query(u, t + 1, s, soql, rid);
        }

        Queries.Add(new TruthQuery(Time(t), "RestApi", _pop.Users[u].Id18, ip, obj, soql, rows, null, rid));
        Seen(t);
    }

    private void Bulk(int u, long t, long s, string obj, string soql, int rows, string agent, string ip, string app)
    {
        var job = _bg.BulkQuery(u, t, s, obj, rows, agent, ip, app, soql, deleteAfter: true, Rid, (method, ms, uri) =>
        {
            var request = new TruthRequest(Time(ms), method == "GET" ? "RestApi" : "BulkApi2", method, uri, ip, _pop.Users[u].Id18);
            (method == "DELETE" ? AntiForensics : Requests).Add(request);
            Seen(ms);
        });
        Queries.Add(new TruthQuery(Time(_bg.LastJobCompletedMs), "BulkApi2", _pop.Users[u].Id18, ip, obj, soql, rows, job, _bg.LastJobCompleteRequestId));
    }

    private void TokenTheft()
    {
        var u = UserIndex(OrgProfile.ChatUser);
        Users.Add(_pop.Users[u]);
        ConnectedApps.Add("Campus_Chat");
        const string App = "Campus_Chat";
        var a = _org.AttackStart.ToUnixTimeMilliseconds();
        const string Tor = "185.220.101.33";
        const string Vps = "208.68.36.90";
        const string Py = "python-requests/2.32.4";
        const string Fetcher = "Salesforce-Multi-Org-Fetcher/1.0";
        var s1 = NewSession();
        Login(u, a, s1, Py, Tor, "refresh_token");
        Recon(u, a + 20_417, s1, $"{LogBackground.Api}/sobjects/", Py, Tor, App);
        Recon(u, a + 41_060, s1, $"{LogBackground.Api}/sobjects/Contact/describe/", Py, Tor, App);
        Recon(u, a + 65_300, s1, $"{LogBackground.Api}/limits/", Py, Tor, App);
        Query(u, a + 90_120, s1, "Contact", "SELECT COUNT() FROM Contact", 0, Py, Tor, App);
        Query(u, a + 110_900, s1, "hed__Course_Enrollment__c", "SELECT COUNT() FROM hed__Course_Enrollment__c", 0, Py, Tor, App);
        Query(u, a + 125_004, s1, "hed__Program_Enrollment__c", "SELECT COUNT() FROM hed__Program_Enrollment__c", 0, Py, Tor, App);

        var s2 = NewSession();
        var b = a + 480_250;
        Login(u, b, s2, Fetcher, Vps, "refresh_token");
        var contacts = _pop.People.Select(p => p.Id).ToList();
        Bulk(u, b + 30_000, s2, "Contact", $"SELECT {ContactFields} FROM Contact", contacts.Count, Fetcher, Vps, App);
        Exfiltrations.Add(new Exfiltration("Contact", contacts, Split(ContactFields)));
        var former = _pop.CourseEnrollments.Where(c => c.Status == "Former").Select(c => c.Id).ToList();
        Bulk(u, b + 330_000, s2, "hed__Course_Enrollment__c", CourseEnrollmentSoql, former.Count, Fetcher, Vps, App);
        Exfiltrations.Add(new Exfiltration("hed__Course_Enrollment__c", former, Split(CourseEnrollmentSoql)));
        var programs = _pop.ProgramEnrollments.Select(p => p.Id).ToList();
        Bulk(u, b + 630_000, s2, "hed__Program_Enrollment__c", ProgramEnrollmentSoql, programs.Count, Fetcher, Vps, App);
        Exfiltrations.Add(new Exfiltration("hed__Program_Enrollment__c", programs, Split(ProgramEnrollmentSoql)));

        ViewEncryptedData = false;
        SuspiciousChange = new AuditRow(_org.Local(2026, 3, 14, 16, 5, 31), "sf.architect", "Connected Apps", "connectedAppOauthPolicyChange",
            "Changed IP relaxation policy for connected app Campus Chat from Enforce IP restrictions to Relax IP restrictions", Suspicious: true);
    }

    private void GuestExposure()
    {
        var u = UserIndex(OrgProfile.GuestUser);
        Users.Add(_pop.Users[u]);
        const string Ip = "193.32.162.71";
        const string Py = "python-requests/2.32.3";
        const string Headless = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/123.0.0.0 Safari/537.36";
        Ips.Add(Ip);
        UserAgents.Add(Py);
        UserAgents.Add(Headless);
        var a = _org.AttackStart.ToUnixTimeMilliseconds();
        void Aura(long t, string agent, string action, string entity, int pageSize, int page, string? recordId = null)
        {
            var rid = Rid();
            _sink.Add(new ElfEvent
            {
                Ms = t,
                Kind = ElfKind.AuraRequest,
                User = u,
                Session = -1,
                Ip = Ip,
                Agent = agent,
                RequestId = rid,
                RecordId = recordId,
                Uri = Invariant($"/s/sfsites/aura?r={page + 3}&{action}=1"),
                Text = action switch
                {
                    "aura.RecordUi.getObjectInfo" => Invariant($"{{\"descriptor\":\"aura://RecordUiController/ACTION$getObjectInfo\",\"params\":{{\"objectApiName\":\"{entity}\"}}}}"),
                    "aura.Config.getConfigData" => "{\"descriptor\":\"aura://HostConfigController/ACTION$getConfigData\",\"params\":{}}",
                    _ => Invariant($"{{\"descriptor\":\"serviceComponent://ui.force.components.controllers.lists.selectableListDataProvider.SelectableListDataProviderController/ACTION$getItems\",\"params\":{{\"entityNameOrId\":\"{entity}\",\"layoutType\":\"FULL\",\"pageSize\":{pageSize},\"currentPage\":{page},\"useTimeout\":false,\"getCount\":true,\"enableRowActions\":false}}}}"),
                },
            });
            Seen(t);
        }

        Aura(a, Headless, "aura.Config.getConfigData", "", 0, 0);
        Requests.Add(new TruthRequest(Time(a), "AuraRequest", "POST", "/s/sfsites/aura?r=3&aura.Config.getConfigData=1", Ip, _pop.Users[u].Id18));
        foreach (var (entity, t) in new[] { ("Contact", a + 12_400L), ("hed__Program_Enrollment__c", a + 19_950L), ("User", a + 26_030L) })
        {
            Aura(t, Py, "aura.RecordUi.getObjectInfo", entity, 0, 0);
            Requests.Add(new TruthRequest(Time(t), "AuraRequest", "POST", "/s/sfsites/aura?r=3&aura.RecordUi.getObjectInfo=1", Ip, _pop.Users[u].Id18));
        }

        var shared = _pop.People.Where(p => p.LeadSource == "Admissions Portal").Select(p => p.Id).ToList();
        const int PageSize = 50;
        var soql = $"SELECT {GuestContactFields} FROM Contact WHERE LeadSource = 'Admissions Portal'";
        var pages = (shared.Count / PageSize) + 1;
        for (var page = 1; page <= pages; page++)
        {
            var t = a + 60_000 + (page * 2_350L) + (page % 3 * 113);
            var rows = Math.Max(0, Math.Min(PageSize, shared.Count - ((page - 1) * PageSize)));
            Aura(t, Py, "ui-force-components-controllers-lists-selectableListDataProvider.SelectableListDataProvider.getItems", "Contact", PageSize, page);
            Queries.Add(new TruthQuery(Time(t), "AuraRequest", _pop.Users[u].Id18, Ip, "Contact", soql + Invariant($" LIMIT {PageSize} OFFSET {(page - 1) * PageSize}"), rows, null, ElfRequestIdOfLast()));
        }

        Exfiltrations.Add(new Exfiltration("Contact", shared, Split(GuestContactFields)));
        var tp = a + 60_000 + ((pages + 2) * 2_350L);
        Aura(tp, Py, "ui-force-components-controllers-lists-selectableListDataProvider.SelectableListDataProvider.getItems", "hed__Program_Enrollment__c", PageSize, 1);
        Queries.Add(new TruthQuery(Time(tp), "AuraRequest", _pop.Users[u].Id18, Ip, "hed__Program_Enrollment__c", Invariant($"SELECT Id FROM hed__Program_Enrollment__c LIMIT {PageSize}"), 0, null, ElfRequestIdOfLast()));

        ViewEncryptedData = false;
        SuspiciousChange = new AuditRow(_org.Local(2026, 3, 12, 17, 48, 2), "sf.architect", "Sharing Rules", "createdGuestSharingRule",
            "Created guest user sharing rule Applicants Status Lookup on Contact shared with Admissions Portal Site Guest User", Suspicious: true);
    }

    private string ElfRequestIdOfLast() => SampleRandom.Key(_seed, 99, _rid - 1, 22, urlSafe: true);

    private void PortalCredentials()
    {
        var u = UserIndex(OrgProfile.PortalUser);
        Users.Add(_pop.Users[u]);
        ConnectedApps.Add("Student_Portal_Sync");
        const string App = "Student_Portal_Sync";
        const string Ip = "91.92.241.103";
        const string Py = "python-requests/2.32.3";
        const string Scanner = "Mozilla/5.0 (compatible; Nuclei - Open-source project (github.com/projectdiscovery/nuclei))";
        var probe = _org.Local(2026, 3, 15, 22, 14, 7).ToUnixTimeMilliseconds();
        foreach (var (path, status, bytes, dt) in new[] { ("/.env", 404, 162, 0L), ("/.git/config", 404, 162, 1_210L), ("/static/js/config.js", 200, 1_843, 2_004L), ("/api/v1/debug/settings", 200, 2_917, 3_377L) })
        {
            GatewayLines.Add(new GatewayLine(probe + dt, Ip, "GET", path, status, bytes, Scanner, null, Attack: true));
            Requests.Add(new TruthRequest(Time(probe + dt), "gateway", "GET", path, Ip, null));
            Seen(probe + dt);
        }

        UserAgents.Add(Scanner);
        var a = _org.AttackStart.ToUnixTimeMilliseconds();
        var s = NewSession();
        Login(u, a, s, Py, Ip, "password");
        Recon(u, a + 15_002, s, $"{LogBackground.Api}/sobjects/", Py, Ip, App);
        var t = a + 40_000;
        void Paged(string obj, string soql, IReadOnlyList<string> ids)
        {
            const int Page = 2000;
            for (var offset = 0; offset == 0 || offset < ids.Count; offset += Page)
            {
                var rows = Math.Min(Page, ids.Count - offset);
                var uri = offset == 0 ? $"{LogBackground.Api}/query" : $"{LogBackground.Api}/query/{SalesforceId.Make15(Prefix.QueryLocator, _org.Instance, 0x90000 + _rid)}-{offset}";
                Query(u, t, s, obj, soql, rows, Py, Ip, App, uri, unique: offset == 0);
                t += 2_500 + (rows / 4);
            }

            t += 20_000;
        }

        var contacts = _pop.People.Select(p => p.Id).ToList();
        Paged("Contact", $"SELECT {ContactFields} FROM Contact", contacts);
        Exfiltrations.Add(new Exfiltration("Contact", contacts, Split(ContactFields)));
        var programs = _pop.ProgramEnrollments.Select(p => p.Id).ToList();
        Paged("hed__Program_Enrollment__c", ProgramEnrollmentSoql, programs);
        Exfiltrations.Add(new Exfiltration("hed__Program_Enrollment__c", programs, Split(ProgramEnrollmentSoql)));
        var grades = _pop.TermGrades.Select(g => g.Id).ToList();
        Paged("hed__Term_Grade__c", TermGradeSoql, grades);
        Exfiltrations.Add(new Exfiltration("hed__Term_Grade__c", grades, Split(TermGradeSoql)));
        var aid = _pop.AidAwards.Select(g => g.Id).ToList();
        Paged("Financial_Aid_Award__c", AidSoql, aid);
        Exfiltrations.Add(new Exfiltration("Financial_Aid_Award__c", aid, Split(AidSoql)));

        ViewEncryptedData = true;
        SuspiciousChange = new AuditRow(_org.Local(2026, 3, 10, 19, 22, 40), "helpdesk.tier2", "Manage Users", "PermSetAssign",
            $"Permission set View Encrypted Data: assigned to user {OrgProfile.PortalUser}@{_org.UserDomain}", Suspicious: true);
    }

    private static List<string> Split(string soql)
    {
        var select = soql.StartsWith("SELECT ", StringComparison.Ordinal) ? soql[7..] : soql;
        var from = select.IndexOf(" FROM ", StringComparison.Ordinal);
        return [.. (from >= 0 ? select[..from] : select).Split(',', StringSplitOptions.TrimEntries)];
    }
}

/// <summary>A SetupAuditTrail row.</summary>
internal sealed record AuditRow(Instant When, string By, string Section, string Action, string Display, bool Suspicious);

/// <summary>One access-log line of the portal's API gateway.</summary>
internal sealed record GatewayLine(long Ms, string Ip, string Method, string Path, int Status, int Bytes, string Agent, string? ContactId, bool Attack);
