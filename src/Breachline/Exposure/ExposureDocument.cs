namespace Breachline.Exposure;

/// <summary>
/// The <c>exposure</c> member of incident.json (docs/schema/exposure.schema.json): the counts other tools
/// read (individuals, records, byJurisdiction, byElement, byJurisdictionAndElement) and how each was reached.
/// </summary>
public sealed record ExposureDocument(
    long Individuals,
    IReadOnlyDictionary<string, long> Records,
    IReadOnlyDictionary<string, long> ByJurisdiction,
    IReadOnlyDictionary<string, long> ByElement,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> ByJurisdictionAndElement,
    long UnknownResidence,
    IReadOnlyDictionary<string, ProtectedElement> ProtectedElements,
    IReadOnlyDictionary<string, long> RecordsWithoutPerson,
    IReadOnlyDictionary<string, long> UnattributedRows,
    IReadOnlyList<UnclassifiedField> UnclassifiedFields,
    IReadOnlyList<ScopedQuery> Queries,
    IReadOnlyList<FerpaDisclosure> FerpaDisclosures,
    string? IndividualsList,
    string? FerpaRecord)
{
    /// <summary>Builds the member; output paths are made relative to <paramref name="workspaceRoot"/> when inside it.</summary>
    public static ExposureDocument From(ScopeResult r, string? workspaceRoot) => new(
        r.Individuals,
        r.Records,
        r.ByJurisdiction,
        r.ByElement,
        r.ByJurisdictionAndElement,
        r.UnknownResidence,
        r.ProtectedElements,
        r.RecordsWithoutPerson,
        r.UnattributedRows,
        r.Unclassified,
        r.Queries,
        r.FerpaDisclosures,
        Relative(r.Outputs.Individuals, workspaceRoot),
        Relative(r.Outputs.FerpaRecord, workspaceRoot));

    private static string? Relative(string? path, string? root) =>
        path is null ? null
        : root is not null && Path.GetFullPath(path).StartsWith(Path.GetFullPath(root), StringComparison.Ordinal) ? Path.GetRelativePath(root, path).Replace('\\', '/')
        : path;
}

