using Breachline.Common;
using Breachline.Notification;
using Breachline.Org;
using NodaTime;

namespace Breachline.Tests.Notification;

public class NotificationEngineTests
{
    private static readonly DateTimeZone Chicago = DateTimeZoneProviders.Tzdb["America/Chicago"];

    // Sunday 2026-03-08 10:00 Chicago (the DST change day), aware = detected.
    private static readonly Instant Aware = IncidentTime.ParseInstant("2026-03-08T10:00", Chicago, "aware");

    private static NotificationInput Input(InstitutionKind kind, IEnumerable<ExposureGroup> groups, CounselFacts? facts = null, Dictionary<string, ElementProtection>? protection = null, string? home = "US-IL") =>
        new("INC-1", Aware, Aware, Chicago, kind, home, "Lakeshore State University", "Audit LLP", null,
            new ExposureFacts([.. groups], protection ?? []), [], facts ?? CounselFacts.None);

    private static NotificationMatrix Run(NotificationInput input) => NotificationEngine.Shipped.Compute(input, Aware);

    private static Obligation Row(NotificationMatrix m, string regime, string notice) =>
        m.Obligations.Single(o => o.Regime == regime && o.Notice == notice);

    private static ExposureGroup G(string j, long n, params string[] e) => new(j, e, n);

    private static string Local(Instant? i) => IncidentTime.Format(i!.Value, Chicago);

    [Fact]
    public void California_name_and_drivers_license_triggers_30_day_individual_notice_and_AG_above_500()
    {
        var m = Run(Input(InstitutionKind.PrivateUniversity, [G("US-CA", 600, "name", "drivers_license")]));
        var ind = Row(m, "US-CA", "individuals");
        Assert.Equal(Triggered.Yes, ind.Triggered);
        Assert.Equal(600, ind.Affected);
        Assert.Equal("2026-04-07T10:00:00-05:00", Local(ind.Due));
        Assert.Equal(Triggered.Yes, Row(m, "US-CA", "regulator").Triggered);
    }

    [Fact]
    public void California_AG_is_not_triggered_at_500_residents()
    {
        var m = Run(Input(InstitutionKind.PrivateUniversity, [G("US-CA", 500, "name", "ssn")]));
        var ag = Row(m, "US-CA", "regulator");
        Assert.Equal(Triggered.No, ag.Triggered);
        Assert.Contains(ag.Why, w => w.Contains("below the threshold", StringComparison.Ordinal));
    }

    [Fact]
    public void An_element_without_the_name_does_not_trigger_a_name_plus_element_state()
    {
        var m = Run(Input(InstitutionKind.PrivateUniversity, [G("US-AL", 50, "ssn")]));
        var ind = Row(m, "US-AL", "individuals");
        Assert.Equal(Triggered.No, ind.Triggered);
        Assert.Contains(ind.Why, w => w.Contains("without the name", StringComparison.Ordinal));
    }

    [Fact]
    public void Nebraska_online_credentials_trigger_without_a_name()
    {
        var m = Run(Input(InstitutionKind.PrivateUniversity, [G("US-NE", 10, "username_password")]));
        var ind = Row(m, "US-NE", "individuals");
        Assert.Equal(Triggered.Yes, ind.Triggered);
        Assert.Contains(ind.Why, w => w.Contains("standalone: username_password", StringComparison.Ordinal));
        Assert.Null(ind.Due);
    }

    [Fact]
    public void Encrypted_ssn_with_its_key_safe_is_outside_Alabama_law()
    {
        var m = Run(Input(InstitutionKind.PrivateUniversity, [G("US-AL", 2000, "name", "ssn")], protection: new() { ["ssn"] = new(true, false) }));
        var ind = Row(m, "US-AL", "individuals");
        Assert.Equal(Triggered.No, ind.Triggered);
        Assert.Contains(ind.Why, w => w.Contains("safe harbour", StringComparison.Ordinal));
    }

    [Fact]
    public void Alabama_safe_harbour_is_lost_when_the_key_left_too_and_the_AG_threshold_counts_them()
    {
        var m = Run(Input(InstitutionKind.PrivateUniversity, [G("US-AL", 2000, "name", "ssn")], protection: new() { ["ssn"] = new(true, true) }));
        Assert.Equal(Triggered.Yes, Row(m, "US-AL", "individuals").Triggered);
        var ag = Row(m, "US-AL", "regulator");
        Assert.Equal(Triggered.Yes, ag.Triggered);
        Assert.Contains(ag.Why, w => w.Contains("statute withdraws the safe harbour", StringComparison.Ordinal));
        Assert.Equal("2026-04-22T10:00:00-05:00", Local(ag.Due));
    }

    [Fact]
    public void Florida_no_harm_exception_needs_the_written_determination_before_it_applies()
    {
        var exposure = new[] { G("US-FL", 100, "name", "ssn") };
        var undecided = Row(Run(Input(InstitutionKind.PrivateUniversity, exposure)), "US-FL", "individuals");
        Assert.Equal(Triggered.Yes, undecided.Triggered);

        var determined = CounselFacts.None.With("no-harm.US-FL", "true");
        var notDocumented = Row(Run(Input(InstitutionKind.PrivateUniversity, exposure, determined)), "US-FL", "individuals");
        Assert.Equal(Triggered.NeedsDecision, notDocumented.Triggered);
        Assert.Contains(notDocumented.Why, w => w.Contains("in writing", StringComparison.Ordinal) && w.Contains("5 years", StringComparison.Ordinal));

        var documented = Row(Run(Input(InstitutionKind.PrivateUniversity, exposure, determined.With("no-harm-documented.US-FL", "true"))), "US-FL", "individuals");
        Assert.Equal(Triggered.No, documented.Triggered);
        Assert.Contains(documented.Why, w => w.Contains("no-harm exception applied", StringComparison.Ordinal));
    }

    [Fact]
    public void Texas_has_no_harm_exception_so_counsel_cannot_switch_it_off()
    {
        var facts = CounselFacts.None.With("no-harm", "true").With("no-harm-documented", "true");
        var m = Run(Input(InstitutionKind.PrivateUniversity, [G("US-TX", 300, "name", "ssn")], facts));
        Assert.Equal(Triggered.Yes, Row(m, "US-TX", "individuals").Triggered);
        var ag = Row(m, "US-TX", "regulator");
        Assert.Equal(Triggered.Yes, ag.Triggered);
        Assert.Equal("2026-04-07T10:00:00-05:00", Local(ag.Due));
    }

    [Fact]
    public void Texas_public_university_must_tell_DIR_within_48_hours_but_a_private_one_need_not()
    {
        var exposure = new[] { G("US-TX", 10, "name", "ssn") };
        var dir = Row(Run(Input(InstitutionKind.PublicUniversity, exposure)), "US-TX", "regulator-2");
        Assert.Equal(Triggered.Yes, dir.Triggered);
        Assert.Equal(Aware + Duration.FromHours(48), dir.Due);
        var privateRow = Row(Run(Input(InstitutionKind.PrivateUniversity, exposure)), "US-TX", "regulator-2");
        Assert.Equal(Triggered.No, privateRow.Triggered);
    }

    [Fact]
    public void New_Mexico_law_does_not_bind_a_state_university()
    {
        var exposure = new[] { G("US-NM", 5000, "name", "ssn") };
        var pub = Row(Run(Input(InstitutionKind.PublicUniversity, exposure)), "US-NM", "individuals");
        Assert.Equal(Triggered.No, pub.Triggered);
        Assert.Contains(pub.Why, w => w.Contains("political subdivisions", StringComparison.Ordinal));
        Assert.Equal(Triggered.Yes, Row(Run(Input(InstitutionKind.PrivateUniversity, exposure)), "US-NM", "individuals").Triggered);
    }

    [Fact]
    public void Pennsylvania_public_entities_count_seven_business_days_skipping_weekends()
    {
        var m = Run(Input(InstitutionKind.PublicUniversity, [G("US-PA", 10, "name", "ssn")]));
        var ind = Row(m, "US-PA", "individuals-public");
        // Sunday 8 March + 7 business days = Tuesday 17 March (no federal holiday in between).
        Assert.Equal("2026-03-17T10:00:00-05:00", Local(ind.Due));
    }

    [Fact]
    public void Vermont_preliminary_AG_notice_skips_federal_holidays()
    {
        var aware = IncidentTime.ParseInstant("2026-05-20T09:00", Chicago, "aware");
        var input = Input(InstitutionKind.PrivateUniversity, [G("US-VT", 3, "name", "ssn")]) with { AwareAt = aware, DetectedAt = aware };
        var ag = Row(NotificationEngine.Shipped.Compute(input, aware), "US-VT", "regulator");
        // 14 business days from Wed 20 May 2026: Memorial Day (25 May) and Juneteenth (19 Jun) fall outside or inside; Memorial Day is skipped.
        Assert.Equal("2026-06-10T09:00:00-05:00", Local(ag.Due));
    }

    [Fact]
    public void Brazil_ANPD_counts_three_business_days_on_the_Brazilian_calendar()
    {
        // Thursday 2 April 2026 13:00 Chicago; Good Friday (3 April) and Tiradentes do not fall in between except Good Friday.
        var aware = IncidentTime.ParseInstant("2026-04-02T13:00", Chicago, "aware");
        var input = Input(InstitutionKind.PrivateUniversity, [G("BR", 10, "name", "financial_account_alone")], CounselFacts.None.With("risk-level", "risk")) with { AwareAt = aware, DetectedAt = aware };
        var anpd = Row(NotificationEngine.Shipped.Compute(input, aware), "BR-LGPD", "anpd");
        Assert.Equal(Triggered.Yes, anpd.Triggered);
        Assert.Equal("2026-04-08T13:00:00-05:00", Local(anpd.Due));
    }

    [Fact]
    public void GDPR_controller_owes_the_authority_72_hours_and_needs_a_risk_assessment_first()
    {
        var exposure = new[] { G("DE", 40, "name", "email"), G("FR", 3, "name", "email") };
        var sa = Row(Run(Input(InstitutionKind.PrivateUniversity, exposure)), "EU-GDPR", "supervisory-authority");
        Assert.Equal(Triggered.NeedsDecision, sa.Triggered);
        Assert.Equal(Aware + Duration.FromHours(72), sa.Due);
        Assert.Contains("DE, FR", sa.RecipientName, StringComparison.Ordinal);

        var assessed = Run(Input(InstitutionKind.PrivateUniversity, exposure, CounselFacts.None.With("risk-level", "risk").With("lead-sa", "IE")));
        Assert.Equal(Triggered.Yes, Row(assessed, "EU-GDPR", "supervisory-authority").Triggered);
        Assert.Equal("Lead supervisory authority (IE)", Row(assessed, "EU-GDPR", "supervisory-authority").RecipientName);
        Assert.Equal(Triggered.No, Row(assessed, "EU-GDPR", "individuals").Triggered);
    }

    [Fact]
    public void GDPR_processor_vendor_notifies_the_controller_not_the_authority()
    {
        var m = Run(Input(InstitutionKind.Vendor, [G("DE", 40, "name", "email")]));
        Assert.Equal(Triggered.Yes, Row(m, "EU-GDPR", "controller").Triggered);
        Assert.DoesNotContain(m.Obligations, o => o.Regime == "EU-GDPR" && o.Notice == "supervisory-authority");
        var asController = Run(Input(InstitutionKind.Vendor, [G("DE", 40, "name", "email")], CounselFacts.None.With("vendor-role", "controller")));
        Assert.Contains(asController.Obligations, o => o.Regime == "EU-GDPR" && o.Notice == "supervisory-authority");
    }

    [Fact]
    public void GDPR_individual_notice_is_exempt_for_encrypted_data_without_its_key()
    {
        var facts = CounselFacts.None.With("risk-level", "high");
        var m = Run(Input(InstitutionKind.PrivateUniversity, [G("DE", 40, "passport")], facts, new() { ["passport"] = new(true, false) }));
        Assert.Equal(Triggered.No, Row(m, "EU-GDPR", "individuals").Triggered);
        Assert.Equal(Triggered.Yes, Row(m, "EU-GDPR", "supervisory-authority").Triggered);
    }

    [Fact]
    public void GLBA_FTC_notice_needs_500_consumers_of_financial_aid_data()
    {
        var below = Row(Run(Input(InstitutionKind.PublicUniversity, [G("US-IL", 499, "name", "financial_aid")])), "US-GLBA", "ftc");
        Assert.Equal(Triggered.No, below.Triggered);
        var at = Row(Run(Input(InstitutionKind.PublicUniversity, [G("US-IL", 300, "financial_aid"), G("US-WI", 200, "financial_aid")])), "US-GLBA", "ftc");
        Assert.Equal(Triggered.Yes, at.Triggered);
        Assert.Equal(500, at.Affected);
        Assert.Equal("2026-04-07T10:00:00-05:00", Local(at.Due));
    }

    [Fact]
    public void FSA_report_is_due_by_the_end_of_the_detection_day_once_Title_IV_is_confirmed()
    {
        var exposure = new[] { G("US-IL", 1, "name", "email") };
        Assert.Equal(Triggered.NeedsDecision, Row(Run(Input(InstitutionKind.PublicUniversity, exposure)), "US-FSA", "fsa").Triggered);
        var fsa = Row(Run(Input(InstitutionKind.PublicUniversity, exposure, CounselFacts.None.With("title-iv", "true"))), "US-FSA", "fsa");
        Assert.Equal(Triggered.Yes, fsa.Triggered);
        Assert.Equal("2026-03-08T23:59:59-05:00", Local(fsa.Due));
    }

    [Fact]
    public void Japan_requires_a_PPC_report_above_1000_people_or_for_malicious_incidents_with_60_days()
    {
        var few = Run(Input(InstitutionKind.PrivateUniversity, [G("JP", 20, "name", "email")]));
        Assert.Equal(Triggered.NeedsDecision, Row(few, "JP-APPI", "ppc-final").Triggered);
        var malicious = Row(Run(Input(InstitutionKind.PrivateUniversity, [G("JP", 20, "name", "email")], CounselFacts.None.With("malicious-attack", "true"))), "JP-APPI", "ppc-final");
        Assert.Equal(Triggered.Yes, malicious.Triggered);
        Assert.Equal("2026-05-07T10:00:00-05:00", Local(malicious.Due));
        Assert.Equal(Triggered.Yes, Row(Run(Input(InstitutionKind.PrivateUniversity, [G("JP", 1001, "name", "email")])), "JP-APPI", "ppc-final").Triggered);
    }

    [Fact]
    public void Korea_notifies_individuals_for_any_leak_and_PIPC_at_1000()
    {
        var m = Run(Input(InstitutionKind.PrivateUniversity, [G("KR", 1000, "name", "email")]));
        Assert.Equal(Triggered.Yes, Row(m, "KR-PIPA", "individuals").Triggered);
        Assert.Equal(Triggered.Yes, Row(m, "KR-PIPA", "pipc").Triggered);
        Assert.Equal(Aware + Duration.FromHours(72), Row(m, "KR-PIPA", "pipc").Due);
    }

    [Fact]
    public void China_PIPL_applies_unless_counsel_rules_it_out()
    {
        var exposure = new[] { G("CN", 300, "name", "passport") };
        Assert.Equal(Triggered.Yes, Row(Run(Input(InstitutionKind.PrivateUniversity, exposure)), "CN-PIPL", "authorities").Triggered);
        var ruledOut = Row(Run(Input(InstitutionKind.PrivateUniversity, exposure, CounselFacts.None.With("applies.CN-PIPL", "false"))), "CN-PIPL", "authorities");
        Assert.Equal(Triggered.No, ruledOut.Triggered);
    }

    [Fact]
    public void Ontario_public_sector_law_does_not_reach_a_US_institution()
    {
        var on = Row(Run(Input(InstitutionKind.PublicUniversity, [G("CA-ON", 5, "name", "ssn")])), "CA-ON-FIPPA", "ipc");
        Assert.Equal(Triggered.No, on.Triggered);
        Assert.Contains(on.Why, w => w.Contains("established", StringComparison.Ordinal));
    }

    [Fact]
    public void Singapore_PDPC_is_triggered_by_scale_alone_at_500()
    {
        var m = Run(Input(InstitutionKind.PrivateUniversity, [G("SG", 500, "name", "email")]));
        Assert.Equal(Triggered.Yes, Row(m, "SG-PDPA", "pdpc").Triggered);
    }

    [Fact]
    public void Law_enforcement_delay_moves_the_individual_deadline()
    {
        var until = IncidentTime.ParseInstant("2026-03-20T10:00", Chicago, "until");
        var facts = CounselFacts.None.With("law-enforcement-delay-until", IncidentTime.Format(until, Chicago));
        var ind = Row(Run(Input(InstitutionKind.PrivateUniversity, [G("US-CO", 10, "name", "ssn")], facts)), "US-CO", "individuals");
        Assert.Equal("2026-04-19T10:00:00-05:00", Local(ind.Due));
        Assert.Contains(ind.Why, w => w.Contains("law enforcement", StringComparison.Ordinal));
    }

    [Fact]
    public void Vendor_customers_get_contract_obligations_and_renewals_in_the_response_period_are_at_risk()
    {
        var customers = new List<CustomerContract>
        {
            new() { Id = "lsu", Name = "Lakeshore State University", NoticeWindowHours = 24, Renewal = new DateOnly(2026, 3, 20) },
            new() { Id = "mcu", Name = "Mid City College", NoticeWindowHours = 72, Renewal = new DateOnly(2027, 1, 1), SecurityReview = new ReviewWindow { Start = new DateOnly(2026, 3, 1), End = new DateOnly(2026, 3, 31) } },
        };
        var input = Input(InstitutionKind.Vendor, [G("US-IL", 10, "name", "ssn")]) with { Customers = customers };
        var m = Run(input);
        var lsu = Row(m, "CONTRACT:lsu", "notice");
        Assert.Equal(Aware + Duration.FromHours(24), lsu.Due);
        Assert.Equal(Triggered.Yes, lsu.Triggered);
        Assert.Equal(["lsu", "mcu"], m.ContractsAtRisk.Select(r => r.Customer).Order().ToArray());
        Assert.Equal(Triggered.Yes, Row(m, "US-IL", "data-owner").Triggered);
    }

    [Fact]
    public void Matrix_is_sorted_by_due_time_with_undated_and_untriggered_rows_last()
    {
        var m = Run(Input(InstitutionKind.PrivateUniversity, [G("US-CA", 600, "name", "ssn"), G("DE", 10, "name", "email")], CounselFacts.None.With("risk-level", "high")));
        var dated = m.Obligations.TakeWhile(o => o.Due is not null && o.Triggered != Triggered.No).Select(o => o.Due!.Value).ToList();
        Assert.True(dated.Count > 3);
        Assert.Equal(dated.Order(), dated);
        Assert.Equal(Triggered.No, m.Obligations[^1].Triggered);
    }
}
