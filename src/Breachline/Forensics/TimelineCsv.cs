using System.Globalization;
using nietras.SeparatedValues;

namespace Breachline.Forensics;

/// <summary>Writes a hunt's timeline as CSV (one row per entry, evidence in three columns) for spreadsheets and SIEMs.</summary>
public static class TimelineCsv
{
    /// <summary>The columns, in order.</summary>
    public static readonly IReadOnlyList<string> Columns =
        ["time", "kind", "eventType", "user", "ip", "session", "what", "evidencePath", "evidenceLine", "evidenceSha256"];

    /// <summary>Writes <paramref name="result"/>'s timeline to <paramref name="path"/>.</summary>
    public static void Write(HuntResult result, string path)
    {
        using var writer = Sep.New(',').Writer(o => o with { Escape = true }).ToFile(path);
        if (result.Timeline.Count == 0)
        {
            writer.Header.Add([.. Columns]);
            writer.Header.Write();
        }

        foreach (var entry in result.Timeline)
        {
            using var row = writer.NewRow();
            row["time"].Set(entry.Time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture));
            row["kind"].Set(entry.Kind);
            row["eventType"].Set(entry.EventType);
            row["user"].Set(entry.User ?? "");
            row["ip"].Set(entry.Ip ?? "");
            row["session"].Set(entry.Session ?? "");
            row["what"].Set(entry.What);
            row["evidencePath"].Set(entry.Evidence.Path);
            row["evidenceLine"].Set(entry.Evidence.Line?.ToString(CultureInfo.InvariantCulture) ?? "");
            row["evidenceSha256"].Set(entry.Evidence.Sha256);
        }
    }
}
