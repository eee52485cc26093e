using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Enrollment.Allocation.Engine;

/// <summary>
/// The lottery tie-break: anyone can recompute it from the seed published before the run.
/// <c>key = SHA-256(UTF-8(publishedSeed + ":" + applicationId))</c>, first 8 bytes read as a
/// big-endian unsigned 64-bit integer, top bit cleared (so it is a non-negative <see cref="long"/>).
/// Lower wins. Example (Python):
/// <c>int.from_bytes(hashlib.sha256(f"{seed}:{id}".encode()).digest()[:8], "big") &amp; (2**63 - 1)</c>.
/// </summary>
internal static class LotteryTiebreak
{
    public static long For(string publishedSeed, string applicationId)
    {
        ArgumentNullException.ThrowIfNull(publishedSeed);
        ArgumentNullException.ThrowIfNull(applicationId);

        var input = Encoding.UTF8.GetBytes(publishedSeed + ":" + applicationId);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, hash);
        return (long)(BinaryPrimitives.ReadUInt64BigEndian(hash) & 0x7FFF_FFFF_FFFF_FFFFUL);
    }
}
