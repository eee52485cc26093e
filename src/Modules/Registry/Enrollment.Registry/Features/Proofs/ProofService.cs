using Enrollment.BuildingBlocks.Audit;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Registry.Contracts;
using Enrollment.Registry.Data;
using Enrollment.Registry.Domain;
using Enrollment.Registry.Features.Applications;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Registry.Features.Proofs;

/// <summary>Metadata of a proof as the application shows it (never the stored name).</summary>
internal sealed record ProofInfo(Guid Id, ProofKind Kind, string Sha256, long Size, string ContentType, DateTimeOffset UploadedAt)
{
    public static ProofInfo From(ProofFile p) => new(p.Id, p.Kind, p.Sha256, p.Size, p.ContentType, p.UploadedAt);
}

/// <summary>A proof file's verified bytes, for a download.</summary>
internal sealed record ProofContent(ProofInfo Info, byte[] Bytes)
{
    /// <summary>A fixed name: nothing the client sent at upload reaches the response headers.</summary>
    public string FileName => $"proof-{Info.Id:N}" + (Info.ContentType == "application/pdf" ? ".pdf" : ".jpg");
}

/// <summary>
/// Uploads (parents only: file first, then the row — an orphan file is removed by the retention job) and reads: the
/// owning parent, or staff who may see an application that references the proof (school of a choice or of enrollment,
/// district of a choice, the ministry). Anyone else gets NOT_FOUND. Every staff read is recorded as a personal-data read
/// (module "reads" in the audit, docs/security.md).
/// </summary>
internal sealed class ProofService(RegistryDbContext db, ProofStore store, ICurrentUser user, IClock clock, PersonalDataReads reads)
{
    public async Task<ProofInfo> UploadAsync(Stream content, ProofKind kind, CancellationToken ct)
    {
        var pin = user.RequireParentPin();
        var stored = await store.SaveAsync(content, ct);
        var at = clock.UtcNow;
        var proof = new ProofFile
        {
            Id = Guid.CreateVersion7(at), OwnerPin = pin, Kind = kind, Sha256 = stored.Sha256, Size = stored.Size, ContentType = stored.ContentType,
            StoredName = stored.StoredName, UploadedAt = at,
        };
        db.ProofFiles.Add(proof);
        await db.SaveChangesAsync(ct);
        return ProofInfo.From(proof);
    }

    public async Task<ProofContent> OpenAsync(Guid id, CancellationToken ct)
    {
        var proof = await db.ProofFiles.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        var owner = proof is not null && user.IsInRole(Roles.Parent) && user.Pin is { Length: > 0 } pin && proof.OwnerPin == pin;
        var staff = !owner && proof is not null && IsStaff(user)
            && await db.Applications.Visible(user).AnyAsync(a => a.PriorityProofId == id || a.RepresentativeProofId == id, ct);
        if (proof is null || !(owner || staff))
        {
            throw new NotFound("Proof", id.ToString());
        }

        if (staff)
        {
            // Reads of a child's documents by staff are logged (issue #8) like every other staff read: through the request's
            // PersonalDataReads, written before the response starts, whether or not the bytes then pass the hash check.
            reads.Record(RegistryContracts.Module, nameof(ProofFile), [id.ToString()], $"proof file ({proof.Kind})");
        }

        return new ProofContent(ProofInfo.From(proof), await store.ReadVerifiedAsync(proof, ct));
    }

    private static bool IsStaff(ICurrentUser user) =>
        user.IsInRole(Roles.MinistryAdmin) || user.IsInRole(Roles.DistrictOfficer) || user.IsInRole(Roles.SchoolAdmin);
}

/// <summary>
/// The proof references of an application: each id must be a proof of this applicant (otherwise NOT_FOUND, so ids of
/// other families reveal nothing) of the right kind; a legal representative cannot submit without a representative proof.
/// </summary>
internal static class ProofRules
{
    public static async Task ApplyAsync(
        RegistryDbContext db, Application application, string applicantPin, Guid? priorityProofId, Guid? representativeProofId, bool submitting,
        CancellationToken ct)
    {
        if (priorityProofId is { } priority)
        {
            await CheckAsync(db, applicantPin, priority, ProofKind.Priority, ct);
            application.PriorityProofId = priority;
        }

        if (representativeProofId is { } representative)
        {
            await CheckAsync(db, applicantPin, representative, ProofKind.Representative, ct);
            application.RepresentativeProofId = representative;
        }

        if (submitting && application.Relation == "LegalRepresentative" && application.RepresentativeProofId is null)
        {
            throw new RuleViolation(ProofErrors.RepresentativeProofRequired,
                "A legal representative must attach a proof of representation (upload it to /api/registry/proofs with kind=Representative).");
        }
    }

    private static async Task CheckAsync(RegistryDbContext db, string applicantPin, Guid id, ProofKind kind, CancellationToken ct)
    {
        var proof = await db.ProofFiles.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.OwnerPin == applicantPin, ct)
            ?? throw new NotFound("Proof", id.ToString());
        if (proof.Kind != kind)
        {
            throw new RuleViolation(ProofErrors.KindMismatch, $"This proof was uploaded as {proof.Kind}, not {kind}.");
        }
    }
}
