using Breachline.Common;
using Breachline.Controls;

namespace Breachline.Tests.Controls;

public sealed class CatalogTests
{
    [Fact]
    public void The_shipped_catalog_has_every_trust_services_criterion_with_source_and_check_date()
    {
        var catalog = TscCatalog.BuiltIn;

        Assert.Equal(61, catalog.Criteria.Count);
        Assert.Equal(33, catalog.Criteria.Count(c => c.Id.StartsWith("CC", StringComparison.Ordinal)));
        Assert.Equal(3, catalog.Criteria.Count(c => c.Group == "A1"));
        Assert.Equal(2, catalog.Criteria.Count(c => c.Group == "C1"));
        Assert.Equal(5, catalog.Criteria.Count(c => c.Group == "PI1"));
        Assert.Equal(18, catalog.Criteria.Count(c => c.Group.StartsWith('P') && c.Group != "PI1"));
        foreach (var id in new[] { "CC1.1", "CC2.3", "CC6.8", "CC7.5", "CC9.2", "A1.3", "C1.2", "PI1.5", "P1.1", "P6.7", "P8.1" })
        {
            Assert.NotNull(catalog.Find(id));
        }

        Assert.Equal("Logical and physical access", catalog.Find("CC6.1")!.GroupTitle);
        Assert.NotEmpty(catalog.Source);
        Assert.Equal(new DateOnly(2026, 11, 28), catalog.CheckedOn);
    }

    [Fact]
    public void The_shipped_mapping_names_only_catalog_criteria_and_known_facts()
    {
        var mapping = GapMapping.BuiltIn;

        Assert.All(mapping.Facts.Values, f => Assert.All(f.Criteria, c => Assert.NotNull(TscCatalog.BuiltIn.Find(c))));
        Assert.Equal(["CC7.2"], mapping.Facts["no-alert-fired"].Criteria);
        Assert.Equal(["CC7.4"], mapping.Facts["token-not-revoked-in-time"].Criteria);
        Assert.Equal(["CC7.2", "CC4.1"], mapping.Facts["logs-missing"].Criteria);
        Assert.Equal(["CC2.3"], mapping.Facts["auditor-notified-late"].Criteria);
    }

    [Fact]
    public void Catalog_errors_name_the_file_the_entry_and_the_field()
    {
        var path = Fixtures.Path("tsc", "bad-criteria.yaml");

        var error = Assert.Throws<InputException>(() => TscCatalog.Load(path));

        Assert.All(error.Problems, p => Assert.Equal(path, p.File));
        Assert.Contains(error.Problems, p => p.Field == "checkedOn");
        Assert.Contains(error.Problems, p => p.Field == "CC6.1.id" && p.Message.Contains("twice", StringComparison.Ordinal) && p.Line == 7);
        Assert.Contains(error.Problems, p => p.Field == "CC66.id" && p.Line == 8);
        Assert.Contains(error.Problems, p => p.Field == "CC6.2.title" && p.Line == 9);
        Assert.Contains(error.Problems, p => p.Field == "CC7.1.id" && p.Message.Contains("group CC7", StringComparison.Ordinal));
    }

    [Fact]
    public void Mapping_errors_name_the_file_the_entry_and_the_field()
    {
        var path = Fixtures.Path("tsc", "bad-mapping.yaml");

        var error = Assert.Throws<InputException>(() => GapMapping.Load(path, TscCatalog.BuiltIn));

        Assert.Contains(error.Problems, p => p.Field == "dueWithin.atRisk");
        Assert.Contains(error.Problems, p => p.Field == "XX1.1.id" && p.Line == 9);
        Assert.Contains(error.Problems, p => p.Field == "no-alert-fired.status");
        Assert.Contains(error.Problems, p => p.Field == "made-up-fact.id");
    }
}
