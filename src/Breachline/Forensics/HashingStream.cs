using System.Security.Cryptography;
using Breachline.Common;

namespace Breachline.Forensics;

/// <summary>
/// Reads a file while hashing every byte that passes, so evidence gets its SHA-256 from the read the hunt
/// makes anyway (on the reading thread) instead of a second read of the whole file afterwards.
/// </summary>
internal sealed class HashingStream(Stream inner) : ReadOnlyStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>True once a read returned nothing: every byte of the file has been hashed.</summary>
    public bool AtEnd => Sha256 is not null;

    /// <summary>Lower-case hex SHA-256 of all the bytes, once the end was read (the reader may dispose the stream then).</summary>
    public string? Sha256 { get; private set; }

    public override long Length => inner.Length;

    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        if (read > 0)
        {
            _hash.AppendData(buffer[..read]);
        }

        if (read == 0 && buffer.Length > 0 && Sha256 is null)
        {
            Sha256 = Convert.ToHexStringLower(_hash.GetCurrentHash());
        }

        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
