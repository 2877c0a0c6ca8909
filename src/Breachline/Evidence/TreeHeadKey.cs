using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Breachline.Evidence;

/// <summary>
/// The workspace's tree-head signing key: ECDSA P-256, created once per workspace. The private key is a
/// PKCS#8 PEM readable by the owner only; the public key (SubjectPublicKeyInfo PEM) sits beside it and goes
/// into every bundle, so <c>openssl dgst -sha256 -verify</c> can check a head without Breachline.
/// </summary>
public sealed class TreeHeadKey : IDisposable
{
    /// <summary>File name of the private key inside <c>vault/keys</c>.</summary>
    public const string PrivateKeyFile = "tree-head-key.pem";

    /// <summary>File name of the exported public key.</summary>
    public const string PublicKeyFile = "tree-head-key.pub.pem";

    private readonly ECDsa _key;

    private TreeHeadKey(ECDsa key)
    {
        _key = key;
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem() + "\n";
        KeyId = Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>SHA-256 of the public key's DER, hex.</summary>
    public string KeyId { get; }

    /// <summary>The public key, PEM.</summary>
    public string PublicKeyPem { get; }

    /// <summary>Loads the key from <paramref name="keysDir"/>, creating it (owner-only) the first time.</summary>
    public static TreeHeadKey LoadOrCreate(string keysDir)
    {
        var privatePath = Path.Combine(keysDir, PrivateKeyFile);
        var publicPath = Path.Combine(keysDir, PublicKeyFile);
        if (!File.Exists(privatePath))
        {
            Directory.CreateDirectory(keysDir);
            using var created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var temp = privatePath + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temp, options))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            {
                writer.Write(created.ExportPkcs8PrivateKeyPem());
                writer.Write('\n');
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, privatePath);
            DurableFile.SyncDirectory(keysDir);
        }

        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(privatePath));
        var loaded = new TreeHeadKey(key);
        if (!File.Exists(publicPath) || File.ReadAllText(publicPath) != loaded.PublicKeyPem)
        {
            DurableFile.WriteAllText(publicPath, loaded.PublicKeyPem);
        }

        return loaded;
    }

    /// <summary>The signed text of a head (checkpoint-like: origin, size, base64 root, then our own lines).</summary>
    public static byte[] Body(string vaultId, long treeSize, byte[] root, DateTimeOffset signedAt, string keyId) =>
        Encoding.UTF8.GetBytes(
            $"breachline evidence vault {vaultId}\n{treeSize.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToBase64String(root)}\nsigned {CustodyEntry.FormatTime(signedAt)}\nkey {keyId}\n");

    /// <summary>Signs a head.</summary>
    public SignedTreeHead Sign(long number, string vaultId, long treeSize, byte[] root, DateTimeOffset signedAt)
    {
        var body = Body(vaultId, treeSize, root, signedAt, KeyId);
        var signature = _key.SignData(body, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return new SignedTreeHead(number, treeSize, Convert.ToHexStringLower(root), signedAt, KeyId, body, signature);
    }

    /// <summary>Checks a DER signature over <paramref name="body"/> with a PEM public key.</summary>
    public static bool VerifySignature(string publicKeyPem, byte[] body, byte[] signature)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(publicKeyPem);
        return VerifySignature(key, body, signature);
    }

    /// <summary>Checks a DER signature over <paramref name="body"/> with an imported public key.</summary>
    public static bool VerifySignature(ECDsa key, byte[] body, byte[] signature)
    {
        try
        {
            return key.VerifyData(body, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The key id of a PEM public key.</summary>
    public static string KeyIdOf(string publicKeyPem)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(publicKeyPem);
        return Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>Parses a head body back into its fields; null when it is not one.</summary>
    public static (string VaultId, long TreeSize, byte[] Root, DateTimeOffset SignedAt, string KeyId)? ParseBody(byte[] body)
    {
        try
        {
            var lines = Encoding.UTF8.GetString(body).Split('\n');
            const string Origin = "breachline evidence vault ";
            if (lines.Length != 6 || lines[5].Length != 0 || !lines[0].StartsWith(Origin, StringComparison.Ordinal)
                || !lines[3].StartsWith("signed ", StringComparison.Ordinal) || !lines[4].StartsWith("key ", StringComparison.Ordinal))
            {
                return null;
            }

            return (lines[0][Origin.Length..], long.Parse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture),
                Convert.FromBase64String(lines[2]), CustodyEntry.ParseTime(lines[3]["signed ".Length..]), lines[4]["key ".Length..]);
        }
        catch (FormatException)
        {
            return null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}
