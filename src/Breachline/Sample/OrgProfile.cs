using NodaTime;

namespace Breachline.Sample;

/// <summary>
/// Who the sample org belongs to and when things happen. The two university scenarios are a public
/// university in Illinois; portal-credentials is an EdTech vendor in Chicago serving three institutions.
/// All times are fixed (March 2026, after the US switch to daylight time on 8 March), never the wall clock.
/// </summary>
internal sealed class OrgProfile
{
    public const string LmsUser = "lms.integration";
    public const string PortalUser = "portal.integration";
    public const string ChatUser = "campuschat.integration";
    public const string MarketingUser = "marketing.integration";
    public const string GuestUser = "admissions.site.guest";

    private OrgProfile(SampleOptions options)
    {
        Options = options;
        IsVendor = options.Scenario == SampleScenario.PortalCredentials;
        var rng = new SampleRandom(options.Seed, "org");
        Instance = string.Concat(rng.Chars("0123456789", 1), rng.Chars("abcdefghijkmnpqrstuvwxyz", 1));
        OrgId15 = SalesforceId.Make15("00D", Instance, 0x2F0000 + rng.Next(1, 0xFFFFF));
        if (IsVendor)
        {
            Name = "CampusBridge Learning, Inc.";
            Kind = "vendor";
            UserDomain = "campusbridge.example";
            MyDomain = "campusbridge";
            InstitutionSeeds =
            [
                ("lakeshore-state", "Lakeshore State University", "IL", "Chicago", "lakeshore-state.edu", "public-university"),
                ("northfield-college", "Northfield College", "WI", "Madison", "northfield.edu", "private-university"),
                ("great-plains-tech", "Great Plains Technical College", "IA", "Des Moines", "gptc.edu", "public-university"),
            ];
        }
        else
        {
            Name = "Lakeshore State University";
            Kind = "public-university";
            UserDomain = "lakeshore-state.edu";
            MyDomain = "lakeshore-state";
            InstitutionSeeds = [("lakeshore-state", "Lakeshore State University", "IL", "Chicago", "lakeshore-state.edu", "public-university")];
        }

        var end = new LocalDate(2026, 3, 19);
        WindowStart = end.PlusDays(-options.Days).AtStartOfDayInZone(Zone).ToInstant();
        WindowEnd = end.AtStartOfDayInZone(Zone).ToInstant();
        // The attack begins in the small hours of Tuesday 17 March 2026, local time.
        AttackStart = Local(2026, 3, 17, 1, 52, 14);
        DetectedAt = Local(2026, 3, 17, 9, 41, 0);
        AwareAt = Local(2026, 3, 18, 15, 30, 0);
    }

    public SampleOptions Options { get; }

    public bool IsVendor { get; }

    public string Name { get; }

    public string Kind { get; }

    public string HomeJurisdiction => "US-IL";

    public DateTimeZone Zone { get; } = DateTimeZoneProviders.Tzdb["America/Chicago"];

    public string TimeZoneId => Zone.Id;

    public string Instance { get; }

    public string OrgId15 { get; }

    public string OrgId18 => SalesforceId.To18(OrgId15);

    public string UserDomain { get; }

    public string MyDomain { get; }

    public string InstanceUrl => $"https://{MyDomain}.my.salesforce.com";

    public (string CustomerId, string Name, string State, string City, string Domain, string Kind)[] InstitutionSeeds { get; }

    public Instant WindowStart { get; }

    public Instant WindowEnd { get; }

    public Instant AttackStart { get; }

    public Instant DetectedAt { get; }

    public Instant AwareAt { get; }

    public Instant Local(int y, int mo, int d, int h, int mi, int s) =>
        new LocalDateTime(y, mo, d, h, mi, s).InZoneStrictly(Zone).ToInstant();

    public static OrgProfile For(SampleOptions options) => new(options);
}
