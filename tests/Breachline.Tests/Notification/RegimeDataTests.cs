using Breachline.Common;
using Breachline.Notification;
using NodaTime;

namespace Breachline.Tests.Notification;

public class RegimeDataTests
{
    private const string Good = """
        regimes:
          - id: US-ZZ
            name: Test law
            family: us-state
            jurisdictions: [US-ZZ]
            citation: Test Code 1
            effective: 2020-01-01
            checkedOn: 2026-11-28
            sources: [test]
            confidence: high
            trigger: { withName: [ssn], standalone: [] }
            notices:
              - id: individuals
                recipient: individuals
                name: Residents
                deadline: { amount: 30, unit: calendar-days, from: discovery }
                content: individuals-us
        """;

    [Fact]
    public void Every_shipped_regime_has_citation_effective_date_checkedOn_and_sources()
    {
        var catalog = RegimeCatalog.Shipped;
        Assert.All(catalog.Regimes, r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Citation), r.Id);
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", r.CheckedOn);
            Assert.Matches(@"^(\d{4}-\d{2}-\d{2}|unverified)$", r.Effective);
            Assert.NotEmpty(r.Sources);
        });
    }

    [Fact]
    public void Shipped_regimes_cover_every_state_DC_the_territories_and_at_least_30_other_countries()
    {
        var ids = RegimeCatalog.Shipped.Regimes.Select(r => r.Id).ToHashSet();
        string[] us = ["AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "PR", "GU", "VI"];
        Assert.All(us, s => Assert.Contains("US-" + s, ids));
        foreach (var id in new[] { "EU-GDPR", "UK-GDPR", "US-FERPA", "US-GLBA", "US-FSA", "US-HIPAA", "PCI", "US-SEC", "SOC2", "CN-PIPL", "IN-DPDP", "CA-PIPEDA", "BR-LGPD", "KR-PIPA", "JP-APPI", "AU-NDB" })
        {
            Assert.Contains(id, ids);
        }

        Assert.True(RegimeCatalog.Shipped.Regimes.Count(r => r.Family == "international" && r.Id is not "EU-GDPR" and not "UK-GDPR") >= 30);
    }

    [Fact]
    public void A_valid_file_loads()
    {
        var catalog = RegimeCatalog.FromTexts([("test.yaml", Good)]);
        Assert.Equal("US-ZZ", Assert.Single(catalog.Regimes).Id);
    }

    [Theory]
    [InlineData("withName: [ssn]", "withName: [shoe_size]", "US-ZZ.trigger.withName", "unknown element token 'shoe_size'")]
    [InlineData("amount: 30", "amount: -5", "US-ZZ.notices[individuals].deadline.amount", "negative deadline")]
    [InlineData("citation: Test Code 1", "citation: ''", "US-ZZ.citation", "citation")]
    [InlineData("checkedOn: 2026-11-28", "checkedOn: ''", "US-ZZ.checkedOn", "last checked")]
    [InlineData("effective: 2020-01-01", "effective: soon", "US-ZZ.effective", "not a date")]
    public void Bad_regime_data_fails_loading_naming_file_entry_and_field(string find, string replace, string field, string message)
    {
        var e = Assert.Throws<InputException>(() => RegimeCatalog.FromTexts([("bad.yaml", Good.Replace(find, replace, StringComparison.Ordinal))]));
        var problem = Assert.Single(e.Problems);
        Assert.Equal("bad.yaml", problem.File);
        Assert.Equal(field, problem.Field);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
        Assert.NotNull(problem.Line);
    }

    [Fact]
    public void Bad_regime_file_on_disk_is_reported_with_its_path()
    {
        using var dir = new TempDir();
        var path = dir.Combine("regimes.yaml");
        File.WriteAllText(path, Good.Replace("withName: [ssn]", "withName: [ssn, hat]", StringComparison.Ordinal));
        var e = Assert.Throws<InputException>(() => RegimeCatalog.LoadFiles([path]));
        Assert.Equal(path, e.Problems[0].File);
    }

    [Theory]
    [InlineData(2026, "2026-04-05")]
    [InlineData(2025, "2025-04-20")]
    [InlineData(2024, "2024-03-31")]
    public void Easter_is_computed_for_holiday_calendars(int year, string expected) =>
        Assert.Equal(expected, HolidayCalendars.Easter(year).ToString("yyyy-MM-dd", null));

    [Fact]
    public void US_federal_holidays_follow_the_observance_rule()
    {
        var us = HolidayCalendars.Shipped;
        Assert.True(us.IsHoliday("US", new LocalDate(2026, 7, 3)));   // 4 July 2026 is a Saturday
        Assert.True(us.IsHoliday("US", new LocalDate(2026, 11, 26))); // Thanksgiving
        Assert.True(us.IsHoliday("CO", new LocalDate(2026, 1, 12)));  // Reyes Magos moved to Monday
        Assert.False(us.IsBusinessDay("BR", new LocalDate(2026, 2, 16))); // Carnival Monday
    }

    [Fact]
    public void Counsel_facts_are_validated()
    {
        var zone = DateTimeZoneProviders.Tzdb["America/Chicago"];
        Assert.Equal(("no-harm.US-FL", "true"), CounselFacts.Parse("no-harm.US-FL=true", zone, RegimeCatalog.Shipped));
        Assert.Equal(("material-at", "2026-03-09T08:00:00-05:00"), CounselFacts.Parse("material-at=2026-03-09T08:00", zone, RegimeCatalog.Shipped));
        Assert.Throws<UsageException>(() => CounselFacts.Parse("risk-level=maybe", zone, RegimeCatalog.Shipped));
        Assert.Throws<UsageException>(() => CounselFacts.Parse("no-harm.US-XX=true", zone, RegimeCatalog.Shipped));
        Assert.Throws<UsageException>(() => CounselFacts.Parse("colour=blue", zone, RegimeCatalog.Shipped));
    }
}
