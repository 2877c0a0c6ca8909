using System.Globalization;
using Breachline.Common;
using Breachline.Exposure.Soql;
using Breachline.Notification;
using Breachline.Salesforce;
using nietras.SeparatedValues;
using NodaTime;

namespace Breachline.Exposure;

/// <summary>One person's exposure so far, and (once resolved) who and where they are.</summary>
internal sealed class PersonState
{
    public ulong Clear { get; set; }

    public ulong Masked { get; set; }

    public int Records { get; set; }

    /// <summary>Plans (by index) that returned education records of this person; null until one does.</summary>
    public List<int>? EducationPlans { get; set; }

    /// <summary>The person object the residence was read from, once resolved.</summary>
    public string? Object { get; set; }

    public string? Jurisdiction { get; set; }

    public string? MaskedName { get; set; }
}

/// <summary>
/// Everything the scans accumulate. Memory grows with the people exposed (one entry per individual), never with
/// the records read: records are counted as they pass, each once, and rows are never kept.
/// </summary>
internal sealed class ScopeState
{
    private readonly ulong _education;
    private readonly Dictionary<string, PersonState>.AlternateLookup<ReadOnlySpan<char>> _peopleBySpan;

    public ScopeState(ElementCatalog elements)
    {
        Elements = elements;
        _education = elements.InCategories(["education"]);
        _peopleBySpan = People.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Exposed people by 15-character id.</summary>
    public Dictionary<string, PersonState> People { get; } = new(StringComparer.Ordinal);

    /// <summary>Distinct records returned, per object.</summary>
    public Dictionary<string, long> Records { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, long> WithoutPerson { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, long> Unattributed { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<(string Object, string Field), long> Unclassified { get; } = [];

    public ElementCatalog Elements { get; }

    /// <summary>The person with that key, when exposed (no allocation).</summary>
    public PersonState? Person(ReadOnlySpan<char> key) => _peopleBySpan.TryGetValue(key, out var p) ? p : null;

    /// <summary>Takes one returned record; <paramref name="isNew"/> when no other query returned that row before.</summary>
    public void Accept(QueryPlan plan, string obj, bool isNew, ReadOnlySpan<char> personKey, ulong clear, ulong masked)
    {
        plan.Taken++;
        plan.ElementsSeen |= clear | masked;
        if (isNew)
        {
            Records[obj] = Records.GetValueOrDefault(obj) + 1;
            foreach (var field in plan.UnclassifiedFields)
            {
                Unclassified[(obj, field)] = Unclassified.GetValueOrDefault((obj, field)) + 1;
            }
        }

        if (personKey.IsEmpty)
        {
            if (isNew)
            {
                WithoutPerson[obj] = WithoutPerson.GetValueOrDefault(obj) + 1;
            }

            return;
        }

        if (!_peopleBySpan.TryGetValue(personKey, out var person))
        {
            person = new PersonState();
            _peopleBySpan[personKey] = person;
        }

        person.Clear |= clear;
        person.Masked |= masked;
        if (isNew)
        {
            person.Records++;
        }

        if (((clear | masked) & _education) != 0)
        {
            plan.EducationRecords++;
            person.EducationPlans ??= [];
            if (!person.EducationPlans.Contains(plan.Index))
            {
                person.EducationPlans.Add(plan.Index);
                plan.EducationStudents++;
            }
        }
    }
}

/// <summary>Which column leads a record to its person.</summary>
internal sealed class PersonColumn
{
    private readonly int _key;
    private readonly int _fallback;
    private readonly int _when;

    private PersonColumn(int key, int fallback, int when, string? column, string? missing)
    {
        _key = key;
        _fallback = fallback;
        _when = when;
        Column = column;
        Missing = missing;
    }

    public static PersonColumn None { get; } = new(-1, -1, -1, null, null);

    /// <summary>The link column's name, when there is one.</summary>
    public string? Column { get; }

    /// <summary>Why records cannot lead to people, when they cannot.</summary>
    public string? Missing { get; }

    public static PersonColumn ForPerson(RecordFile file, PersonObject person)
    {
        var key = person.Key is null ? -1 : file.IndexOf(person.Key);
        return new PersonColumn(key >= 0 ? key : file.IndexOf("Id"), file.IndexOf("Id"), person.When is null ? -1 : file.IndexOf(person.When), "Id", null)
        {
            IsPersonObject = person.When is null || file.Has(person.When),
        };
    }

    public static PersonColumn ForLink(RecordFile file, PersonLink link)
    {
        var column = link.Person == "auto"
            ? file.Columns.FirstOrDefault(c => c.EndsWith("ContactId", StringComparison.OrdinalIgnoreCase) || c.EndsWith("Contact__c", StringComparison.OrdinalIgnoreCase))
            : file.Has(link.Person) ? link.Person : null;
        return column is null
            ? new PersonColumn(-1, -1, -1, null, link.Person == "auto"
                ? $"{file.RelativePath} has no Contact lookup column ({link.Rule}): its records lead to no person"
                : $"{file.RelativePath} has no {link.Person} column ({link.Rule}): its records lead to no person")
            : new PersonColumn(file.IndexOf(column), -1, -1, column, null);
    }

    public bool IsPersonObject { get; private init; }

    /// <summary>The person's 15-character id in the row, read in place; empty when the row leads to no person.</summary>
    public ReadOnlySpan<char> KeyOf(SepReader.Row row)
    {
        if (_key < 0)
        {
            return default;
        }

        if (_when >= 0 && SoqlEvaluator.ParseBool(row[_when].Span.Trim()) != true)
        {
            return default;
        }

        var span = row[_key].Span.Trim();
        if (span.IsEmpty && _fallback >= 0)
        {
            span = row[_fallback].Span.Trim();
        }

        return AccessModel.Short(span);
    }
}

/// <summary>
/// The relationship values a scan looks up per row (<c>Account.Name</c> through <c>AccountId</c>), each in one
/// slot that filters read as cell <c>~slot</c>; plain fields are read from the row where they are.
/// </summary>
internal sealed class RelatedCells
{
    private readonly Dictionary<string, int> _slots = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(int IdColumn, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Map)> _lookups = [];

    public int Count => _lookups.Count;

    /// <summary>The cell index of a relationship path.</summary>
    public int Cell(string path, int idColumn, Dictionary<string, string> map)
    {
        if (!_slots.TryGetValue(path, out var slot))
        {
            slot = _lookups.Count;
            _slots[path] = slot;
            _lookups.Add((idColumn, map.GetAlternateLookup<ReadOnlySpan<char>>()));
        }

        return ~slot;
    }

    public void Fill(SepReader.Row row, string?[] values)
    {
        for (var i = 0; i < _lookups.Count; i++)
        {
            var (idColumn, map) = _lookups[i];
            var id = AccessModel.Short(row[idColumn].Span.Trim());
            values[i] = !id.IsEmpty && map.TryGetValue(id, out var value) ? value : null;
        }
    }
}

/// <summary>Whether a row has been counted yet, shared by the candidates one row made for several queries.</summary>
internal sealed class RowMark(bool counted)
{
    public bool Counted { get; set; } = counted;

    /// <summary>Marks the row counted; true when it was not before.</summary>
    public bool Take()
    {
        var isNew = !Counted;
        Counted = true;
        return isNew;
    }
}

/// <summary>A row that matched a query with ORDER BY and LIMIT/OFFSET, kept until its place in the order is known.</summary>
internal sealed record Candidate(int Row, string?[] Keys, string? Person, ulong Clear, ulong Masked, RowMark Mark);

/// <summary>A relationship path resolved to the lookup column and a map of the related records' values.</summary>
internal sealed record RelationshipLookup(string Path, int IdColumn, string TargetObject, string TargetField, Dictionary<string, string> Map);

/// <summary>Where one selected field's element comes from in a row.</summary>
internal sealed record ElementSource(int Column, string? RelatedPath, ulong Clear, ulong Masked);

/// <summary>One query, planned: what it reads, the filter to run, and what it has returned so far.</summary>
internal sealed class QueryPlan(ExfiltrationQuery source, int index)
{
    // A selected field the export lacks: it cannot be checked for a value, so it counts (conservative).
    private const int Absent = int.MinValue;

    private int[] _sourceCells = [];
    private PriorityQueue<Candidate, Candidate>? _kept;

    public ExfiltrationQuery Source { get; } = source;

    public int Index { get; } = index;

    public SoqlQuery? Query { get; set; }

    public string? ObjectName { get; set; }

    public RecordFile? File { get; set; }

    public bool Scanned { get; set; }

    public QueryClock Clock { get; set; } = new(Instant.MinValue, DateTimeZone.Utc);

    public SoqlExpr Filter { get; set; } = TrueExpr.Instance;

    public List<RelationshipLookup> Relationships { get; } = [];

    public List<ElementSource> Sources { get; } = [];

    public ulong RecordElements { get; set; }

    public List<string> UnclassifiedFields { get; } = [];

    public List<FieldDecision> Fields { get; } = [];

    public List<SoqlProblem> NotUnderstood { get; } = [];

    public List<string> Notes { get; } = [];

    public string? ObjectAccess { get; set; }

    public string? Visibility { get; set; }

    /// <summary>The filter, compiled once for the scan.</summary>
    public RecordTest? Predicate { get; private set; }

    /// <summary>The CSV columns the filter reads (a row whose bytes there are not UTF-8 cannot be compared).</summary>
    public int[] FilterColumns { get; private set; } = [];

    public int[] OrderCells { get; private set; } = [];

    public bool Buffered => Query is { OrderBy.Count: > 0 } q && (q.Limit is not null || q.Offset is not null);

    public long Taken { get; set; }

    public long Skipped { get; set; }

    public bool Finished { get; set; }

    public ulong ElementsSeen { get; set; }

    public long EducationRecords { get; set; }

    public long EducationStudents { get; set; }

    public void Prepare(RecordFile file, RelatedCells related)
    {
        var byPath = Relationships.ToDictionary(r => r.Path, StringComparer.OrdinalIgnoreCase);
        int Cell(FieldPath path) =>
            byPath.TryGetValue(path.Text, out var r) ? related.Cell(r.Path, r.IdColumn, r.Map) : file.IndexOf(path.Parts[^1]);
        Predicate = SoqlEvaluator.Compile(Filter, Cell, Clock);
        FilterColumns = [.. Paths(Filter).Select(Cell).Where(c => c >= 0).Distinct()];
        OrderCells = Buffered ? [.. Query!.OrderBy.Select(o => Cell(o.Field))] : [];
        _sourceCells = [.. Sources.Select(s => s.RelatedPath is not null ? Cell(FieldPath.Of(s.RelatedPath)) : s.Column >= 0 ? s.Column : Absent)];
        if (Buffered)
        {
            var comparer = new CandidateComparer(Query!.OrderBy);
            _kept = new PriorityQueue<Candidate, Candidate>(Comparer<Candidate>.Create((x, y) => comparer.Compare(y, x)));
        }
    }

    internal static IEnumerable<FieldPath> Paths(SoqlExpr expr) => expr switch
    {
        AndExpr a => Paths(a.Left).Concat(Paths(a.Right)),
        OrExpr o => Paths(o.Left).Concat(Paths(o.Right)),
        NotExpr n => Paths(n.Inner),
        ConditionExpr c => [c.Field],
        _ => [],
    };

    /// <summary>The elements a returned row exposes: each selected classified field with a value, plus the object's record elements.</summary>
    public (ulong Clear, ulong Masked) ElementsOf(RecordCells cells)
    {
        var clear = RecordElements;
        ulong masked = 0;
        for (var i = 0; i < Sources.Count; i++)
        {
            var cell = _sourceCells[i];
            if (cell == Absent || !cells[cell].Trim().IsEmpty)
            {
                clear |= Sources[i].Clear;
                masked |= Sources[i].Masked;
            }
        }

        return (clear, masked);
    }

    /// <summary>
    /// Offers a matching row to an ORDER BY query with LIMIT/OFFSET. Only the first OFFSET + LIMIT rows in the
    /// query's order are kept (with OFFSET alone, the first OFFSET): memory is bounded by the query, not the
    /// file. Returns the row that can no longer be skipped when a query without LIMIT pushes one past its
    /// OFFSET (it is returned at once), otherwise null.
    /// </summary>
    public Candidate? Offer(Candidate candidate)
    {
        var keep = (long)(Query!.Offset ?? 0) + (Query.Limit ?? 0);
        Candidate? pushedOut;
        if (keep == 0)
        {
            pushedOut = candidate;
        }
        else if (_kept!.Count < keep)
        {
            _kept.Enqueue(candidate, candidate);
            return null;
        }
        else if (_kept.Comparer.Compare(candidate, _kept.Peek()) > 0)
        {
            // Earlier in the order than the last kept row: it takes that row's place.
            pushedOut = _kept.DequeueEnqueue(candidate, candidate);
        }
        else
        {
            pushedOut = candidate;
        }

        return Query.Limit is null ? pushedOut : null;
    }

    /// <summary>The kept rows the query returned, in its order, once the scan is over.</summary>
    public IEnumerable<Candidate> Returned()
    {
        if (_kept is null)
        {
            return [];
        }

        var kept = _kept.UnorderedItems.Select(i => i.Element).Order(new CandidateComparer(Query!.OrderBy)).Skip(Query.Offset ?? 0).ToList();
        _kept.Clear();
        // Without LIMIT every kept row lies within OFFSET: those are the rows skipped.
        return Query.Limit is { } limit ? kept.Take(limit) : [];
    }

    public ScopedQuery ToScoped() => new(
        Source.Time, Source.User, ObjectName, Source.Soql, Source.Rows, Taken, NotUnderstood.Count == 0, [.. NotUnderstood],
        ObjectAccess, Visibility, [.. Fields], [.. Notes.Concat(RowNote())], Source.Evidence);

    private IEnumerable<string> RowNote()
    {
        if (Scanned && Source.Rows >= 0 && Source.Rows != Taken)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"the log reports {Source.Rows} rows; the record export reconstructs {Taken} (an export taken at another time, or records the export lacks)");
        }
    }
}

/// <summary>Orders candidates by the ORDER BY keys, then by their place in the export (a stable order).</summary>
internal sealed class CandidateComparer(IReadOnlyList<SoqlOrder> order) : IComparer<Candidate>
{
    public int Compare(Candidate? x, Candidate? y)
    {
        for (var i = 0; i < order.Count; i++)
        {
            var c = OrderComparer.Compare(x!.Keys[i], y!.Keys[i], order[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return x!.Row.CompareTo(y!.Row);
    }
}

/// <summary>Orders ORDER BY keys the way SOQL does for the values a CSV holds: numbers as numbers, text without case, nulls first ascending.</summary>
internal static class OrderComparer
{
    public static int Compare(string? a, string? b, SoqlOrder order)
    {
        var nullsFirst = order.NullsFirst ?? !order.Descending;
        if (a is null || b is null)
        {
            return a is null && b is null ? 0 : (a is null) == nullsFirst ? -1 : 1;
        }

        var c = decimal.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && decimal.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
            ? x.CompareTo(y)
            : string.Compare(a, b, StringComparison.OrdinalIgnoreCase);
        return order.Descending ? -c : c;
    }
}

/// <summary>Plans each query: parse, identity, object and record access, field decisions, filter.</summary>
internal sealed class QueryPlanner(RecordStore store, OrgMetadata? metadata, AccessModel access, FieldClassification classification, DateTimeZone zone, ScopeState state)
{
    private static readonly Dictionary<string, string> StandardTargets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Owner"] = "User",
        ["CreatedBy"] = "User",
        ["LastModifiedBy"] = "User",
        ["Account"] = "Account",
        ["ReportsTo"] = "Contact",
        ["Contact"] = "Contact",
        ["Profile"] = "Profile",
        ["RecordType"] = "RecordType",
    };

    private readonly Dictionary<(string, string), Dictionary<string, string>> _lookups = [];
    private readonly List<InputProblem> _lookupProblems = [];

    public QueryPlan Plan(ExfiltrationQuery q, int index)
    {
        var plan = new QueryPlan(q, index) { Clock = new QueryClock(Instant.FromDateTimeOffset(q.Time), zone) };
        var parsed = string.IsNullOrWhiteSpace(q.Soql) ? null : SoqlParser.Parse(q.Soql, q.Object);
        plan.Query = parsed;
        if (parsed is not null)
        {
            plan.NotUnderstood.AddRange(parsed.NotUnderstood);
        }
        else
        {
            plan.NotUnderstood.Add(new SoqlProblem("select", 0, "(no SOQL text in the log)", "every readable field of every readable record counts"));
        }

        var obj = parsed?.Object ?? q.Object;
        plan.ObjectName = obj;
        if (obj is null)
        {
            plan.Notes.Add("neither the log nor the SOQL names an object: nothing can be scoped; review by hand");
            return plan;
        }

        if (parsed is { IsCount: true })
        {
            plan.Notes.Add("SELECT COUNT() returns a number and no records");
            return plan;
        }

        if (q.Rows == 0)
        {
            plan.Notes.Add("the log reports 0 rows returned: no records left");
            return plan;
        }

        var file = store.Find(obj);
        if (file is null && store.Unreadable.TryGetValue(obj, out var bad))
        {
            // The export is there but cannot be evaluated: every row the log reports (or, when it does not say,
            // every row of the file) may have left, and none can be led to a person.
            var rows = q.Rows >= 0 ? q.Rows : bad.Rows;
            state.Unattributed[obj] = state.Unattributed.GetValueOrDefault(obj) + Math.Max(0, rows);
            plan.Notes.Add(rows >= 0
                ? string.Create(CultureInfo.InvariantCulture, $"{bad.RelativePath} cannot be read ({bad.Reason}): the query is not evaluated and {rows} rows count as unattributed (records that may have left, person unknown)")
                : $"{bad.RelativePath} cannot be read ({bad.Reason}) and the log gives no row count: how many records left is unknown; review by hand");
            return plan;
        }

        if (file is null)
        {
            state.Unattributed[obj] = state.Unattributed.GetValueOrDefault(obj) + Math.Max(0, q.Rows);
            plan.Notes.Add(q.Rows > 0
                ? string.Create(CultureInfo.InvariantCulture, $"no records/{obj}.csv in the export: the {q.Rows} rows the log reports cannot be attributed to people")
                : $"no records/{obj}.csv in the export: its records cannot be attributed to people");
            return plan;
        }

        plan.File = file;
        var identity = access.Resolve(q.User);
        var returnedRows = q.Rows > 0;
        var objectAccess = access.Object(identity, obj, returnedRows);
        plan.ObjectAccess = objectAccess.Rule;
        if (!objectAccess.Read)
        {
            plan.Notes.Add("the identity could not read the object: no records left");
            return plan;
        }

        var visibility = access.Records(identity, objectAccess, obj, file);
        plan.Visibility = visibility.Rule;
        var visibilityFilter = visibility.Filter;
        if (Unresolvable(file, visibilityFilter) is { } missingVisibility)
        {
            plan.Notes.Add($"the sharing filter names {missingVisibility}, which the export lacks: every record taken as visible (conservative)");
            visibilityFilter = TrueExpr.Instance;
        }

        var link = classification.PersonOf(obj) is { } person ? PersonColumn.ForPerson(file, person) : classification.LinkOf(obj) is { } l ? PersonColumn.ForLink(file, l) : PersonColumn.None;
        if (classification.LinkOf(obj) is { } recordLink)
        {
            plan.RecordElements = state.Elements.Set(recordLink.RecordElements);
        }

        var named = parsed?.Fields is not null;
        var fields = parsed?.Fields ?? [.. file.Columns.Select(FieldPath.Of)];
        foreach (var f in fields.Distinct())
        {
            Decide(plan, file, identity, f, named && returnedRows, link.Column);
        }

        var where = parsed?.Where ?? TrueExpr.Instance;
        foreach (var path in QueryPlan.Paths(where).Distinct())
        {
            if (path.IsRelationship && !IsSelf(obj, path))
            {
                Relationship(plan, file, path);
            }
        }

        if (Unresolvable(file, where, plan) is { } missing)
        {
            plan.NotUnderstood.Add(new SoqlProblem("where", 0, missing, "the filter names a field the export lacks (or a relationship that cannot be followed): the filter is ignored, so every readable record counts"));
            where = TrueExpr.Instance;
        }

        if (parsed is { OrderBy.Count: > 0 } && (parsed.Limit is not null || parsed.Offset is not null))
        {
            foreach (var o in parsed.OrderBy.Where(o => o.Field.IsRelationship && !IsSelf(obj, o.Field)))
            {
                Relationship(plan, file, o.Field);
            }

            if (parsed.OrderBy.Any(o => !Resolvable(file, o.Field, plan)))
            {
                plan.NotUnderstood.Add(new SoqlProblem("order-by", 0, string.Join(", ", parsed.OrderBy.Select(o => o.Field.Text)), "an ORDER BY field is not in the export: LIMIT and OFFSET are ignored"));
                plan.Query = parsed with { Limit = null, Offset = null, OrderBy = [] };
            }
        }

        plan.Filter = visibilityFilter is TrueExpr ? where : where is TrueExpr ? visibilityFilter : new AndExpr(visibilityFilter, where);
        plan.Scanned = true;
        return plan;
    }

    private void Decide(QueryPlan plan, RecordFile file, Identity identity, FieldPath path, bool namedAndReturned, string? linkColumn)
    {
        var obj = file.Object;
        if (path.IsRelationship && !IsSelf(obj, path))
        {
            var rel = Relationship(plan, file, path);
            if (rel is null)
            {
                plan.Fields.Add(new FieldDecision(path.Text, null, "relationship not resolved", true, false, "the lookup column or the related export is missing"));
                plan.UnclassifiedFields.Add(path.Text);
                return;
            }

            var cls = classification.Classify(rel.TargetObject, rel.TargetField, FieldType(rel.TargetObject, rel.TargetField));
            var fa = access.Field(identity, rel.TargetObject, rel.TargetField, namedAndReturned);
            plan.Fields.Add(new FieldDecision(path.Text, cls.Element, cls.Rule, fa.Readable, fa.Masked, fa.Access()));
            Add(plan, fa, cls, path.Text, -1, rel.Path);
            return;
        }

        var field = path.Parts[^1];
        if (linkColumn is not null && string.Equals(field, linkColumn, StringComparison.OrdinalIgnoreCase) && !string.Equals(field, "Id", StringComparison.OrdinalIgnoreCase))
        {
            plan.Fields.Add(new FieldDecision(field, FieldClassification.None, "the link to the person (an id, not an element)", true, false, "link"));
            return;
        }

        var c = classification.Classify(obj, field, FieldType(obj, field));
        var a = access.Field(identity, obj, field, namedAndReturned);
        var column = file.IndexOf(field);
        var decision = new FieldDecision(field, c.Element, c.Rule, a.Readable, a.Masked, a.Access());
        plan.Fields.Add(decision);
        if (column < 0 && a.Readable && c.IsElement)
        {
            plan.Notes.Add($"{field} is not in {file.RelativePath}: taken as exposed for every returned record (conservative)");
        }

        Add(plan, a, c, field, column, null);
    }

    private static void Add(QueryPlan plan, FieldAccess access, FieldClass cls, string field, int column, string? related)
    {
        if (!access.Readable)
        {
            return;
        }

        if (cls.Element is null)
        {
            plan.UnclassifiedFields.Add(field);
            return;
        }

        if (!cls.IsElement)
        {
            return;
        }

        var bit = ElementBit(cls.Element!);
        plan.Sources.Add(new ElementSource(column, related, access.Masked ? 0 : bit, access.Masked ? bit : 0));
    }

    private static ulong ElementBit(string token) => ElementCatalog.Default.Bit(token);

    private string? FieldType(string obj, string field) =>
        metadata?.Object(obj)?.Fields.FirstOrDefault(f => string.Equals(f.Name, field, StringComparison.OrdinalIgnoreCase))?.Type?.Value;

    private static bool IsSelf(string obj, FieldPath path) => path.Parts.Count == 2 && string.Equals(path.Parts[0], obj, StringComparison.OrdinalIgnoreCase);

    private RelationshipLookup? Relationship(QueryPlan plan, RecordFile file, FieldPath path)
    {
        if (plan.Relationships.FirstOrDefault(r => string.Equals(r.Path, path.Text, StringComparison.OrdinalIgnoreCase)) is { } known)
        {
            return known;
        }

        if (path.Parts.Count != 2)
        {
            return null;
        }

        var rel = path.Parts[0];
        var idColumn = rel.EndsWith("__r", StringComparison.OrdinalIgnoreCase) ? rel[..^1] + "c" : rel + "Id";
        var idIndex = file.IndexOf(idColumn);
        if (idIndex < 0)
        {
            return null;
        }

        var target = TargetOf(file, idColumn) ?? StandardTargets.GetValueOrDefault(rel) ?? (store.Find(idColumn) is not null ? idColumn : null);
        if (target is null || store.Find(target) is not { } targetFile || !targetFile.Has(path.Parts[1]))
        {
            return null;
        }

        if (!_lookups.TryGetValue((target, path.Parts[1]), out var map))
        {
            map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var v in store.ReadColumns(targetFile, ["Id", path.Parts[1]], _lookupProblems))
            {
                if (v[0].Length > 0 && v[1].Length > 0)
                {
                    map[AccessModel.Short(v[0])] = v[1];
                }
            }

            _lookups[(target, path.Parts[1])] = map;
        }

        var lookup = new RelationshipLookup(path.Text, idIndex, target, path.Parts[1], map);
        plan.Relationships.Add(lookup);
        return lookup;
    }

    private string? TargetOf(RecordFile file, string idColumn)
    {
        foreach (var v in store.ReadColumns(file, [idColumn], _lookupProblems).Take(200))
        {
            if (v[0].Length >= 15)
            {
                return store.ObjectOfPrefix(v[0][..3]);
            }
        }

        return null;
    }

    private static string? Unresolvable(RecordFile file, SoqlExpr expr, QueryPlan? plan = null) =>
        QueryPlan.Paths(expr).FirstOrDefault(p => !Resolvable(file, p, plan))?.Text;

    private static bool Resolvable(RecordFile file, FieldPath path, QueryPlan? plan) =>
        !path.IsRelationship || IsSelf(file.Object, path)
            ? file.Has(path.Parts[^1])
            : plan?.Relationships.Any(r => string.Equals(r.Path, path.Text, StringComparison.OrdinalIgnoreCase)) == true;
}

/// <summary>Describes a field access decision for people.</summary>
internal static class FieldAccessText
{
    public static string Access(this FieldAccess access) => access.Rule;
}
