using Breachline.Common;
using Breachline.Exposure;
using Breachline.Notification;

namespace Breachline.Tests.Exposure;

public sealed class ResidenceAndClassificationTests
{
    [Theory]
    [InlineData("Illinois", "United States", "US-IL")]
    [InlineData("IL", "", "US-IL")]
    [InlineData("il", "USA", "US-IL")]
    [InlineData("Washington DC", "US", "US-DC")]
    [InlineData("", "Puerto Rico", "US-PR")]
    [InlineData("PR", "", "US-PR")]
    [InlineData("Québec", "Canada", "CA-QC")]
    [InlineData("ON", "CAN", "CA-ON")]
    [InlineData("Bayern", "Germany", "DE")]
    [InlineData("", "Korea, Republic of", "KR")]
    [InlineData("Nowhere", "United States", "US")]
    [InlineData("", "", "unknown")]
    [InlineData("Atlantis", "Narnia", "unknown")]
    public void Mailing_addresses_resolve_to_iso_jurisdictions(string state, string country, string expected) =>
        Assert.Equal(expected, Residence.Shipped.Resolve(state, country));

    // A two-letter code is read as a US state only when the country is the US or empty and the code is a US
    // one; a Canadian province with Canada (or no country) is its province, never California or unknown.
    [Theory]
    [InlineData("Ontario", "Canada", "CA-ON")]
    [InlineData("ON", "Canada", "CA-ON")]
    [InlineData("on", " canada ", "CA-ON")]
    [InlineData("ON", "CA", "CA-ON")]
    [InlineData("Ontario", "CAN", "CA-ON")]
    [InlineData("ON", "", "CA-ON")]
    [InlineData("Ontario", "", "CA-ON")]
    [InlineData("CA-ON", "", "CA-ON")]
    [InlineData("BC", "", "CA-BC")]
    [InlineData("CA", "", "US-CA")]
    [InlineData("CA", "US", "US-CA")]
    [InlineData("California", "", "US-CA")]
    [InlineData("CA", "Canada", "CA")]
    [InlineData("California", "Canada", "CA")]
    [InlineData("US-CA", "Canada", "CA")]
    [InlineData("ON", "US", "US")]
    [InlineData("Ontario", "United States", "US")]
    [InlineData("QC", "USA", "US")]
    [InlineData("", "CA", "CA")]
    [InlineData("", "Canada", "CA")]
    [InlineData("ON", "Germany", "DE")]
    [InlineData("Georgia", "", "US-GA")]
    [InlineData("Georgia", "Georgia", "GE")]
    [InlineData("ZZ", "", "unknown")]
    public void Province_codes_are_read_as_us_states_only_for_the_us_or_no_country(string state, string country, string expected) =>
        Assert.Equal(expected, Residence.Shipped.Resolve(state, country));

    [Theory]
    [InlineData("Contact", "Birthdate", null, "dob")]
    [InlineData("Contact", "hed__Social_Security_Number__c", "EncryptedText", "ssn")]
    [InlineData("Contact", "Id", null, "none")]
    [InlineData("Student_Profile__c", "Passport_Number__c", "Text", "passport")]
    [InlineData("Student_Profile__c", "Emergency_Phone__c", "Phone", "phone")]
    [InlineData("Student_Profile__c", "Advisor__c", "Lookup", "none")]
    [InlineData("Scholarship_Award__c", "Amount__c", "Currency", "financial_aid")]
    [InlineData("Student_Profile__c", "Favourite_Colour__c", "Text", null)]
    public void Fields_are_classified_by_exact_entry_then_by_pattern(string obj, string field, string? type, string? element)
    {
        var c = FieldClassification.Shipped.Classify(obj, field, type);

        Assert.Equal(element, c.Element);
        Assert.Contains(element is null ? "no classification" : "data/classification/fields.yaml:", c.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void An_org_file_overrides_the_shipped_classification()
    {
        using var dir = new TempDir();
        var file = dir.Combine("classification.yaml");
        File.WriteAllText(file, "checkedOn: 2026-11-28\nfields:\n  - { field: Contact.Hobby__c, element: religion }\n");

        var c = FieldClassification.Load(file, ElementCatalog.Default).Classify("Contact", "Hobby__c", null);

        Assert.Equal("religion", c.Element);
        Assert.Contains("classification.yaml:3", c.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void A_classification_naming_an_unknown_token_or_a_bad_pattern_is_refused_with_file_line_and_entry()
    {
        using var dir = new TempDir();
        var file = dir.Combine("classification.yaml");
        File.WriteAllText(file, "checkedOn: 2026-11-28\nfields:\n  - { field: Contact.Hobby__c, element: hobby }\npatterns:\n  - { field: '(unclosed', element: email }\n");

        var e = Assert.Throws<InputException>(() => FieldClassification.Load(file, ElementCatalog.Default));

        Assert.Contains(e.Problems, p => p.File == file && p.Line == 3 && p.Field == "Contact.Hobby__c.element" && p.Message.Contains("'hobby'", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Line == 5 && p.Field == "patterns[0].field");
    }

    [Fact]
    public void Every_shipped_element_token_is_one_of_the_projects_list()
    {
        var c = FieldClassification.Shipped;

        Assert.NotNull(c.PersonOf("Contact"));
        Assert.Equal("hed__Contact__c", c.LinkOf("hed__Course_Enrollment__c")!.Person);
        Assert.Equal(["financial_aid"], c.LinkOf("Financial_Aid_Award__c")!.RecordElements);
        Assert.Null(c.LinkOf("hed__Course__c"));
    }
}
