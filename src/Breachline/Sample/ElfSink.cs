namespace Breachline.Sample;

/// <summary>
/// Collects events of every type, keeps those not yet due, and writes the due ones in time order: the
/// generator adds events of sessions that start at or after the current hour, so everything before that
/// hour is final and can leave memory.
/// </summary>
internal sealed class ElfSink : IDisposable
{
    private const string InternalIp = "Salesforce.com IP";
    private readonly Dictionary<ElfKind, (ElfWriter Writer, List<ElfEvent> Pending)> _files = [];
    private readonly IReadOnlyList<SampleUser> _users;
    private readonly string _orgId;
    private readonly int _seed;
    private long _seq;

    public ElfSink(string logsDir, string orgId15, IReadOnlyList<SampleUser> users, int seed)
    {
        _users = users;
        _orgId = orgId15;
        _seed = seed;
        Directory.CreateDirectory(logsDir);
        foreach (var kind in Enum.GetValues<ElfKind>())
        {
            var writer = new ElfWriter(Path.Combine(logsDir, $"{ElfColumns.EventType(kind)}.csv"));
            writer.Header(ElfColumns.For(kind));
            _files[kind] = (writer, []);
        }
    }

    public long BytesWritten
    {
        get
        {
            long total = 0;
            foreach (var (writer, _) in _files.Values)
            {
                total += writer.BytesWritten;
            }

            return total;
        }
    }

    /// <summary>The REQUEST_ID a background row gets: recomputable from its sequence number.</summary>
    public string RequestId(long seq) => SampleRandom.Key(_seed, 3, seq, 22, urlSafe: true);

    public static string LoginKey(int seed, long session) => SampleRandom.Key(seed, 1, session, 16);

    public static string SessionKey(int seed, long session) => SampleRandom.Key(seed, 2, session, 15);

    public void Add(ElfEvent e)
    {
        e.Seq = _seq++;
        _files[e.Kind].Pending.Add(e);
    }

    /// <summary>Writes every pending event earlier than <paramref name="beforeMs"/>, in time order.</summary>
    public void FlushBefore(long beforeMs)
    {
        foreach (var kind in Enum.GetValues<ElfKind>())
        {
            var (writer, pending) = _files[kind];
            pending.Sort(static (a, b) => a.Ms != b.Ms ? a.Ms.CompareTo(b.Ms) : a.Seq.CompareTo(b.Seq));
            var due = 0;
            while (due < pending.Count && pending[due].Ms < beforeMs)
            {
                Write(writer, pending[due]);
                due++;
            }

            pending.RemoveRange(0, due);
            writer.Flush();
        }
    }

    public void Dispose()
    {
        FlushBefore(long.MaxValue);
        foreach (var (writer, _) in _files.Values)
        {
            writer.Dispose();
        }
    }

    private void Write(ElfWriter w, in ElfEvent e)
    {
        var user = _users[e.User];
        var mix = SampleRandom.Mix((ulong)e.Seq ^ ((ulong)_seed << 32));
        var runTime = 8 + (int)(mix % 380);
        var cpuTime = 2 + (int)((mix >> 12) % (ulong)Math.Max(3, runTime / 2));
        var dbTime = 1_000_000 + (long)((mix >> 24) % 90_000_000);
        var requestId = e.RequestId ?? RequestId(e.Seq);
        var ip = e.Ip ?? user.HomeIp;
        var session = e.Session >= 0 ? SessionKey(_seed, e.Session) : "";
        var login = e.Session >= 0 ? LoginKey(_seed, e.Session) : "";
        w.Field(ElfColumns.EventType(e.Kind));
        w.Timestamp(e.Ms);
        w.Field(requestId);
        w.Field(_orgId);
        w.Field(user.Id15);
        switch (e.Kind)
        {
            case ElfKind.Login:
                var oauth = e.Uri == "/services/oauth2/token";
                w.Field(runTime);
                w.Field(cpuTime);
                w.Field(e.Uri);
                w.Field(session);
                w.Field(login);
                w.Field(user.UserType);
                w.Field("");
                w.Field(dbTime);
                w.Field(e.Method);
                w.Field(e.Agent);
                w.Field(oauth ? "f" : "");
                w.Field(oauth ? "62.0" : "9998.0");
                w.Field(user.Username);
                w.Field("TLSv1.3");
                w.Field("TLS_AES_256_GCM_SHA384");
                w.Field("");
                w.Field(e.Text ?? "");
                w.TimestampDerived(e.Ms);
                w.Field(user.Id18);
                w.Field(oauth ? InternalIp : ip);
                w.Field("");
                w.Field(e.Extra ?? "LOGIN_NO_ERROR");
                w.Field(ip);
                break;
            case ElfKind.Logout:
                w.Field(user.UserType);
                w.Field(e.Text ?? "UI");
                w.Field("STANDARD");
                w.Field(e.Agent);
                w.Field("1015");
                w.Field("1920x1080");
                w.Field("1000");
                w.Field("");
                w.Field("");
                w.Field("");
                w.Field("1");
                w.Field(session);
                w.Field(login);
                w.TimestampDerived(e.Ms);
                w.Field(user.Id18);
                w.Field(ip);
                break;
            case ElfKind.Api:
                w.Field(runTime);
                w.Field(cpuTime);
                w.Field("Api");
                w.Field(session);
                w.Field(login);
                w.Field(user.UserType);
                w.Field("S");
                w.Field(dbTime);
                w.Field((long)(mix % 4000));
                w.Field((long)(mix % 300));
                w.Field("P");
                w.Field("62.0");
                w.Field(e.Agent);
                w.Field(e.Method);
                w.Field(e.Entity);
                w.Field(e.Rows);
                w.Field(400 + (long)(mix % 900));
                w.Field(200 + ((long)e.Rows * 310));
                w.Field("");
                w.TimestampDerived(e.Ms);
                w.Field(user.Id18);
                w.Field(ip);
                w.Field(e.RecordId ?? "");
                break;
            case ElfKind.RestApi:
                w.Field(runTime);
                w.Field(cpuTime);
                w.Field(e.Uri);
                w.Field(session);
                w.Field(login);
                w.Field(user.UserType);
                w.Field(e.Status is >= 200 and < 300 ? "S" : "F");
                w.Field(dbTime);
                w.Field((long)(mix % 4000));
                w.Field((long)(mix % 300));
                w.Field(e.Method);
                w.Field("application/json");
                w.Field(e.Status);
                w.Field(e.Agent);
                w.Field(e.Entity ?? "");
                w.Field(e.Entity is null ? 0 : 4 + (long)(mix % 12));
                w.Field(e.Rows);
                w.Field(e.Method == "GET" ? 0 : 120 + (long)(mix % 2000));
                w.Field(180 + ((long)e.Rows * 420));
                w.Field("");
                w.TimestampDerived(e.Ms);
                w.Field(user.Id18);
                w.Field(ip);
                w.Field(e.RecordId ?? "");
                break;
            case ElfKind.BulkApi:
                w.Field(runTime * 20);
                w.Field(cpuTime * 10);
                w.Field(e.Uri);
                w.Field(session);
                w.Field(login);
                w.Field(e.Extra);
                w.Field(e.Text);
                w.Field(e.Entity);
                w.Field(e.Method);
                w.Field(e.Rows);
                w.Field(0);
                w.Field("true");
                w.Field("");
                w.TimestampDerived(e.Ms);
                w.Field(user.Id18);
                w.Field(ip);
                w.Field("");
                break;
            case ElfKind.BulkApi2:
                w.Field(runTime * 10);
                w.Field(cpuTime * 5);
                w.Field(e.Uri);
                w.Field(session);
                w.Field(login);
                w.Field(e.Extra);
                w.Field(e.Text);
                w.Field(e.Entity);
                w.Field(e.Method);
                w.Field(e.Rows);
                w.Field(0);
                w.Field("");
                w.TimestampDerived(e.Ms);
                w.Field(user.Id18);
                w.Field(ip);
                w.Field("");
                break;
            case ElfKind.ApiTotalUsage:
                w.Field(e.Text);
                w.Field("62.0");
                w.Field(e.Uri);
                w.Field(e.Agent);
                w.Field(e.Method);
                w.Field(e.Entity ?? "");
                w.Field(e.Status);
                w.Field(e.Extra ?? "");
                w.Field("true");
                w.Field(e.Extra is null ? "UNKNOWN" : "EXTERNAL_APPLICATION");
                w.TimestampDerived(e.Ms);
                w.Field(user.Id18);
                w.Field(ip);
                break;
            case ElfKind.UniqueQuery:
                w.Field(session);
                w.Field(login);
                w.Field(e.Text);
                w.Field(e.Method ?? "SELECT");
                w.Field(SampleRandom.Key(_seed, 7, e.Text?.Length ?? 0, 13));
                w.TimestampDerived(e.Ms);
                w.Field(user.Id18);
                break;
            case ElfKind.ReportExport:
                w.Field(session);
                w.Field(login);
                w.Field(ip);
                w.Field(e.Agent);
                w.Field(e.Uri);
                w.Field(e.Text);
                w.TimestampDerived(e.Ms);
                w.Field(user.Id18);
                w.Field(e.RecordId ?? "");
                break;
            case ElfKind.Uri:
                w.Field(runTime);
                w.Field(cpuTime);
                w.Field(e.Uri);
                w.Field(session);
                w.Field(login);
                w.Field(user.UserType);
                w.Field("S");
                w.Field(dbTime);
                w.Field((long)(mix % 4000));
                w.Field((long)(mix % 300));
                w.Field(e.Text ?? "");
                w.TimestampDerived(e.Ms);
                w.Field(user.Id18);
                w.Field(ip);
                w.Field(e.RecordId ?? "");
                break;
            case ElfKind.AuraRequest:
                w.Field(runTime);
                w.Field(cpuTime);
                w.Field(e.Uri);
                w.Field(session);
                w.Field(login);
                w.Field(user.UserType);
                w.Field("S");
                w.Field(dbTime);
                w.Field(e.Text);
                w.Field(e.Text?.Length ?? 0);
                w.Field(e.Method ?? "POST");
                w.Field(e.Agent);
                w.TimestampDerived(e.Ms);
                w.Field(user.Id18);
                w.Field(ip);
                w.Field(e.RecordId ?? "");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(e));
        }

        w.EndRow();
    }
}
