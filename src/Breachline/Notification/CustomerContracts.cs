using Breachline.Common;

namespace Breachline.Notification;

/// <summary>customers.yaml of a vendor's org export: the institutions it serves and what their agreements say.</summary>
public sealed class CustomerFile
{
    /// <summary>The customers.</summary>
    public List<CustomerContract> Customers { get; set; } = [];

    /// <summary>Loads and validates customers.yaml.</summary>
    /// <exception cref="InputException">Malformed file or invalid entries, each named with line and field.</exception>
    public static IReadOnlyList<CustomerContract> Load(string path)
    {
        var file = DataFile.LoadFile<CustomerFile>(path);
        var errors = new DataFileErrors(path);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in file.Customers)
        {
            if (string.IsNullOrWhiteSpace(c.Id) || !c.Id.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'))
            {
                errors.Add(c.Line, c.Id, "id", "is required: letters, digits, - and _");
            }
            else if (!ids.Add(c.Id))
            {
                errors.Add(c.Line, c.Id, "id", "appears twice");
            }

            if (string.IsNullOrWhiteSpace(c.Name))
            {
                errors.Add(c.Line, c.Id, "name", "is required");
            }

            if (c.NoticeWindowHours is < 0 or 0)
            {
                errors.Add(c.Line, c.Id, "noticeWindowHours", "must be positive");
            }

            // The sample generator (and many CRM exports) state the review window as days before renewal.
            c.Renewal ??= c.RenewalDate;
            c.Contact ??= c.SecurityContact;
            if (c.SecurityReview is null && c.SecurityReviewWindowDays is { } days && c.Renewal is { } renewal)
            {
                c.SecurityReview = new ReviewWindow { Line = c.Line, Start = renewal.AddDays(-days), End = renewal };
            }

            if (c.SecurityReview is { } r && r.End < r.Start)
            {
                errors.Add(r.Line, c.Id, "securityReview.end", "is before start");
            }
        }

        errors.ThrowIfAny();
        return file.Customers;
    }
}

/// <summary>One customer institution's agreement.</summary>
public sealed class CustomerContract : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>Customer id, used in CONTRACT:&lt;id&gt;.</summary>
    public string Id { get; set; } = "";

    /// <summary>Institution name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Hours after awareness within which the agreement requires notice (often 24, 48 or 72).</summary>
    public int NoticeWindowHours { get; set; } = 72;

    /// <summary>The clause, e.g. "MSA §9.2".</summary>
    public string? Clause { get; set; }

    /// <summary>Who receives the notice.</summary>
    public string? Contact { get; set; }

    /// <summary>Contract renewal date.</summary>
    public DateOnly? Renewal { get; set; }

    /// <summary>The institution's procurement security review window (HECVAT etc.).</summary>
    public ReviewWindow? SecurityReview { get; set; }

    /// <summary>Institution kind (public-university, private-university), for the customer's own duties.</summary>
    public string? Kind { get; set; }

    /// <summary>Where the institution is established (ISO 3166-2).</summary>
    public string? Jurisdiction { get; set; }

    /// <summary>The customer's Account id in the vendor's org.</summary>
    public string? AccountId { get; set; }

    /// <summary>Security contact; used as <see cref="Contact"/> when that is not given.</summary>
    public string? SecurityContact { get; set; }

    /// <summary>Renewal date under its other common name; used as <see cref="Renewal"/> when that is not given.</summary>
    public DateOnly? RenewalDate { get; set; }

    /// <summary>Days before renewal that the security review runs; gives <see cref="SecurityReview"/> when that is not given.</summary>
    public int? SecurityReviewWindowDays { get; set; }
}

/// <summary>A review window.</summary>
public sealed class ReviewWindow : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>First day.</summary>
    public DateOnly Start { get; set; }

    /// <summary>Last day.</summary>
    public DateOnly End { get; set; }
}
