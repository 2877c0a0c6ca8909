using nietras.SeparatedValues;

namespace Breachline.Exposure;

/// <summary>
/// Reads who and where an exposed person is from their own record (a row of a person object's export): the
/// residence from the mailing address, placed once per distinct state/country pair, and a masked name.
/// </summary>
internal sealed class PersonResolver(Residence residence)
{
    private readonly Dictionary<(string? State, string? Country), string> _places = [];

    /// <summary>How many people have been resolved.</summary>
    public int Resolved { get; private set; }

    /// <summary>The columns of a person object's export that say where the person lives and what they are called.</summary>
    public static PersonRecordColumns ColumnsOf(RecordFile file, PersonObject person) => new(
        file.Object,
        [.. person.State.Select(file.IndexOf).Where(i => i >= 0)],
        [.. person.Country.Select(file.IndexOf).Where(i => i >= 0)],
        [.. person.Name.Select(file.IndexOf).Where(i => i >= 0)]);

    /// <summary>Fills in <paramref name="person"/> from their record, unless already done.</summary>
    public void Resolve(PersonState person, SepReader.Row row, PersonRecordColumns columns)
    {
        if (person.Object is not null)
        {
            return;
        }

        var at = (First(row, columns.States), First(row, columns.Countries));
        if (!_places.TryGetValue(at, out var jurisdiction))
        {
            _places[at] = jurisdiction = residence.Resolve(at.Item1, at.Item2);
        }

        var parts = new List<string>(columns.Names.Length);
        foreach (var i in columns.Names)
        {
            if (row[i].Span.Trim() is { IsEmpty: false } name)
            {
                // Only the initial: the individuals list must identify no one by itself.
                parts.Add(name[0] + "***");
            }
        }

        person.Object = columns.Object;
        person.Jurisdiction = jurisdiction;
        person.MaskedName = string.Join(' ', parts);
        Resolved++;
    }

    private static string? First(SepReader.Row row, int[] columns)
    {
        foreach (var i in columns)
        {
            var span = row[i].Span.Trim();
            if (!span.IsEmpty)
            {
                return span.ToString();
            }
        }

        return null;
    }
}

/// <summary>Residence and name columns of one person object's export.</summary>
internal sealed record PersonRecordColumns(string Object, int[] States, int[] Countries, int[] Names);
