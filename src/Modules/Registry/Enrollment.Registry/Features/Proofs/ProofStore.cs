using System.Security.Cryptography;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.Registry.Domain;

namespace Enrollment.Registry.Features.Proofs;

/// <summary>The bytes of one stored proof and what they were checked to be.</summary>
internal sealed record StoredProof(string StoredName, string Sha256, long Size, string ContentType);

/// <summary>
/// The proofs folder <c>{Database:DataDirectory}/proofs</c> (outside wwwroot, never served as static files). Uploads
/// are streamed straight to a file with a random 128-bit name while the size is counted, the SHA-256 computed and the
/// first bytes matched against the allowed signatures; a refused upload leaves no file behind.
/// </summary>
internal sealed class ProofStore(DatabaseOptions database)
{
    public const long MaxBytes = 5 * 1024 * 1024;

    private static readonly byte[] Pdf = "%PDF-"u8.ToArray();
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];

    public string Folder { get; } = Path.GetFullPath(Path.Combine(database.DataDirectory, "proofs"));

    /// <summary>The content type the signature proves (application/pdf, image/jpeg); null for anything else.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head) =>
        head.StartsWith(Pdf) ? "application/pdf" : head.StartsWith(Jpeg) ? "image/jpeg" : null;

    public string PathOf(string storedName)
    {
        if (storedName.Length != 32 || !storedName.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("Not a stored proof name.", nameof(storedName));
        }

        return Path.Combine(Folder, storedName);
    }

    /// <summary>Streams <paramref name="source"/> to a new file. Throws PROOF_EMPTY, PROOF_TOO_LARGE or PROOF_TYPE_NOT_ALLOWED (nothing kept).</summary>
    public async Task<StoredProof> SaveAsync(Stream source, CancellationToken ct)
    {
        Directory.CreateDirectory(Folder);
        var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var path = PathOf(name);
        try
        {
            var result = await CopyCheckedAsync(source, path, name, ct);
            return result;
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    private static async Task<StoredProof> CopyCheckedAsync(Stream source, string path, string name, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        var head = new byte[8];
        var headLength = 0;
        long total = 0;
        string? contentType = null;
        await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true))
        {
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
                if (total > MaxBytes)
                {
                    throw new RuleViolation(ProofErrors.TooLarge, $"A proof file may be at most {MaxBytes / 1024 / 1024} MB.");
                }

                if (contentType is null)
                {
                    var take = Math.Min(head.Length - headLength, read);
                    buffer.AsSpan(0, take).CopyTo(head.AsSpan(headLength));
                    headLength += take;
                    if (headLength >= 5 || total >= head.Length)
                    {
                        contentType = Sniff(head.AsSpan(0, headLength)) ?? throw NotAllowed();
                    }
                }

                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }

        if (total == 0)
        {
            throw new RuleViolation(ProofErrors.Empty, "The proof file is empty.");
        }

        contentType ??= Sniff(head.AsSpan(0, headLength)) ?? throw NotAllowed();
        return new StoredProof(name, Convert.ToHexStringLower(hash.GetHashAndReset()), total, contentType);
    }

    private static RuleViolation NotAllowed() =>
        new(ProofErrors.TypeNotAllowed, "A proof must be a PDF or a JPEG image (checked by its content, not by its name).");

    /// <summary>Reads a stored file and checks it against its recorded SHA-256 (PROOF_FILE_MISSING, PROOF_INTEGRITY_FAILED).</summary>
    public async Task<byte[]> ReadVerifiedAsync(ProofFile proof, CancellationToken ct)
    {
        var path = PathOf(proof.StoredName);
        if (!File.Exists(path))
        {
            throw new RuleViolation(ProofErrors.FileMissing, "The proof file is no longer stored.");
        }

        var bytes = await File.ReadAllBytesAsync(path, ct);
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), proof.Sha256, StringComparison.Ordinal))
        {
            throw new RuleViolation(ProofErrors.IntegrityFailed,
                "The stored proof file does not match the SHA-256 recorded at upload; it was changed on disk and is not served.");
        }

        return bytes;
    }

    public void Delete(string storedName) => File.Delete(PathOf(storedName));

    /// <summary>Files in the folder (stored names only; anything else in the folder is ignored).</summary>
    public IEnumerable<(string Name, DateTime WrittenUtc)> List() => Directory.Exists(Folder)
        ? Directory.EnumerateFiles(Folder).Select(p => (Name: Path.GetFileName(p), WrittenUtc: File.GetLastWriteTimeUtc(p)))
            .Where(f => f.Name.Length == 32 && f.Name.All(char.IsAsciiHexDigitLower))
        : [];
}
