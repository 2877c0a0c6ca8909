using Breachline.Common;

namespace Breachline.Org;

/// <summary>What kind of organisation holds the data; breach laws treat each differently.</summary>
public enum InstitutionKind
{
    /// <summary>A public (state) university: often also a state agency under breach law.</summary>
    PublicUniversity,

    /// <summary>A private university or college.</summary>
    PrivateUniversity,

    /// <summary>An EdTech or CRM vendor acting for institutions (a processor / service provider).</summary>
    Vendor,
}

/// <summary>The facts of org.yaml: who the organisation is, its zone, and what it declares.</summary>
public sealed class OrgFacts : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>Organisation name, e.g. "Lakeshore State University".</summary>
    public string Name { get; set; } = "";

    /// <summary>Salesforce org id (00D…), 15 or 18 characters.</summary>
    public string? OrgId { get; set; }

    /// <summary>IANA time zone of the organisation, e.g. America/Chicago.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Institution kind: public-university, private-university or vendor.</summary>
    public string Kind { get; set; } = "public-university";

    /// <summary>Home jurisdiction (ISO 3166-2, e.g. US-IL): where the institution is established.</summary>
    public string? HomeJurisdiction { get; set; }

    /// <summary>Relative path of customers.yaml (vendors).</summary>
    public string? Customers { get; set; }

    /// <summary>The SOC 2 Type II audit period in force, if any.</summary>
    public AuditPeriodFacts? AuditPeriod { get; set; }

    /// <summary>Data flows the organisation declares, added to those discovered from metadata.</summary>
    public List<DataFlowFacts> DataFlows { get; set; } = [];

    /// <summary>The institution kind as an enum (validated at load).</summary>
    public InstitutionKind InstitutionKind => Kind switch
    {
        "public-university" => InstitutionKind.PublicUniversity,
        "private-university" => InstitutionKind.PrivateUniversity,
        "vendor" => InstitutionKind.Vendor,
        _ => throw new InvalidOperationException($"unvalidated institution kind '{Kind}'"),
    };

    /// <summary>Loads and validates org.yaml.</summary>
    /// <exception cref="InputException">Malformed YAML or invalid values, each named with its line.</exception>
    public static OrgFacts Load(string path)
    {
        var facts = DataFile.LoadFile<OrgFacts>(path);
        var errors = new DataFileErrors(path);
        if (string.IsNullOrWhiteSpace(facts.Name))
        {
            errors.Add(facts.Line, null, "name", "is required");
        }

        if (NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(facts.TimeZone) is null)
        {
            errors.Add(facts.Line, null, "timeZone", $"'{facts.TimeZone}' is not an IANA zone id such as America/Chicago");
        }

        if (facts.Kind is not ("public-university" or "private-university" or "vendor"))
        {
            errors.Add(facts.Line, null, "kind", $"'{facts.Kind}' is not one of public-university, private-university, vendor");
        }

        if (facts.OrgId is { } id && (id.Length is not (15 or 18) || !id.StartsWith("00D", StringComparison.Ordinal)))
        {
            errors.Add(facts.Line, null, "orgId", $"'{id}' is not a Salesforce org id (00D…, 15 or 18 characters)");
        }

        if (facts.AuditPeriod is { } period && period.End < period.Start)
        {
            errors.Add(period.Line, "auditPeriod", "end", "is before start");
        }

        errors.ThrowIfAny();
        return facts;
    }
}

/// <summary>A SOC 2 Type II audit period.</summary>
public sealed class AuditPeriodFacts : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>First day of the period.</summary>
    public DateOnly Start { get; set; }

    /// <summary>Last day of the period.</summary>
    public DateOnly End { get; set; }

    /// <summary>The service auditor's firm, for the auditor notice.</summary>
    public string? Auditor { get; set; }
}

/// <summary>A data flow the organisation declares in org.yaml.</summary>
public sealed class DataFlowFacts : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>Short name of the flow.</summary>
    public string Name { get; set; } = "";

    /// <summary>Source system.</summary>
    public string From { get; set; } = "";

    /// <summary>Destination system.</summary>
    public string To { get; set; } = "";

    /// <summary>Data element tokens the flow carries.</summary>
    public List<string> Elements { get; set; } = [];

    /// <summary>How the flow authenticates (oauth, api-key, password, none…).</summary>
    public string? Authentication { get; set; }

    /// <summary>Transport (https, sftp, ftp, http…).</summary>
    public string? Transport { get; set; }

    /// <summary>Whether requests are logged at the boundary.</summary>
    public bool? Logging { get; set; }
}
