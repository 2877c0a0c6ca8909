using System.Globalization;
using nietras.SeparatedValues;
using NodaTime;
using NodaTime.Text;

namespace Breachline.Sample;

/// <summary>Access facts the records carry: profile and permission-set ids, assignments, connected-app ids.</summary>
internal sealed class OrgAccess
{
    public Dictionary<string, (string Id, string Name, string License)> Profiles { get; } = new(StringComparer.Ordinal);

    public List<(string Id, string Name, string Label)> PermissionSets { get; } = [];

    public List<(string Id, string Assignee, string PermissionSet)> Assignments { get; } = [];

    public SortedDictionary<string, string> ConnectedApps { get; } = new(StringComparer.Ordinal);

    public static OrgAccess Build(OrgProfile org, Population pop, IdFactory ids)
    {
        var a = new OrgAccess();
        foreach (var (key, name, license) in new[]
        {
            ("Admin", "System Administrator", "Salesforce"), ("Staff", "Lakeshore Staff", "Salesforce"),
            ("Integration", "Minimum Access - API Only Integrations", "Salesforce Integration"), ("Guest", "Admissions Portal Profile", "Guest User License"),
        })
        {
            a.Profiles[key] = (ids.New18(Prefix.Profile), name, license);
        }

        var sets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, label) in new[]
        {
            ("View_Encrypted_Data", "View Encrypted Data"), ("Help_Desk_Admin", "Help Desk Admin"), ("Password_Reset_Helper", "Password Reset Helper"),
            ("LMS_Integration", "LMS Integration"), ("Portal_Integration", "Portal Integration"), ("Campus_Chat_Integration", "Campus Chat Integration"),
            ("Marketing_Integration", "Marketing Integration"),
        })
        {
            var id = ids.New18(Prefix.PermissionSet);
            sets[name] = id;
            a.PermissionSets.Add((id, name, label));
        }

        void Assign(SampleUser u, string set) => a.Assignments.Add((ids.New18(Prefix.PermissionSetAssignment), u.Id18, sets[set]));
        foreach (var u in pop.Users)
        {
            switch (u.Role)
            {
                case UserRole.Admin:
                    Assign(u, "View_Encrypted_Data");
                    break;
                case UserRole.HelpDesk:
                    Assign(u, "Help_Desk_Admin");
                    break;
                case UserRole.Staff when u.Title == "Registrar":
                    Assign(u, "View_Encrypted_Data");
                    break;
                case UserRole.Staff when u.Title == "Admissions Counselor":
                    Assign(u, "Password_Reset_Helper");
                    break;
                case UserRole.Integration:
                    var set = u.Username.Split('@')[0] switch
                    {
                        OrgProfile.LmsUser => "LMS_Integration",
                        OrgProfile.PortalUser => "Portal_Integration",
                        OrgProfile.ChatUser => "Campus_Chat_Integration",
                        _ => "Marketing_Integration",
                    };
                    Assign(u, set);
                    if (set == "Portal_Integration" && org.Options.Scenario == SampleScenario.PortalCredentials)
                    {
                        Assign(u, "View_Encrypted_Data");
                    }

                    break;
                default:
                    break;
            }
        }

        foreach (var app in new[] { "Campus_Chat", "LMS_Connector", "Marketing_Connect", "Student_Portal_Sync" })
        {
            a.ConnectedApps[app] = ids.New15(Prefix.ConnectedApp);
        }

        return a;
    }
}

/// <summary>Writes records/: one CSV per object in Data Loader layout (header = field API names, Id first, 18-character ids).</summary>
internal static class RecordsWriter
{
    private static readonly InstantPattern DateTimePattern = InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.000Z'");

    public static Dictionary<string, int> Write(string root, Population pop, OrgAccess access)
    {
        var dir = Path.Combine(root, "records");
        Directory.CreateDirectory(dir);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        void Table<T>(string obj, IEnumerable<T> rows, params (string Column, Func<T, string> Value)[] columns)
        {
            using var writer = Sep.New(',').Writer(o => o with { Escape = true }).ToFile(Path.Combine(dir, obj + ".csv"));
            var n = 0;
            foreach (var r in rows)
            {
                using var row = writer.NewRow();
                foreach (var (column, value) in columns)
                {
                    row[column].Set(value(r));
                }

                n++;
            }

            counts[obj] = n;
        }

        static string D(LocalDate d) => d.ToString("uuuu'-'MM'-'dd", CultureInfo.InvariantCulture);
        static string N(decimal? d) => d?.ToString(CultureInfo.InvariantCulture) ?? "";
        static string B(bool b) => b ? "true" : "false";

        Table("Account", pop.Accounts, ("Id", a => a.Id), ("Name", a => a.Name), ("Type", a => a.Type), ("ParentId", a => a.ParentId ?? ""),
            ("BillingState", a => a.State), ("BillingCountry", a => a.Country), ("hed__School_Code__c", a => a.SchoolCode ?? ""), ("AccountNumber", a => a.CustomerId ?? ""));
        Table("Contact", pop.People, ("Id", p => p.Id), ("AccountId", p => p.AccountId), ("hed__Primary_Organization__c", p => pop.Institutions[p.Institution].AccountId),
            ("FirstName", p => p.FirstName), ("LastName", p => p.LastName), ("Email", p => p.Email), ("hed__UniversityEmail__c", p => p.UniversityEmail), ("Phone", p => p.Phone),
            ("Birthdate", p => D(p.Birthdate)), ("MailingStreet", p => p.Street), ("MailingCity", p => p.City), ("MailingState", p => p.StateName), ("MailingStateCode", p => p.StateCode),
            ("MailingPostalCode", p => p.PostalCode), ("MailingCountry", p => p.CountryName), ("MailingCountryCode", p => p.CountryCode),
            ("hed__Social_Security_Number__c", p => p.Ssn), ("hed__Citizenship_Status__c", p => p.Citizenship), ("hed__Country_of_Origin__c", p => p.CountryOfOrigin),
            ("hed__FERPA__c", p => B(p.Ferpa)), ("hed__Financial_Aid_Applicant__c", p => B(p.FinancialAidApplicant)), ("LeadSource", p => p.LeadSource),
            ("Title", p => p.Kind == PersonKind.Student ? "" : p.Kind.ToString()), ("CreatedDate", p => DateTimePattern.Format(p.CreatedDate)));
        Table("User", pop.Users, ("Id", u => u.Id18), ("Username", u => u.Username), ("FirstName", u => u.FirstName), ("LastName", u => u.LastName), ("Email", u => u.Email),
            ("ProfileId", u => access.Profiles[u.ProfileKey].Id), ("UserType", u => u.UserType == "Guest" ? "Guest" : "Standard"), ("IsActive", _ => "true"), ("Title", u => u.Title),
            ("LastLoginDate", u => u.Role == UserRole.Guest ? "" : DateTimePattern.Format(u.LastLogin)));
        Table("Profile", access.Profiles.Values.OrderBy(p => p.Id, StringComparer.Ordinal), ("Id", p => p.Id), ("Name", p => p.Name), ("UserLicense", p => p.License));
        Table("PermissionSet", access.PermissionSets, ("Id", p => p.Id), ("Name", p => p.Name), ("Label", p => p.Label));
        Table("PermissionSetAssignment", access.Assignments, ("Id", a => a.Id), ("AssigneeId", a => a.Assignee), ("PermissionSetId", a => a.PermissionSet));
        Table("ConnectedApplication", access.ConnectedApps, ("Id", a => SalesforceId.To18(a.Value)), ("Name", a => a.Key));
        Table("hed__Affiliation__c", pop.Affiliations, ("Id", a => a.Id), ("hed__Contact__c", a => a.ContactId), ("hed__Account__c", a => a.AccountId), ("hed__Role__c", a => a.Role),
            ("hed__Status__c", a => a.Status), ("hed__Primary__c", a => B(a.Primary)), ("hed__StartDate__c", a => D(a.Start)));
        Table("hed__Program_Enrollment__c", pop.ProgramEnrollments, ("Id", e => e.Id), ("hed__Contact__c", e => e.ContactId), ("hed__Account__c", e => e.AccountId),
            ("hed__Affiliation__c", e => e.AffiliationId), ("hed__Enrollment_Status__c", e => e.Status), ("hed__Class_Standing__c", e => e.ClassStanding), ("hed__GPA__c", e => N(e.Gpa)),
            ("hed__Admission_Date__c", e => D(e.AdmissionDate)), ("hed__Graduation_Year__c", e => e.GraduationYear.ToString(CultureInfo.InvariantCulture)));
        Table("hed__Term__c", pop.Terms, ("Id", t => t.Id), ("Name", t => t.Name), ("hed__Account__c", t => t.AccountId), ("hed__Start_Date__c", t => D(t.Start)), ("hed__End_Date__c", t => D(t.End)));
        Table("hed__Course__c", pop.Courses, ("Id", c => c.Id), ("Name", c => c.Name), ("hed__Course_ID__c", c => c.CourseId), ("hed__Account__c", c => c.AccountId),
            ("hed__Credit_Hours__c", c => c.Credits.ToString(CultureInfo.InvariantCulture)));
        Table("hed__Course_Offering__c", pop.Offerings, ("Id", o => o.Id), ("Name", o => o.Name), ("hed__Course__c", o => o.CourseId), ("hed__Term__c", o => o.TermId),
            ("hed__Section_ID__c", o => o.SectionId), ("hed__Capacity__c", _ => "40"));
        Table("hed__Course_Enrollment__c", pop.CourseEnrollments, ("Id", e => e.Id), ("hed__Contact__c", e => e.ContactId), ("hed__Course_Offering__c", e => e.OfferingId),
            ("hed__Program_Enrollment__c", e => e.ProgramEnrollmentId), ("hed__Status__c", e => e.Status), ("hed__Grade__c", e => N(e.Grade)), ("hed__Display_Grade__c", e => e.DisplayGrade),
            ("hed__Credits_Attempted__c", e => e.CreditsAttempted.ToString(CultureInfo.InvariantCulture)), ("hed__Credits_Earned__c", e => e.CreditsEarned.ToString(CultureInfo.InvariantCulture)));
        Table("hed__Term_Grade__c", pop.TermGrades, ("Id", g => g.Id), ("hed__Contact__c", g => g.ContactId), ("hed__Course_Connection__c", g => g.CourseEnrollmentId),
            ("hed__Term__c", g => g.TermId), ("hed__Course_Offering__c", g => g.OfferingId), ("hed__Letter_Grade__c", g => g.LetterGrade), ("hed__Numerical_Grade__c", g => N(g.NumericalGrade)),
            ("hed__Result__c", g => g.Result));
        Table("Financial_Aid_Award__c", pop.AidAwards, ("Id", a => a.Id), ("Contact__c", a => a.ContactId), ("Aid_Year__c", a => a.AidYear), ("Award_Type__c", a => a.AwardType),
            ("Amount__c", a => N(a.Amount)), ("Status__c", a => a.Status), ("FAFSA_Received__c", a => B(a.FafsaReceived)), ("Expected_Family_Contribution__c", a => N(a.ExpectedFamilyContribution)));
        return counts;
    }
}
