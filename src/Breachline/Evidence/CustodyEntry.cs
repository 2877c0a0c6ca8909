using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Breachline.Evidence;

/// <summary>Actions recorded on evidence (NIST SP 800-86: who, when, what, why).</summary>
public static class CustodyActions
{
    /// <summary>An object was collected (or collected again, unchanged).</summary>
    public const string Collected = "collected";

    /// <summary>Evidence was read for analysis (a pipeline run reading a snapshot).</summary>
    public const string Accessed = "accessed";

    /// <summary>Evidence left the vault in a bundle.</summary>
    public const string Exported = "exported";

    /// <summary>The vault was verified and found intact.</summary>
    public const string Verified = "verified";

    /// <summary>The evidence set was declared complete (for example at report time).</summary>
    public const string Sealed = "sealed";
}

/// <summary>What a custody entry says about one collected item.</summary>
/// <param name="Id">Item id.</param>
/// <param name="Path">Path inside the export.</param>
/// <param name="Kind">Kind name.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Source">Where the bytes came from.</param>
/// <param name="ObservedFrom">First event time.</param>
/// <param name="ObservedTo">Last event time.</param>
public sealed record CustodyItem(string Id, string Path, string Kind, long Size, string Source, DateTimeOffset? ObservedFrom, DateTimeOffset? ObservedTo);

/// <summary>
/// One entry of the custody log, a leaf of the Merkle tree. The leaf is the entry's exact UTF-8 bytes as
/// first written (compact JSON, fixed member order, one line); they are stored and exported verbatim and never
/// re-serialised, so anyone can recompute SHA-256(0x00 ‖ bytes). Relaxed escaping keeps '+' and non-ASCII names
/// readable; JSON still escapes control characters, so an entry never spans two lines. Each entry also names the previous leaf hash,
/// which localises a deletion or a reordering to the entry where the chain breaks.
/// </summary>
/// <param name="Seq">Leaf index, from 0.</param>
/// <param name="Vault">The vault's id, so an entry cannot be replayed into another vault.</param>
/// <param name="Prev">Leaf hash of entry <c>Seq - 1</c>, hex; empty for the first.</param>
/// <param name="Action">One of <see cref="CustodyActions"/>.</param>
/// <param name="Time">When (the injected clock).</param>
/// <param name="Actor">Who.</param>
/// <param name="Purpose">Why.</param>
/// <param name="Objects">SHA-256 of the objects concerned.</param>
/// <param name="Item">For <c>collected</c>: the item.</param>
public sealed record CustodyEntry(
    long Seq,
    string Vault,
    string Prev,
    string Action,
    DateTimeOffset Time,
    string Actor,
    string Purpose,
    IReadOnlyList<string> Objects,
    CustodyItem? Item)
{
    /// <summary>The canonical bytes of this entry: the Merkle leaf.</summary>
    public byte[] Encode()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("seq", Seq);
            w.WriteString("vault", Vault);
            w.WriteString("prev", Prev);
            w.WriteString("action", Action);
            w.WriteString("time", FormatTime(Time));
            w.WriteString("actor", Actor);
            w.WriteString("purpose", Purpose);
            w.WriteStartArray("objects");
            foreach (var o in Objects)
            {
                w.WriteStringValue(o);
            }

            w.WriteEndArray();
            if (Item is { } item)
            {
                w.WriteStartObject("item");
                w.WriteString("id", item.Id);
                w.WriteString("path", item.Path);
                w.WriteString("kind", item.Kind);
                w.WriteNumber("size", item.Size);
                w.WriteString("source", item.Source);
                WriteTime(w, "observedFrom", item.ObservedFrom);
                WriteTime(w, "observedTo", item.ObservedTo);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads an entry from its bytes.</summary>
    /// <exception cref="FormatException">The bytes are not a custody entry.</exception>
    public static CustodyEntry Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes.ToArray());
            var r = doc.RootElement;
            CustodyItem? item = null;
            if (r.TryGetProperty("item", out var i))
            {
                item = new CustodyItem(
                    i.GetProperty("id").GetString()!,
                    i.GetProperty("path").GetString()!,
                    i.GetProperty("kind").GetString()!,
                    i.GetProperty("size").GetInt64(),
                    i.GetProperty("source").GetString()!,
                    ReadTime(i, "observedFrom"),
                    ReadTime(i, "observedTo"));
            }

            return new CustodyEntry(
                r.GetProperty("seq").GetInt64(),
                r.GetProperty("vault").GetString()!,
                r.GetProperty("prev").GetString()!,
                r.GetProperty("action").GetString()!,
                ParseTime(r.GetProperty("time").GetString()!),
                r.GetProperty("actor").GetString()!,
                r.GetProperty("purpose").GetString()!,
                [.. r.GetProperty("objects").EnumerateArray().Select(o => o.GetString()!)],
                item);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new FormatException($"not a custody entry ({e.Message})", e);
        }
    }

    /// <summary>Instants in entries: ISO 8601 with offset, to the tick.</summary>
    public static string FormatTime(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Parses <see cref="FormatTime"/>.</summary>
    public static DateTimeOffset ParseTime(string text) => DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture);

    /// <summary>A short human line.</summary>
    public string Describe() =>
        $"#{Seq} {FormatTime(Time)} {Action} by {Actor}" + (Item is { } i ? $" {i.Id} {i.Path}" : $" {Objects.Count} object(s)") + $" — {Purpose}";

    /// <summary>The entry's text (for display).</summary>
    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            w.WriteString(name, FormatTime(t));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static DateTimeOffset? ReadTime(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? ParseTime(v.GetString()!) : null;
}
