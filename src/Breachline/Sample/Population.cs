using System.Globalization;
using NodaTime;
using static System.FormattableString;

namespace Breachline.Sample;

/// <summary>An institution whose students the org holds (one for a university, several for a vendor).</summary>
internal sealed record Institution(string CustomerId, string Name, string State, string City, string Domain, string Kind, string AccountId);

/// <summary>Who a user is in the org; decides profile, permission sets and how the user shows up in logs.</summary>
internal enum UserRole
{
    Admin,
    Staff,
    HelpDesk,
    Integration,
    Guest,
}

internal sealed record SampleUser(
    string Id15,
    string Username,
    string FirstName,
    string LastName,
    string Email,
    UserRole Role,
    string ProfileKey,
    string Title,
    string HomeIp,
    Instant LastLogin)
{
    public string Id18 { get; } = SalesforceId.To18(Id15);

    public string UserType => Role == UserRole.Guest ? "Guest" : "Standard";

    public string Name => $"{FirstName} {LastName}";
}

internal enum PersonKind
{
    Student,
    Faculty,
    Staff,
}

internal sealed record Person(
    string Id,
    string AccountId,
    PersonKind Kind,
    int Institution,
    string FirstName,
    string LastName,
    string Email,
    string UniversityEmail,
    string Phone,
    LocalDate Birthdate,
    string Street,
    string City,
    string StateName,
    string StateCode,
    string PostalCode,
    string CountryName,
    string CountryCode,
    string Ssn,
    string Citizenship,
    string CountryOfOrigin,
    bool Ferpa,
    bool FinancialAidApplicant,
    string LeadSource,
    Instant CreatedDate)
{
    /// <summary>ISO 3166-2 for US residents (US-IL), ISO 3166-1 alpha-2 otherwise (CN).</summary>
    public string Jurisdiction => CountryCode == "US" ? $"US-{StateCode}" : CountryCode;
}

internal sealed record AccountRec(string Id, string Name, string Type, string? ParentId, string State, string Country, string? SchoolCode, string? CustomerId);

internal sealed record Affiliation(string Id, string ContactId, string AccountId, string Role, string Status, bool Primary, LocalDate Start);

internal sealed record ProgramEnrollment(string Id, string ContactId, string AccountId, string AffiliationId, string Status, string ClassStanding, decimal Gpa, LocalDate AdmissionDate, int GraduationYear);

internal sealed record Term(string Id, string Name, string AccountId, LocalDate Start, LocalDate End);

internal sealed record Course(string Id, string Name, string CourseId, string AccountId, int Credits);

internal sealed record CourseOffering(string Id, string Name, string CourseId, string TermId, string SectionId, string? FacultyId);

internal sealed record CourseEnrollment(string Id, string ContactId, string OfferingId, string ProgramEnrollmentId, string Status, decimal? Grade, string DisplayGrade, int CreditsAttempted, int CreditsEarned);

internal sealed record TermGrade(string Id, string ContactId, string CourseEnrollmentId, string TermId, string OfferingId, string LetterGrade, decimal NumericalGrade, string Result);

internal sealed record AidAward(string Id, string ContactId, string AidYear, string AwardType, decimal Amount, string Status, bool FafsaReceived, decimal? ExpectedFamilyContribution);

/// <summary>Mints ids per object key prefix on one instance, deterministically.</summary>
internal sealed class IdFactory(string instance)
{
    private readonly Dictionary<string, long> _next = new(StringComparer.Ordinal);

    public string Instance { get; } = instance;

    public string New15(string prefix)
    {
        _next.TryGetValue(prefix, out var n);
        _next[prefix] = n + 1;
        // Sequences start high enough that ids have the mixed-case look of real ones.
        return SalesforceId.Make15(prefix, Instance, 0x3A4F1C2 + (n * 7919));
    }

    public string New18(string prefix) => SalesforceId.To18(New15(prefix));
}

/// <summary>Object key prefixes of the sample org (standard ones are Salesforce's; custom ones are this org's).</summary>
internal static class Prefix
{
    public const string Account = "001";
    public const string Contact = "003";
    public const string User = "005";
    public const string Profile = "00e";
    public const string PermissionSet = "0PS";
    public const string PermissionSetAssignment = "0Pa";
    public const string ConnectedApp = "0H4";
    public const string BulkJob = "750";
    public const string QueryLocator = "01g";
    public const string AuditTrail = "0Ym";
    public const string Affiliation = "a0D";
    public const string ProgramEnrollment = "a0P";
    public const string CourseEnrollment = "a0E";
    public const string Course = "a0C";
    public const string CourseOffering = "a0F";
    public const string Term = "a0T";
    public const string TermGrade = "a0G";
    public const string AidAward = "a1A";
}

/// <summary>The people and records of the sample org, built once in memory (size follows --students).</summary>
internal sealed class Population
{
    public List<Institution> Institutions { get; } = [];

    public List<AccountRec> Accounts { get; } = [];

    public List<Person> People { get; } = [];

    public List<SampleUser> Users { get; } = [];

    public List<Affiliation> Affiliations { get; } = [];

    public List<ProgramEnrollment> ProgramEnrollments { get; } = [];

    public List<Term> Terms { get; } = [];

    public List<Course> Courses { get; } = [];

    public List<CourseOffering> Offerings { get; } = [];

    public List<CourseEnrollment> CourseEnrollments { get; } = [];

    public List<TermGrade> TermGrades { get; } = [];

    public List<AidAward> AidAwards { get; } = [];

    public IEnumerable<Person> Students => People.Where(p => p.Kind == PersonKind.Student);

    public SampleUser User(string username) => Users.First(u => u.Username == username);

    public static Population Build(OrgProfile org, SampleOptions options, IdFactory ids)
    {
        var pop = new Population();
        var rng = new SampleRandom(options.Seed, "population");
        pop.BuildInstitutions(org, ids);
        pop.BuildCatalogue(org, ids, rng);
        pop.BuildPeople(org, options, ids, rng);
        pop.BuildUsers(org, ids, rng);
        pop.BuildAcademics(ids, rng);
        return pop;
    }

    private void BuildInstitutions(OrgProfile org, IdFactory ids)
    {
        foreach (var (customerId, name, state, city, domain, kind) in org.InstitutionSeeds)
        {
            var id = ids.New18(Prefix.Account);
            Institutions.Add(new Institution(customerId, name, state, city, domain, kind, id));
            Accounts.Add(new AccountRec(id, name, "Educational Institution", null, state, "US", customerId.ToUpperInvariant(), org.IsVendor ? customerId : null));
        }
    }

    private static readonly string[] Programs =
    [
        "Computer Science", "Nursing", "Business Administration", "Psychology", "Biology", "Mechanical Engineering",
        "Elementary Education", "Economics", "Political Science", "Accounting", "Communications", "Chemistry",
    ];

    private static readonly string[] Subjects = ["CS", "NURS", "BUS", "PSYC", "BIOL", "ME", "EDUC", "ECON", "POLS", "ACCT", "COMM", "CHEM", "MATH", "ENGL", "HIST"];

    private readonly List<(int Institution, string AccountId, string Name)> _programAccounts = [];

    private void BuildCatalogue(OrgProfile org, IdFactory ids, SampleRandom rng)
    {
        for (var i = 0; i < Institutions.Count; i++)
        {
            var inst = Institutions[i];
            foreach (var program in Programs.Take(org.IsVendor ? 6 : Programs.Length))
            {
                var id = ids.New18(Prefix.Account);
                var name = $"B.S. {program}";
                Accounts.Add(new AccountRec(id, $"{name} ({inst.Name})", "Academic Program", inst.AccountId, inst.State, "US", null, null));
                _programAccounts.Add((i, id, name));
            }

            Terms.Add(new Term(ids.New18(Prefix.Term), $"Fall 2025 ({inst.Name})", inst.AccountId, new LocalDate(2025, 8, 25), new LocalDate(2025, 12, 13)));
            Terms.Add(new Term(ids.New18(Prefix.Term), $"Spring 2026 ({inst.Name})", inst.AccountId, new LocalDate(2026, 1, 12), new LocalDate(2026, 5, 9)));
            var coursesHere = new List<Course>();
            foreach (var subject in Subjects)
            {
                for (var n = 0; n < 3; n++)
                {
                    var number = 100 + (n * 100) + rng.Next(1, 60);
                    var course = new Course(ids.New18(Prefix.Course), Invariant($"{subject} {number}"), Invariant($"{subject}-{number}"), inst.AccountId, rng.Pick([3, 3, 4, 1]));
                    Courses.Add(course);
                    coursesHere.Add(course);
                }
            }

            foreach (var term in Terms.Skip(Terms.Count - 2))
            {
                foreach (var course in coursesHere)
                {
                    Offerings.Add(new CourseOffering(ids.New18(Prefix.CourseOffering), $"{course.Name} {term.Name[..^(inst.Name.Length + 3)]}", course.Id, term.Id, Invariant($"{rng.Next(1, 4):00}"), null));
                }
            }
        }
    }

    private void BuildPeople(OrgProfile org, SampleOptions options, IdFactory ids, SampleRandom rng)
    {
        var staffCount = Math.Max(12, options.Students / 12);
        for (var i = 0; i < options.Students + staffCount; i++)
        {
            var kind = i < options.Students ? PersonKind.Student : (i % 3 == 0 ? PersonKind.Staff : PersonKind.Faculty);
            var institution = org.IsVendor ? rng.Pick(Enumerable.Range(0, Institutions.Count).Select(k => (k, k == 0 ? 0.5 : 0.25)).ToList()) : 0;
            People.Add(MakePerson(org, ids, rng, kind, institution));
        }
    }

    private Person MakePerson(OrgProfile org, IdFactory ids, SampleRandom rng, PersonKind kind, int institutionIndex)
    {
        var inst = Institutions[institutionIndex];
        var home = inst.State;
        string countryCode;
        UsState? state = null;
        if (kind == PersonKind.Student)
        {
            var roll = rng.NextDouble();
            if (roll < 0.62)
            {
                state = Geography.State(home);
            }
            else if (roll < 0.80)
            {
                state = Geography.State(rng.Pick(Geography.Neighbours[home]));
            }
            else if (roll < 0.88)
            {
                state = rng.Pick(Geography.States.Where(s => s.Code != home && !Geography.Neighbours[home].Contains(s.Code)).ToList());
            }

            countryCode = state is null ? rng.Pick(Geography.CountryWeights) : "US";
        }
        else
        {
            state = rng.Chance(0.85) ? Geography.State(home) : Geography.State(rng.Pick(Geography.Neighbours[home]));
            countryCode = "US";
        }

        var international = countryCode != "US";
        var country = international ? Geography.Country(countryCode) : null;
        var first = country is not null && rng.Chance(0.85) ? rng.Pick(country.FirstNames) : rng.Pick(Geography.FirstNames);
        var last = country is not null && rng.Chance(0.85) ? rng.Pick(country.LastNames) : rng.Pick(Geography.LastNames);
        var id = ids.New18(Prefix.Contact);
        var birth = kind == PersonKind.Student
            ? new LocalDate(rng.Next(1999, 2008), rng.Next(1, 13), rng.Next(1, 29))
            : new LocalDate(rng.Next(1958, 1994), rng.Next(1, 13), rng.Next(1, 29));
        var handle = $"{first}.{last}".ToLowerInvariant().Replace(' ', '.');
        var personal = Invariant($"{handle}{rng.Next(1, 99)}@{rng.Pick(["example.com", "example.net", "example.org"])}");
        var university = Invariant($"{handle}{(kind == PersonKind.Student ? rng.Next(10, 99).ToString(CultureInfo.InvariantCulture) : "")}@{inst.Domain}");
        string street, city, stateName, stateCode, postal, phone, countryName;
        if (state is not null)
        {
            var c = rng.Next(state.Cities.Length);
            street = Invariant($"{rng.Next(100, 9999)} {rng.Pick(Geography.Streets)}");
            city = state.Cities[c];
            stateName = state.Name;
            stateCode = state.Code;
            postal = state.ZipPrefixes[c] + rng.Digits(2);
            // 555-01xx numbers are reserved for fiction.
            phone = Invariant($"({state.AreaCode}) 555-01{rng.Next(0, 100):00}");
            countryName = "United States";
        }
        else
        {
            var c = rng.Next(country!.Cities.Length);
            street = Invariant($"{rng.Next(1, 300)} {rng.Pick(["Garden Road", "Station Street", "University Avenue", "Harbour Road", "Central Street"])}");
            city = country.Cities[c];
            stateName = country.Provinces[c];
            stateCode = "";
            postal = rng.Digits(5);
            phone = $"{country.PhonePrefix} {rng.Digits(3)} {rng.Digits(4)} {rng.Digits(3)}";
            countryName = country.Name;
        }

        string citizenship;
        if (international)
        {
            citizenship = rng.Chance(0.9) ? "Temporary Resident" : "Other (Non-U.S.)";
        }
        else
        {
            citizenship = rng.Pick<string>([("U.S. Citizen or U.S. National", 0.86), ("U.S. Permanent Resident", 0.08), ("U.S. Dual Citizen", 0.04), ("U.S. Refugee or Asylee", 0.02)]);
        }

        // Area numbers 900-999 were never issued as SSNs, so no generated value can be a real person's.
        var ssn = !international && rng.Chance(kind == PersonKind.Student ? 0.8 : 0.95)
            ? Invariant($"{rng.Next(900, 1000)}-{rng.Next(10, 100)}-{rng.Next(1000, 10000)}")
            : "";
        var origin = international ? countryName : (citizenship == "U.S. Permanent Resident" ? rng.Pick(["Mexico", "Philippines", "Poland", "Ukraine"]) : "United States");
        var lead = kind == PersonKind.Student
            ? rng.Pick<string>([("Admissions Portal", 0.4), ("Campus Visit", 0.2), ("Common App", 0.3), ("Transfer Fair", 0.1)])
            : "";
        var created = Instant.FromUtc(2019, 1, 1, 0, 0).Plus(Duration.FromMinutes(rng.Next(0, 60 * 24 * 365 * 6)));
        var account = ids.New18(Prefix.Account);
        Accounts.Add(new AccountRec(account, $"{last} Administrative Account", "Administrative", null, stateCode, countryName, null, null));
        return new Person(id, account, kind, institutionIndex, first, last, personal, university, phone, birth, street, city, stateName, stateCode, postal, countryName, countryCode,
            ssn, citizenship, origin, rng.Chance(0.06), kind == PersonKind.Student && rng.Chance(0.58), lead, created);
    }

    private void BuildUsers(OrgProfile org, IdFactory ids, SampleRandom rng)
    {
        var domain = org.UserDomain;
        var last = Instant.FromUtc(2026, 3, 18, 22, 0);
        var n = 0;
        SampleUser Add(string user, string first, string lastName, UserRole role, string profile, string title, string ip)
        {
            n++;
            var u = new SampleUser(ids.New15(Prefix.User), $"{user}@{domain}", first, lastName, $"{user}@{domain}", role, profile, title, ip, last.Minus(Duration.FromMinutes((n * 37) + rng.Next(0, 30))));
            Users.Add(u);
            return u;
        }

        Add("it.admin", "Dana", "Whitfield", UserRole.Admin, "Admin", "CRM Administrator", "198.51.100.10");
        Add("sf.architect", "Priyanka", "Rao", UserRole.Admin, "Admin", "Salesforce Architect", "198.51.100.11");
        Add("helpdesk.tier2", "Corey", "Lindqvist", UserRole.HelpDesk, "Staff", "Help Desk Analyst", "198.51.100.40");
        string[] titles = ["Registrar", "Academic Advisor", "Financial Aid Counselor", "Admissions Counselor", "Student Success Coach", "Bursar"];
        var staff = Math.Max(8, People.Count / 40);
        for (var i = 0; i < staff; i++)
        {
            var first = rng.Pick(Geography.FirstNames);
            var lastName = rng.Pick(Geography.LastNames);
            var handle = Invariant($"{first}.{lastName}{i}").ToLowerInvariant();
            Add(handle, first, lastName, UserRole.Staff, "Staff", titles[i % titles.Length], Invariant($"198.51.100.{50 + (i % 150)}"));
        }

        Add(OrgProfile.LmsUser, "LMS", "Integration", UserRole.Integration, "Integration", "Integration User", "52.44.17.201");
        Add(OrgProfile.PortalUser, "Portal", "Integration", UserRole.Integration, "Integration", "Integration User", "203.0.113.25");
        Add(OrgProfile.ChatUser, "Campus Chat", "Integration", UserRole.Integration, "Integration", "Integration User", "34.231.90.18");
        Add(OrgProfile.MarketingUser, "Marketing", "Integration", UserRole.Integration, "Integration", "Integration User", "13.111.2.77");
        Add(OrgProfile.GuestUser, "Admissions Portal", "Site Guest User", UserRole.Guest, "Guest", "", "");
    }

    private void BuildAcademics(IdFactory ids, SampleRandom rng)
    {
        string[] standings = ["Freshman", "Sophomore", "Junior", "Senior"];
        foreach (var p in People)
        {
            var inst = Institutions[p.Institution];
            var role = p.Kind switch { PersonKind.Student => "Student", PersonKind.Faculty => "Faculty", _ => "Staff" };
            var affiliation = new Affiliation(ids.New18(Prefix.Affiliation), p.Id, inst.AccountId, role, "Current", true, new LocalDate(rng.Next(2018, 2026), rng.Pick([1, 8]), 15));
            Affiliations.Add(affiliation);
            if (p.Kind != PersonKind.Student)
            {
                continue;
            }

            var programs = _programAccounts.Where(a => a.Institution == p.Institution).ToList();
            var program = rng.Pick(programs);
            var progAffiliation = new Affiliation(ids.New18(Prefix.Affiliation), p.Id, program.AccountId, "Student", "Current", false, affiliation.Start);
            Affiliations.Add(progAffiliation);
            var standing = rng.Next(4);
            var gpa = Math.Round((decimal)(1.6 + (rng.NextDouble() * 2.4)), 3);
            var enrollment = new ProgramEnrollment(ids.New18(Prefix.ProgramEnrollment), p.Id, program.AccountId, progAffiliation.Id, rng.Chance(0.95) ? "Current" : "Leave of Absence",
                standings[standing], gpa, new LocalDate(2025 - standing, 8, 20), 2029 - standing);
            ProgramEnrollments.Add(enrollment);

            var terms = Terms.Where(t => t.AccountId == inst.AccountId).ToList();
            foreach (var term in terms)
            {
                var past = term.End < new LocalDate(2026, 3, 1);
                var offerings = Offerings.Where(o => o.TermId == term.Id).ToList();
                var chosen = new HashSet<int>();
                while (chosen.Count < 4)
                {
                    chosen.Add(rng.Next(offerings.Count));
                }

                foreach (var k in chosen.Order())
                {
                    var offering = offerings[k];
                    var credits = Courses.First(c => c.Id == offering.CourseId).Credits;
                    decimal? grade = past ? Math.Round((decimal)(55 + (rng.NextDouble() * 45)), 2) : null;
                    var letter = grade is { } g ? Letter(g) : "";
                    var ce = new CourseEnrollment(ids.New18(Prefix.CourseEnrollment), p.Id, offering.Id, enrollment.Id, past ? "Former" : "Current", grade, letter, credits,
                        past && grade >= 60 ? credits : 0);
                    CourseEnrollments.Add(ce);
                    if (grade is { } numeric)
                    {
                        TermGrades.Add(new TermGrade(ids.New18(Prefix.TermGrade), p.Id, ce.Id, term.Id, offering.Id, letter, numeric, numeric >= 60 ? "Pass" : "Fail"));
                    }
                }
            }

            if (p.FinancialAidApplicant)
            {
                var awards = rng.Next(1, 4);
                for (var a = 0; a < awards; a++)
                {
                    var (type, low, high) = rng.Pick<(string, int, int)>([("Federal Pell Grant", 740, 7395), ("Direct Subsidized Loan", 1000, 5500), ("Direct Unsubsidized Loan", 1000, 7000), ("Institutional Scholarship", 500, 12000), ("Federal Work-Study", 800, 3500)]);
                    AidAwards.Add(new AidAward(ids.New18(Prefix.AidAward), p.Id, "2025-2026", type, rng.Next(low, high), rng.Pick(["Accepted", "Disbursed", "Offered"]), true,
                        rng.Chance(0.8) ? rng.Next(0, 30000) : null));
                }
            }
        }
    }

    private static string Letter(decimal grade) => grade switch
    {
        >= 93 => "A",
        >= 90 => "A-",
        >= 87 => "B+",
        >= 83 => "B",
        >= 80 => "B-",
        >= 77 => "C+",
        >= 73 => "C",
        >= 70 => "C-",
        >= 60 => "D",
        _ => "F",
    };
}
