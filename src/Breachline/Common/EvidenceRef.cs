namespace Breachline.Common;

/// <summary>
/// Where a fact came from: the SHA-256 of the evidence object (the vault is content-addressed, so any stage
/// that hashes the bytes it read names the same object the vault holds), the path inside the org export,
/// and the line when the fact is one row or element.
/// </summary>
/// <param name="Sha256">Lower-case hex SHA-256 of the whole file.</param>
/// <param name="Path">Path relative to the org export root, with forward slashes.</param>
/// <param name="Line">1-based line, when the fact sits on one line.</param>
public sealed record EvidenceRef(string Sha256, string Path, int? Line = null)
{
    /// <inheritdoc />
    public override string ToString() => Line is { } l ? $"{Path}:{l} (sha256:{Sha256[..12]})" : $"{Path} (sha256:{Sha256[..12]})";
}
