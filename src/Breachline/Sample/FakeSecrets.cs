using static System.FormattableString;

namespace Breachline.Sample;

/// <summary>
/// Credentials in the formats real ones have (so secret scanners and the hunt recognise them), drawn from
/// the seed: none of them is, or was ever, a working secret.
/// </summary>
internal sealed class FakeSecrets
{
    private const string TokenChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._";
    private const string Base64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public FakeSecrets(int seed)
    {
        var r = new SampleRandom(seed, "secrets");
        // Connected-app consumer keys start 3MVG9; secrets are 64 hex digits; refresh tokens start 5Aep861.
        PortalConsumerKey = "3MVG9" + r.Chars(TokenChars, 80);
        PortalConsumerSecret = r.Hex(64, upper: true);
        PortalPassword = string.Concat(r.Chars("ABCDEFGHJKLMNPQRSTUVWXYZ", 1), r.Alphanumeric(9), "!", r.Digits(2));
        PortalSecurityToken = r.Alphanumeric(25);
        LmsRefreshToken = "5Aep861" + r.Chars(TokenChars, 80);
        LmsConsumerKey = "3MVG9" + r.Chars(TokenChars, 80);
        LmsConsumerSecret = r.Hex(64, upper: true);
        AwsAccessKeyId = "AKIA" + r.Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
        AwsSecretAccessKey = r.Chars(Base64Chars, 40);
        DbPassword = r.Alphanumeric(18);
        LtiSharedSecret = r.Hex(48);
        DjangoSecretKey = r.Chars("abcdefghijklmnopqrstuvwxyz0123456789!@#%^&*(-_=+)", 50);
        FtpPassword = string.Concat(r.Chars("ABCDEFGHJKLMNPQRSTUVWXYZ", 1), r.Alphanumeric(11));
        FinAidPassword = string.Concat(r.Alphanumeric(10), "#", r.Digits(3));
        // An OpenSSH private key envelope ("openssh-key-v1", no cipher, ed25519) around seeded bytes.
        var body = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW" + r.Chars(Base64Chars, 270);
        var lines = Enumerable.Range(0, (body.Length + 69) / 70).Select(i => body.Substring(i * 70, Math.Min(70, body.Length - (i * 70))));
        PrivateKeyLines = ["-----BEGIN OPENSSH PRIVATE KEY-----", .. lines, "-----END OPENSSH PRIVATE KEY-----"];
        PublicKey = Invariant($"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{r.Chars(Base64Chars, 43)} sis-transfer@batch01");
    }

    public string PortalConsumerKey { get; }

    public string PortalConsumerSecret { get; }

    public string PortalPassword { get; }

    public string PortalSecurityToken { get; }

    public string LmsRefreshToken { get; }

    public string LmsConsumerKey { get; }

    public string LmsConsumerSecret { get; }

    public string AwsAccessKeyId { get; }

    public string AwsSecretAccessKey { get; }

    public string DbPassword { get; }

    public string LtiSharedSecret { get; }

    public string DjangoSecretKey { get; }

    public string FtpPassword { get; }

    public string FinAidPassword { get; }

    public IReadOnlyList<string> PrivateKeyLines { get; }

    public string PublicKey { get; }
}
