namespace Breachline.Sample;

/// <summary>
/// Who the exported rows describe and which data elements about each of them left: computed from the
/// plan (which ids, which fields), the population, and whether the attacker could read encrypted fields.
/// </summary>
internal static class Exposure
{
    private static readonly Dictionary<string, string> ContactFieldElements = new(StringComparer.Ordinal)
    {
        ["FirstName"] = "name",
        ["LastName"] = "name",
        ["Birthdate"] = "dob",
        ["Email"] = "email",
        ["Phone"] = "phone",
        ["MailingStreet"] = "address",
        ["MailingCity"] = "address",
        ["MailingState"] = "address",
        ["MailingPostalCode"] = "address",
        ["MailingCountry"] = "address",
        ["hed__Social_Security_Number__c"] = "ssn",
        ["hed__Citizenship_Status__c"] = "immigration_status",
        ["hed__Country_of_Origin__c"] = "immigration_status",
    };

    public static TruthExposure Compute(Population pop, IReadOnlyList<Exfiltration> exfiltrations, bool viewEncryptedData, bool vendor)
    {
        var with = Variant(pop, exfiltrations, true, out var people);
        var without = Variant(pop, exfiltrations, false, out _);
        var applies = viewEncryptedData ? with : without;
        var records = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in exfiltrations)
        {
            records[e.Object] = records.GetValueOrDefault(e.Object) + e.Ids.Count;
        }

        SortedDictionary<string, int>? byCustomer = null;
        if (vendor)
        {
            byCustomer = new(StringComparer.Ordinal);
            foreach (var p in people)
            {
                var customer = pop.Institutions[p.Institution].CustomerId;
                byCustomer[customer] = byCustomer.GetValueOrDefault(customer) + 1;
            }
        }

        return new TruthExposure(viewEncryptedData, viewEncryptedData ? "withViewEncryptedData" : "withoutViewEncryptedData",
            applies.Individuals, records, applies.ByJurisdiction, applies.ByElement, applies.ByJurisdictionAndElement, byCustomer,
            new SortedDictionary<string, TruthExposureVariant>(StringComparer.Ordinal) { ["withViewEncryptedData"] = with, ["withoutViewEncryptedData"] = without });
    }

    private static TruthExposureVariant Variant(Population pop, IReadOnlyList<Exfiltration> exfiltrations, bool ved, out List<Person> people)
    {
        var byId = pop.People.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var elements = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        void Add(string contactId, string element)
        {
            if (!elements.TryGetValue(contactId, out var set))
            {
                elements[contactId] = set = new SortedSet<string>(StringComparer.Ordinal);
            }

            set.Add(element);
        }

        foreach (var e in exfiltrations)
        {
            switch (e.Object)
            {
                case "Contact":
                    foreach (var id in e.Ids)
                    {
                        var p = byId[id];
                        foreach (var f in e.Fields)
                        {
                            if (!ContactFieldElements.TryGetValue(f, out var element))
                            {
                                continue;
                            }

                            if (element == "ssn" && (!ved || p.Ssn.Length == 0))
                            {
                                continue;
                            }

                            Add(id, element);
                        }
                    }

                    break;
                case "hed__Course_Enrollment__c":
                    var ce = pop.CourseEnrollments.ToDictionary(c => c.Id, StringComparer.Ordinal);
                    foreach (var id in e.Ids)
                    {
                        Add(ce[id].ContactId, "education_record");
                    }

                    break;
                case "hed__Program_Enrollment__c":
                    var pe = pop.ProgramEnrollments.ToDictionary(c => c.Id, StringComparer.Ordinal);
                    foreach (var id in e.Ids)
                    {
                        Add(pe[id].ContactId, "education_record");
                    }

                    break;
                case "hed__Term_Grade__c":
                    var tg = pop.TermGrades.ToDictionary(c => c.Id, StringComparer.Ordinal);
                    foreach (var id in e.Ids)
                    {
                        Add(tg[id].ContactId, "education_record");
                    }

                    break;
                case "Financial_Aid_Award__c":
                    var aid = pop.AidAwards.ToDictionary(c => c.Id, StringComparer.Ordinal);
                    foreach (var id in e.Ids)
                    {
                        Add(aid[id].ContactId, "financial_aid");
                    }

                    break;
                default:
                    throw new InvalidOperationException($"no element mapping for {e.Object}");
            }
        }

        people = [.. elements.Keys.Order(StringComparer.Ordinal).Select(id => byId[id])];
        var byJurisdiction = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var byElement = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var both = new SortedDictionary<string, SortedDictionary<string, int>>(StringComparer.Ordinal);
        foreach (var p in people)
        {
            var j = p.Jurisdiction;
            byJurisdiction[j] = byJurisdiction.GetValueOrDefault(j) + 1;
            if (!both.TryGetValue(j, out var inner))
            {
                both[j] = inner = new SortedDictionary<string, int>(StringComparer.Ordinal);
            }

            foreach (var element in elements[p.Id])
            {
                byElement[element] = byElement.GetValueOrDefault(element) + 1;
                inner[element] = inner.GetValueOrDefault(element) + 1;
            }
        }

        return new TruthExposureVariant(people.Count, byJurisdiction, byElement,
            new SortedDictionary<string, IReadOnlyDictionary<string, int>>(both.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, int>)kv.Value), StringComparer.Ordinal));
    }
}
