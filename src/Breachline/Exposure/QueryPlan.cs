using System.Globalization;
using Breachline.Common;
using Breachline.Exposure.Soql;
using Breachline.Notification;
using Breachline.Salesforce;
using nietras.SeparatedValues;
using NodaTime;

namespace Breachline.Exposure;

/// <summary>A bit per exported row: which records of an object left, each counted once.</summary>
internal sealed class RowBits
{
    private ulong[] _words = new ulong[1024];

    public long Count { get; private set; }

    /// <summary>Sets the bit; true when it was not set before.</summary>
    public bool Set(int row)
    {
        var w = row >> 6;
        if (w >= _words.Length)
        {
            Array.Resize(ref _words, Math.Max(w + 1, _words.Length * 2));
        }

        var mask = 1UL << (row & 63);
        if ((_words[w] & mask) != 0)
        {
            return false;
        }

        _words[w] |= mask;
        Count++;
        return true;
    }
}

/// <summary>One person's exposure so far.</summary>
internal sealed class PersonState
{
    public ulong Clear { get; set; }

    public ulong Masked { get; set; }

    public int Records { get; set; }

    public List<int> EducationPlans { get; } = [];
}

/// <summary>Everything the scans accumulate.</summary>
internal sealed class ScopeState(ElementCatalog elements)
{
    private readonly ulong _education = elements.InCategories(["education"]);

    public Dictionary<string, PersonState> People { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, RowBits> Records { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, long> WithoutPerson { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, long> Unattributed { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<(string Object, string Field), long> Unclassified { get; } = [];

    public ElementCatalog Elements => elements;

    public RowBits RecordsOf(string obj)
    {
        if (!Records.TryGetValue(obj, out var bits))
        {
            Records[obj] = bits = new RowBits();
        }

        return bits;
    }

    public void Accept(QueryPlan plan, string obj, RowBits bits, int row, string? personKey, ulong clear, ulong masked)
    {
        var isNew = bits.Set(row);
        plan.Taken++;
        plan.ElementsSeen |= clear | masked;
        if (isNew)
        {
            foreach (var field in plan.UnclassifiedFields)
            {
                Unclassified[(obj, field)] = Unclassified.GetValueOrDefault((obj, field)) + 1;
            }
        }

        if (personKey is null)
        {
            if (isNew)
            {
                WithoutPerson[obj] = WithoutPerson.GetValueOrDefault(obj) + 1;
            }

            return;
        }

        if (!People.TryGetValue(personKey, out var person))
        {
            People[personKey] = person = new PersonState();
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
            if (person.EducationPlans.Count == 0 || person.EducationPlans[^1] != plan.Index)
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

    public string? KeyOf(SepReader.Row row)
    {
        if (_key < 0)
        {
            return null;
        }

        if (_when >= 0 && SoqlEvaluator.ParseBool(row[_when].Span.Trim().ToString()) != true)
        {
            return null;
        }

        var span = row[_key].Span.Trim();
        if (span.IsEmpty && _fallback >= 0)
        {
            span = row[_fallback].Span.Trim();
        }

        return span.IsEmpty ? null : AccessModel.Short(span.ToString());
    }
}

/// <summary>The values a scan reads per row: plain columns and relationship lookups, each in one slot.</summary>
internal sealed class SlotMap(RecordFile file)
{
    private readonly Dictionary<string, int> _slots = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(int Slot, int Column)> _plain = [];
    private readonly List<(int Slot, int IdColumn, Dictionary<string, string> Map)> _related = [];

    public int Count => _slots.Count;

    public int Plain(string column)
    {
        if (_slots.TryGetValue(column, out var slot))
        {
            return slot;
        }

        slot = _slots.Count;
        _slots[column] = slot;
        _plain.Add((slot, file.IndexOf(column)));
        return slot;
    }

    public int Related(string path, int idColumn, Dictionary<string, string> map)
    {
        if (_slots.TryGetValue(path, out var slot))
        {
            return slot;
        }

        slot = _slots.Count;
        _slots[path] = slot;
        _related.Add((slot, idColumn, map));
        return slot;
    }

    public void Fill(SepReader.Row row, string?[] values)
    {
        foreach (var (slot, column) in _plain)
        {
            var span = row[column].Span;
            values[slot] = span.IsEmpty ? null : span.ToString();
        }

        foreach (var (slot, idColumn, map) in _related)
        {
            var id = row[idColumn].Span.Trim();
            values[slot] = id.IsEmpty ? null : map.GetValueOrDefault(AccessModel.Short(id.ToString()));
        }
    }
}

/// <summary>A row that matched a query with ORDER BY and LIMIT/OFFSET, kept until the order is known.</summary>
internal sealed record Candidate(int Row, string?[] Keys, string? Person, ulong Clear, ulong Masked);

/// <summary>A relationship path resolved to the lookup column and a map of the related records' values.</summary>
internal sealed record RelationshipLookup(string Path, int IdColumn, string TargetObject, string TargetField, Dictionary<string, string> Map);

/// <summary>Where one selected field's element comes from in a row.</summary>
internal sealed record ElementSource(int Column, string? RelatedPath, ulong Clear, ulong Masked);

/// <summary>One query, planned: what it reads, the filter to run, and what it has returned so far.</summary>
internal sealed class QueryPlan(ExfiltrationQuery source, int index)
{
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

    public Func<string?[], bool>? Predicate { get; private set; }

    public int[] OrderSlots { get; private set; } = [];

    public bool Buffered => Query is { OrderBy.Count: > 0 } q && (q.Limit is not null || q.Offset is not null);

    public List<Candidate> Buffer { get; } = [];

    public long Taken { get; set; }

    public long Skipped { get; set; }

    public bool Finished { get; set; }

    public ulong ElementsSeen { get; set; }

    public long EducationRecords { get; set; }

    public long EducationStudents { get; set; }

    private int[] _relatedSlots = [];

    public void Prepare(SlotMap slots)
    {
        var related = Relationships.ToDictionary(r => r.Path, StringComparer.OrdinalIgnoreCase);
        int Slot(FieldPath path) =>
            related.TryGetValue(path.Text, out var r) ? slots.Related(r.Path, r.IdColumn, r.Map) : slots.Plain(path.Parts[^1]);
        Predicate = SoqlEvaluator.Compile(Filter, Slot, Clock);
        OrderSlots = Buffered ? [.. Query!.OrderBy.Select(o => Slot(o.Field))] : [];
        _relatedSlots = [.. Sources.Select(s => s.RelatedPath is null ? -1 : Slot(FieldPath.Of(s.RelatedPath)))];
    }

    /// <summary>The elements a returned row exposes: each selected classified field with a value, plus the object's record elements.</summary>
    public (ulong Clear, ulong Masked) ElementsOf(SepReader.Row row, string?[] values)
    {
        var clear = RecordElements;
        ulong masked = 0;
        for (var i = 0; i < Sources.Count; i++)
        {
            var s = Sources[i];
            bool present;
            if (s.RelatedPath is not null)
            {
                present = !string.IsNullOrEmpty(values[_relatedSlots[i]]);
            }
            else
            {
                // A field the export lacks cannot be checked for a value: it counts (conservative).
                present = s.Column < 0 || !row[s.Column].Span.Trim().IsEmpty;
            }

            if (present)
            {
                clear |= s.Clear;
                masked |= s.Masked;
            }
        }

        return (clear, masked);
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
        foreach (var path in Paths(where).Distinct())
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

    private static IEnumerable<FieldPath> Paths(SoqlExpr expr) => expr switch
    {
        AndExpr a => Paths(a.Left).Concat(Paths(a.Right)),
        OrExpr o => Paths(o.Left).Concat(Paths(o.Right)),
        NotExpr n => Paths(n.Inner),
        ConditionExpr c => [c.Field],
        _ => [],
    };

    private static string? Unresolvable(RecordFile file, SoqlExpr expr, QueryPlan? plan = null) =>
        Paths(expr).FirstOrDefault(p => !Resolvable(file, p, plan))?.Text;

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
