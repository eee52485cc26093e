using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.Registry.Data;
using Enrollment.Registry.Domain;
using Enrollment.Registry.Features.Proofs;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Registry.GraphQL;

internal sealed class ProofKindEnum : EnumerationGraphType<ProofKind>
{
    public ProofKindEnum()
    {
        Name = "ProofKind";
        Description = "Priority: proof of a priority claim; Representative: proof that the applicant is the child's legal representative.";
    }
}

/// <summary>A proof file's metadata, shown with the application to whoever may read the application (the bytes: GET /api/registry/proofs/{id}).</summary>
internal sealed class ProofFileType : ObjectGraphType<ProofInfo>
{
    public const string PriorityProofArgument =
        "Id of a proof file you uploaded (POST /api/registry/proofs?kind=Priority) for the priority claim. Not yours → NOT_FOUND.";

    public const string RepresentativeProofArgument =
        "Id of a proof file you uploaded (POST /api/registry/proofs?kind=Representative); required to submit as a legal representative "
        + "(REPRESENTATIVE_PROOF_REQUIRED). Not yours → NOT_FOUND.";

    public ProofFileType()
    {
        Name = "ProofFile";
        Description = "A PDF or JPEG proof (≤ 5 MB, type checked by content) stored outside the database; download it at "
            + "/api/registry/proofs/{id} (bearer) or /admin/registry/proof?id= (staff). The SHA-256 is re-checked on every download.";
        Field(p => p.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(p => p.Kind, type: typeof(NonNullGraphType<ProofKindEnum>));
        Field(p => p.Sha256).Description("Lower-case hex SHA-256 of the file, computed at upload.");
        Field(p => p.Size).Description("Bytes.");
        Field(p => p.ContentType).Description("application/pdf or image/jpeg (from the file's content).");
        Field(p => p.UploadedAt);
    }

    public static void AddProofFields(ObjectGraphType<Application> type)
    {
        type.Field<ProofFileType>("priorityProof")
            .Description("The priority claim's proof file, when one was attached.")
            .Resolve(c => c.Source.PriorityProofId is { } id ? c.RequestServices!.GetRequiredService<ProofLoader>().Load(id) : null);
        type.Field<ProofFileType>("representativeProof")
            .Description("The legal representative's proof file, when one was attached.")
            .Resolve(c => c.Source.RepresentativeProofId is { } id ? c.RequestServices!.GetRequiredService<ProofLoader>().Load(id) : null);
    }

    public static Guid? ReadId(IDictionary<string, object?> d, string key) =>
        d.TryGetValue(key, out var v) && v is not null ? v switch
        {
            Guid g => g,
            string s when Guid.TryParse(s, out var parsed) => parsed,
            _ => Guid.Empty,
        } : null;
}

/// <summary>Proof metadata of many applications in one query per request.</summary>
internal sealed class ProofLoader(RegistryDbContext db) : BatchLoader<Guid, ProofInfo>
{
    protected override async Task<IReadOnlyDictionary<Guid, ProofInfo>> FetchAsync(IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken)
    {
        var ids = keys.ToList();
        var proofs = await db.ProofFiles.AsNoTracking().Where(p => ids.Contains(p.Id)).ToListAsync(cancellationToken);
        return proofs.ToDictionary(p => p.Id, ProofInfo.From);
    }

    /// <summary>Metadata for a page of applications (admin list).</summary>
    public async Task<IReadOnlyDictionary<Guid, ProofInfo>> ManyAsync(IEnumerable<Guid> keys, CancellationToken ct) =>
        await FetchAsync([.. keys.Distinct()], ct);
}
