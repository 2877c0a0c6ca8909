using System.Globalization;
using Breachline.Common;
using Breachline.Exposure.Soql;
using Breachline.Notification;
using Breachline.Org;
using Breachline.Salesforce;
using nietras.SeparatedValues;
using NodaTime;

namespace Breachline.Exposure;

/// <summary>
/// Turns malicious queries into the people and data elements they exposed: each query is parsed, limited to
/// what its identity could read, evaluated against the record exports (one streaming pass per object, every
/// query on that object at once), and every returned record is resolved to a person whose residence is read
/// from their mailing address.
/// </summary>
public sealed class ScopeEngine(OrgExport org, ElementCatalog elements, Residence residence)
{
    private const int MaxRowProblemsPerFile = 100;

    /// <summary>Scopes with the shipped element list and region list.</summary>
    public ScopeEngine(OrgExport org)
        : this(org, ElementCatalog.Default, Residence.Shipped)
    {
    }

    /// <summary>Runs the scope.</summary>
    /// <exception cref="InputException">The classification file is malformed.</exception>
    public ScopeResult Run(ScopeRequest request, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var problems = new List<InputProblem>();
        var orgClassification = request.ClassificationFile ?? (File.Exists(Path.Combine(org.Root, "classification.yaml")) ? Path.Combine(org.Root, "classification.yaml") : null);
        var classification = FieldClassification.Load(orgClassification, elements);
        var store = RecordStore.Open(org.RecordsPath, org.Root);
        problems.AddRange(store.Problems);
        OrgMetadata? metadata = null;
        if (Directory.Exists(org.MetadataPath))
        {
            metadata = OrgMetadata.Load(org.MetadataPath, org.Root);
            problems.AddRange(metadata.Problems.Select(p => new InputProblem(p.Path, p.Line, p.Message)));
        }

        var access = new AccessModel(metadata, store, problems);
        var zone = org.Facts is { } facts ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(facts.TimeZone) ?? DateTimeZone.Utc : DateTimeZone.Utc;
        var state = new ScopeState(elements);
        var planner = new QueryPlanner(store, metadata, access, classification, zone, state);
        var plans = request.Queries.Select((q, i) => planner.Plan(q, i)).ToList();

        var byObject = plans.Where(p => p.File is not null && p.Scanned).GroupBy(p => p.File!.Object, StringComparer.OrdinalIgnoreCase).ToList();
        var done = 0;
        var resolver = new PersonResolver(residence);
        // A returned row of the first person object present is that person's own record (the one a later
        // pass would find first), so they are resolved from it during the scan.
        var firstPerson = classification.PersonObjects.FirstOrDefault(p => store.Find(p.Object) is not null);
        foreach (var group in byObject)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = group.First().File!;
            var own = firstPerson is not null && string.Equals(firstPerson.Object, file.Object, StringComparison.OrdinalIgnoreCase) ? PersonResolver.ColumnsOf(file, firstPerson) : null;
            Scan(file, [.. group], classification, state, problems, own is null ? null : (resolver, own));
            progress?.Report(0.8 * ++done / Math.Max(1, byObject.Count));
        }

        ResolvePeople(store, classification, state, resolver);
        progress?.Report(0.9);
        var result = Aggregate(request, plans, state, problems);
        progress?.Report(1);
        return result;
    }

    /// <summary>
    /// One streaming pass over an object's export for every query on it. Each row is read in place: the filters
    /// compare spans of the row Sep parsed, and only a returned row's person id is looked up; nothing per row
    /// is kept, so memory holds the people exposed and the rows an ORDER BY … LIMIT query still needs.
    /// </summary>
    private static void Scan(RecordFile file, List<QueryPlan> plans, FieldClassification classification, ScopeState state, List<InputProblem> problems, (PersonResolver Resolver, PersonRecordColumns Columns)? own)
    {
        var related = new RelatedCells();
        var link = classification.PersonOf(file.Object) is { } person
            ? PersonColumn.ForPerson(file, person)
            : classification.LinkOf(file.Object) is { } l ? PersonColumn.ForLink(file, l) : PersonColumn.None;
        foreach (var plan in plans)
        {
            plan.Prepare(file, related);
        }

        var relatedValues = new string?[related.Count];
        var expected = file.Columns.Count;
        var rowProblems = 0;
        long unreadable = 0;
        using var reader = RecordStore.OpenReader(file.Path);
        var index = -1;
        foreach (var row in reader)
        {
            index++;
            if (row.ColCount != expected)
            {
                // An unbalanced quote swallows the lines up to the next quote: every line it took was a record
                // that may have left, so each counts (conservative).
                // A quote left open to the end of the file takes the file's last line break with it.
                var last = row.LineNumberToExcl - 1 - (row.LineNumberToExcl - row.LineNumberFrom > 1 && row.Span.EndsWith('\n') ? 1 : 0);
                var lines = Math.Max(1, last - row.LineNumberFrom + 1);
                unreadable += lines;
                if (rowProblems++ < MaxRowProblemsPerFile)
                {
                    problems.Add(new InputProblem(file.RelativePath, row.LineNumberFrom, lines > 1
                        ? string.Create(CultureInfo.InvariantCulture, $"a quoted value opened here is not closed where the record should end ({row.ColCount} cells, the header has {expected}): lines {row.LineNumberFrom}–{last} cannot be read and count as returned without a person")
                        : string.Create(CultureInfo.InvariantCulture, $"row has {row.ColCount} cells, the header has {expected}: the record cannot be read and counts as returned without a person")));
                }

                continue;
            }

            // Invalid UTF-8 reaches us as U+FFFD; a filter reading such a cell cannot be trusted, so the row matches.
            var garbled = row.Span.Contains('\uFFFD');
            if (garbled && rowProblems++ < MaxRowProblemsPerFile)
            {
                problems.Add(new InputProblem(file.RelativePath, row.LineNumberFrom, "bytes that are not UTF-8 (read as U+FFFD): a filter on such a value counts the record as returned"));
            }

            if (related.Count > 0)
            {
                related.Fill(row, relatedValues);
            }

            var cells = new RecordCells(row, relatedValues);
            var rowCounted = false;
            RowMark? mark = null;
            var personRead = false;
            ReadOnlySpan<char> personKey = default;
            var active = 0;
            foreach (var plan in plans)
            {
                if (plan.Finished)
                {
                    continue;
                }

                active++;
                if (!plan.Predicate!(cells) && !(garbled && Garbled(row, plan.FilterColumns)))
                {
                    continue;
                }

                if (!personRead)
                {
                    personKey = link.KeyOf(row);
                    personRead = true;
                }

                var (clear, masked) = plan.ElementsOf(cells);
                if (plan.Buffered)
                {
                    mark ??= new RowMark(rowCounted);
                    var keys = new string?[plan.OrderCells.Length];
                    for (var k = 0; k < keys.Length; k++)
                    {
                        keys[k] = Value(row, relatedValues, plan.OrderCells[k]);
                    }

                    var candidate = new Candidate(index, keys, personKey.IsEmpty ? null : personKey.ToString(), clear, masked, mark);
                    if (plan.Offer(candidate) is { } pushedOut)
                    {
                        state.Accept(plan, file.Object, pushedOut.Mark.Take(), pushedOut.Person, pushedOut.Clear, pushedOut.Masked);
                    }

                    continue;
                }

                if (plan.Skipped < (plan.Query?.Offset ?? 0))
                {
                    plan.Skipped++;
                    continue;
                }

                bool isNew;
                if (mark is null)
                {
                    isNew = !rowCounted;
                    rowCounted = true;
                }
                else
                {
                    isNew = mark.Take();
                }

                state.Accept(plan, file.Object, isNew, personKey, clear, masked);
                if (own is { } o && !personKey.IsEmpty && state.Person(personKey) is { Object: null } exposed)
                {
                    o.Resolver.Resolve(exposed, row, o.Columns);
                }
                if (plan.Query?.Limit is { } limit && plan.Taken >= limit)
                {
                    plan.Finished = true;
                }
            }

            if (active == 0)
            {
                // Every query has taken its LIMIT: the rest of the file cannot add records.
                break;
            }
        }

        if (rowProblems > MaxRowProblemsPerFile)
        {
            problems.Add(new InputProblem(file.RelativePath, null, $"{rowProblems - MaxRowProblemsPerFile} more unreadable rows not listed"));
        }

        foreach (var plan in plans.Where(p => p.Buffered))
        {
            foreach (var c in plan.Returned())
            {
                state.Accept(plan, file.Object, c.Mark.Take(), c.Person, c.Clear, c.Masked);
            }
        }

        if (unreadable > 0)
        {
            state.Unattributed[file.Object] = state.Unattributed.GetValueOrDefault(file.Object) + unreadable;
        }

        foreach (var plan in plans)
        {
            if (unreadable > 0)
            {
                plan.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"{unreadable} rows of {file.RelativePath} could not be read; they are counted as unattributed rows (records that may have left, person unknown)"));
            }

            if (link.Missing is { } missing)
            {
                plan.Notes.Add(missing);
            }
        }
    }

    private static bool Garbled(SepReader.Row row, int[] columns)
    {
        foreach (var c in columns)
        {
            if (row[c].Span.Contains('\uFFFD'))
            {
                return true;
            }
        }

        return false;
    }

    private static string? Value(SepReader.Row row, string?[] related, int cell)
    {
        var span = cell >= 0 ? row[cell].Span : related[~cell].AsSpan();
        return span.IsEmpty ? null : span.ToString();
    }

    /// <summary>Reads the residence and masked name of every exposed person the scans did not meet in their own record.</summary>
    private static void ResolvePeople(RecordStore store, FieldClassification classification, ScopeState state, PersonResolver resolver)
    {
        foreach (var person in classification.PersonObjects)
        {
            if (store.Find(person.Object) is not { } file || state.People.Count == resolver.Resolved)
            {
                continue;
            }

            var key = PersonColumn.ForPerson(file, person);
            var columns = PersonResolver.ColumnsOf(file, person);
            using var reader = RecordStore.OpenReader(file.Path);
            foreach (var row in reader)
            {
                if (row.ColCount == file.Columns.Count && key.KeyOf(row) is { IsEmpty: false } k && state.Person(k) is { } found)
                {
                    resolver.Resolve(found, row, columns);
                    if (resolver.Resolved == state.People.Count)
                    {
                        break;
                    }
                }
            }
        }
    }

    private ScopeResult Aggregate(ScopeRequest request, List<QueryPlan> plans, ScopeState state, List<InputProblem> problems)
    {
        var byJurisdiction = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var byElement = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var both = new SortedDictionary<string, SortedDictionary<string, long>>(StringComparer.Ordinal);
        var maskedCounts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        ulong everClear = 0, everMasked = 0;
        foreach (var p in state.People.Values)
        {
            everClear |= p.Clear;
            everMasked |= p.Masked & ~p.Clear;
        }

        // An element protected for the whole exposure (never seen in clear) is reported to notify with its
        // protection; one that left in clear for anyone is counted in clear only, where it did.
        var protectedOnly = everMasked & ~everClear;
        var builder = new ExposureFactsBuilder(elements);
        foreach (var token in elements.Tokens(protectedOnly))
        {
            builder.Protect(token, new ElementProtection(true, false));
        }

        long individuals = 0, unknown = 0;
        string? individualsPath = null, ferpaPath = null;
        SepWriter? individualsCsv = null, ferpaCsv = null;
        var educationMask = elements.InCategories(["education"]);
        if (request.OutDir is { } outDir)
        {
            Directory.CreateDirectory(outDir);
            individualsPath = Path.Combine(outDir, "scope-individuals.csv");
            ferpaPath = Path.Combine(outDir, "scope-ferpa-disclosures.csv");
            individualsCsv = Sep.New(',').Writer(o => o with { Escape = true }).ToFile(individualsPath);
            ferpaCsv = Sep.New(',').Writer(o => o with { Escape = true }).ToFile(ferpaPath);
        }

        var party = Party(request);
        try
        {
            foreach (var (key, p) in state.People.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var masked = p.Masked & ~p.Clear;
                if ((p.Clear | masked) == 0)
                {
                    continue;
                }

                individuals++;
                var jurisdiction = p.Jurisdiction ?? Residence.Unknown;
                if (jurisdiction == Residence.Unknown)
                {
                    unknown++;
                }

                byJurisdiction[jurisdiction] = byJurisdiction.GetValueOrDefault(jurisdiction) + 1;
                if (!both.TryGetValue(jurisdiction, out var inner))
                {
                    both[jurisdiction] = inner = new SortedDictionary<string, long>(StringComparer.Ordinal);
                }

                foreach (var token in elements.Tokens(p.Clear))
                {
                    byElement[token] = byElement.GetValueOrDefault(token) + 1;
                    inner[token] = inner.GetValueOrDefault(token) + 1;
                }

                foreach (var token in elements.Tokens(masked))
                {
                    maskedCounts[token] = maskedCounts.GetValueOrDefault(token) + 1;
                }

                builder.Add(jurisdiction, p.Clear | (masked & protectedOnly));
                if (individualsCsv is not null)
                {
                    using var row = individualsCsv.NewRow();
                    row["PersonId"].Set(key);
                    row["Object"].Set(p.Object ?? "");
                    row["MaskedName"].Set(p.MaskedName ?? "");
                    row["Jurisdiction"].Set(jurisdiction);
                    row["Elements"].Set(string.Join(';', elements.Tokens(p.Clear)));
                    row["MaskedElements"].Set(string.Join(';', elements.Tokens(masked)));
                    row["Records"].Set(p.Records.ToString(CultureInfo.InvariantCulture));
                }

                if (ferpaCsv is not null && p.EducationPlans is { Count: > 0 })
                {
                    using var row = ferpaCsv.NewRow();
                    row["StudentId"].Set(key);
                    row["DisclosedAt"].Set(string.Join(';', p.EducationPlans.Select(i => plans[i].Source.Time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture))));
                    row["Records"].Set(string.Join(';', p.EducationPlans.Select(i => plans[i].ObjectName).Distinct(StringComparer.Ordinal)));
                    row["Party"].Set(party);
                    row["LegitimateInterest"].Set("none");
                }
            }
        }
        finally
        {
            individualsCsv?.Dispose();
            ferpaCsv?.Dispose();
        }

        var records = new SortedDictionary<string, long>(state.Records, StringComparer.Ordinal);

        var ferpa = plans
            .Where(p => p.EducationRecords > 0)
            .Select(p => new FerpaDisclosure(p.Source.Time, party, p.ObjectName!, p.EducationRecords, p.EducationStudents,
                elements.Tokens(p.ElementsSeen & educationMask), "none",
                "unauthorised disclosure of personally identifiable information from education records (34 CFR 99.32(a)); not a disclosure permitted by 34 CFR 99.31",
                p.Source.Evidence))
            .ToList();
        var facts2 = builder.Build() with { JurisdictionTotals = byJurisdiction.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal) };
        return new ScopeResult(
            individuals,
            records,
            byJurisdiction,
            byElement,
            both.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, long>)p.Value, StringComparer.Ordinal),
            maskedCounts.ToDictionary(p => p.Key, p => new ProtectedElement(p.Value, true, false), StringComparer.Ordinal),
            unknown,
            new SortedDictionary<string, long>(state.WithoutPerson, StringComparer.Ordinal),
            new SortedDictionary<string, long>(state.Unattributed, StringComparer.Ordinal),
            [.. state.Unclassified.OrderBy(u => u.Key.Object, StringComparer.Ordinal).ThenBy(u => u.Key.Field, StringComparer.Ordinal).Select(u => new UnclassifiedField(u.Key.Object, u.Key.Field, u.Value))],
            [.. plans.Select(p => p.ToScoped())],
            ferpa,
            new ScopeOutputs(individualsPath, ferpaPath),
            problems)
        {
            Facts = facts2,
        };
    }

    private static string Party(ScopeRequest request)
    {
        if (request.Via is { Length: > 0 } via)
        {
            return $"unauthorised party via {via}";
        }

        var users = request.Queries.Select(q => q.User).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return users.Count == 0 ? "unauthorised party" : $"unauthorised party via user {string.Join(", ", users)}";
    }
}
