namespace Enrollment.Registry.Domain;

/// <summary>What a proof file proves: a priority claim (льгота) or that the applicant is the child's legal representative.</summary>
internal enum ProofKind
{
    Priority,
    Representative,
}

/// <summary>
/// A proof file a parent uploaded (PDF or JPEG, at most 5 MB). The bytes live outside the database under
/// <c>{Database:DataDirectory}/proofs/{StoredName}</c>; the row keeps the owner, the SHA-256 (re-checked on every read)
/// and what the content turned out to be. Nothing in the stored name comes from the client.
/// </summary>
internal sealed class ProofFile
{
    public Guid Id { get; init; }

    /// <summary>PIN of the parent who uploaded it; only applications of this applicant may reference it.</summary>
    public required string OwnerPin { get; set; }

    public ProofKind Kind { get; init; }

    /// <summary>Lower-case hex SHA-256 of the stored bytes.</summary>
    public required string Sha256 { get; init; }

    public long Size { get; init; }

    /// <summary>application/pdf or image/jpeg, decided by the magic bytes (never by the client's header or file name).</summary>
    public required string ContentType { get; init; }

    /// <summary>128 random bits as 32 hex characters: the file's name in the proofs folder.</summary>
    public required string StoredName { get; init; }

    public DateTimeOffset UploadedAt { get; init; }
}

/// <summary>Error codes of proof uploads and downloads.</summary>
internal static class ProofErrors
{
    public const string TooLarge = "PROOF_TOO_LARGE";
    public const string TypeNotAllowed = "PROOF_TYPE_NOT_ALLOWED";
    public const string Empty = "PROOF_EMPTY";
    public const string NotMultipart = "PROOF_NOT_MULTIPART";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string KindMismatch = "PROOF_KIND_MISMATCH";
    public const string BadKind = "PROOF_BAD_KIND";
    public const string RepresentativeProofRequired = "REPRESENTATIVE_PROOF_REQUIRED";
    public const string IntegrityFailed = "PROOF_INTEGRITY_FAILED";
    public const string FileMissing = "PROOF_FILE_MISSING";
}
