using System.Security.Cryptography;
using Breachline.Sample;

namespace Breachline.Tests.Sample;

public sealed class SampleDeterminismTests
{
    private static string TreeHash(string root)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(root, file) + "\n"));
            sha.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }

    [Theory]
    [InlineData(SampleScenario.TokenTheft)]
    [InlineData(SampleScenario.GuestExposure)]
    [InlineData(SampleScenario.PortalCredentials)]
    public void The_same_seed_writes_byte_identical_files(SampleScenario scenario)
    {
        using var dir = new TempDir();
        var options = new SampleOptions(Seed: 42, Students: 60, Days: 6, Scenario: scenario);
        SampleOrg.Generate(options, dir.Combine("a"));
        SampleOrg.Generate(options, dir.Combine("b"));
        Assert.Equal(TreeHash(dir.Combine("a")), TreeHash(dir.Combine("b")));
    }

    [Fact]
    public void Different_seeds_write_different_orgs()
    {
        using var dir = new TempDir();
        var a = SampleOrg.Generate(new SampleOptions(Seed: 1, Students: 60, Days: 6), dir.Combine("a"));
        var b = SampleOrg.Generate(new SampleOptions(Seed: 2, Students: 60, Days: 6), dir.Combine("b"));
        Assert.NotEqual(TreeHash(a.Root), TreeHash(b.Root));
        Assert.NotEqual(a.Truth.Org.OrgId, b.Truth.Org.OrgId);
        Assert.NotEqual(File.ReadAllText(Path.Combine(a.Root, "records", "Contact.csv")), File.ReadAllText(Path.Combine(b.Root, "records", "Contact.csv")));
    }

    [Fact]
    public void A_larger_log_size_scales_the_background_and_keeps_the_attack()
    {
        using var dir = new TempDir();
        var natural = SampleOrg.Generate(new SampleOptions(Seed: 3, Students: 60, Days: 6), dir.Combine("natural"));
        const long Target = 12L << 20;
        var big = SampleOrg.Generate(new SampleOptions(Seed: 3, Students: 60, Days: 6, LogBytes: Target), dir.Combine("big"));
        Assert.InRange(big.LogBytes, Target * 0.7, Target * 1.3);
        Assert.True(big.LogBytes > natural.LogBytes * 2, $"{big.LogBytes} vs {natural.LogBytes}");
        Assert.Equal(natural.Truth.Attack.Queries, big.Truth.Attack.Queries);
        Assert.Equal(natural.Truth.Attack.RowsByObject, big.Truth.Attack.RowsByObject);
        Assert.Equal(natural.Truth.Exposure.ByJurisdiction, big.Truth.Exposure.ByJurisdiction);
    }

    [Fact]
    public void Generating_into_a_folder_that_holds_files_is_refused()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("keep.txt"), "x");
        Assert.Throws<Breachline.Common.UsageException>(() => SampleOrg.Generate(new SampleOptions(Students: 30, Days: 5), dir.Path));
        Assert.True(File.Exists(dir.Combine("keep.txt")));
    }

    [Theory]
    [InlineData("500MB", 500L << 20)]
    [InlineData("2GB", 2L << 30)]
    [InlineData("64kb", 64L << 10)]
    [InlineData("1048576", 1L << 20)]
    public void Log_sizes_read_as_powers_of_1024(string text, long bytes) => Assert.Equal(bytes, SampleOptions.ParseSize(text));

    [Theory]
    [InlineData("0055j000000utlP", "0055j000000utlPAAQ")]
    [InlineData("0055j00000AT6I1", "0055j00000AT6I1AAL")]
    public void Eighteen_character_ids_carry_the_Salesforce_checksum(string id15, string id18) => Assert.Equal(id18, SalesforceId.To18(id15));
}
