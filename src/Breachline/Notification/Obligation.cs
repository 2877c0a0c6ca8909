using System.Text.Json;
using System.Text.Json.Serialization;
using Breachline.Incidents;
using NodaTime;

namespace Breachline.Notification;

/// <summary>Whether an obligation is triggered; written to JSON as true, false or "needs-decision".</summary>
[JsonConverter(typeof(TriggeredJsonConverter))]
public enum Triggered
{
    /// <summary>Not triggered.</summary>
    No,

    /// <summary>Triggered.</summary>
    Yes,

    /// <summary>Counsel must decide; the why trace says what.</summary>
    NeedsDecision,
}

/// <summary>One row of the notification matrix.</summary>
/// <param name="Regime">Regime id (US-CA, EU-GDPR, CONTRACT:&lt;customer&gt;, SOC2).</param>
/// <param name="Notice">The notice's id within the regime (individuals, regulator, cra, …).</param>
/// <param name="Recipient">individuals, regulator, cra, data-owner, media, auditor, internal or customer.</param>
/// <param name="RecipientName">Who exactly.</param>
/// <param name="Triggered">Yes, no or needs-decision.</param>
/// <param name="Why">The trace: elements, counts against thresholds, exceptions applied, decisions pending.</param>
/// <param name="Affected">Individuals the notice concerns.</param>
/// <param name="Due">The due instant, or null where the law sets no number.</param>
/// <param name="DueText">The statute's words, and how the due time was computed.</param>
/// <param name="Citation">The legal or contractual source.</param>
/// <param name="Source">Law, contract or protocol.</param>
/// <param name="Template">Draft template id.</param>
/// <param name="Elements">Triggering element tokens.</param>
public sealed record Obligation(
    string Regime,
    string Notice,
    string Recipient,
    string RecipientName,
    [property: JsonConverter(typeof(TriggeredJsonConverter))] Triggered Triggered,
    IReadOnlyList<string> Why,
    long Affected,
    Instant? Due,
    string DueText,
    string Citation,
    DeadlineSource Source,
    string Template,
    IReadOnlyList<string> Elements)
{
    /// <summary>Stable id, e.g. law:US-CA:individuals.</summary>
    public string Id => $"{(Source == DeadlineSource.Contract ? "contract" : Source == DeadlineSource.Protocol ? "protocol" : "law")}:{Regime}:{Notice}";
}

/// <summary>A customer contract whose renewal or security review falls inside the response period.</summary>
/// <param name="Customer">Customer id.</param>
/// <param name="Name">Institution.</param>
/// <param name="Reason">Renewal or review, with the date.</param>
/// <param name="Date">The date at risk.</param>
public sealed record ContractAtRisk(string Customer, string Name, string Reason, LocalDate Date);

/// <summary>The matrix: every obligation considered (triggered or not) and the contracts at risk.</summary>
/// <param name="Obligations">Sorted by due time, overdue first, undated last.</param>
/// <param name="ContractsAtRisk">Contracts whose renewal or review window falls in the response period.</param>
/// <param name="ResponsePeriodEnd">The last dated triggered deadline: the end of the response period.</param>
public sealed record NotificationMatrix(IReadOnlyList<Obligation> Obligations, IReadOnlyList<ContractAtRisk> ContractsAtRisk, Instant ResponsePeriodEnd);

internal sealed class TriggeredJsonConverter : JsonConverter<Triggered>
{
    public override Triggered Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => Triggered.Yes,
        JsonTokenType.False => Triggered.No,
        JsonTokenType.String when reader.GetString() == "needs-decision" => Triggered.NeedsDecision,
        _ => throw new JsonException("triggered is true, false or \"needs-decision\""),
    };

    public override void Write(Utf8JsonWriter writer, Triggered value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case Triggered.Yes:
                writer.WriteBooleanValue(true);
                break;
            case Triggered.No:
                writer.WriteBooleanValue(false);
                break;
            default:
                writer.WriteStringValue("needs-decision");
                break;
        }
    }
}
