using System.Security.Cryptography;
using System.Text;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.Registry.Data;
using Enrollment.Registry.Domain;
using Enrollment.Registry.Features.Proofs;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Registry.Tests;

/// <summary>Proof storage (type by content, size while streaming, SHA-256, random names) and the proof rules of an application.</summary>
public sealed class ProofTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 5, 0, 0, TimeSpan.Zero);
    private const string Parent = "10101198000001";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "enrollment-proof-tests", Guid.NewGuid().ToString("N"));
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly ProofStore _store;

    public ProofTests()
    {
        _store = new ProofStore(new DatabaseOptions { DataDirectory = _folder });
        _connection.Open();
        using var db = Db();
        db.Database.Migrate();
    }

    private RegistryDbContext Db() =>
        new RegistrySqliteDbContext(new DbContextOptionsBuilder<RegistrySqliteDbContext>().UseSqlite(_connection).Options);

    private static byte[] Pdf(int size)
    {
        var bytes = new byte[size];
        "%PDF-1.7"u8.ToArray().CopyTo(bytes, 0);
        return bytes;
    }

    private async Task<string> RefusalAsync(byte[] bytes)
    {
        var e = await Assert.ThrowsAsync<RuleViolation>(() => _store.SaveAsync(new MemoryStream(bytes), CancellationToken.None));
        Assert.Empty(_store.List());
        return e.Code;
    }

    [Fact]
    public async Task One_byte_over_five_megabytes_is_refused_while_streaming_and_leaves_no_file()
    {
        Assert.Equal("PROOF_TOO_LARGE", await RefusalAsync(Pdf((int)ProofStore.MaxBytes + 1)));
    }

    [Fact]
    public async Task Png_with_a_pdf_name_and_a_script_are_refused_by_their_content()
    {
        Assert.Equal("PROOF_TYPE_NOT_ALLOWED", await RefusalAsync([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]));
        Assert.Equal("PROOF_TYPE_NOT_ALLOWED", await RefusalAsync(Encoding.UTF8.GetBytes("<script>alert(1)</script>")));
        Assert.Equal("PROOF_TYPE_NOT_ALLOWED", await RefusalAsync("%PD"u8.ToArray()));
    }

    [Fact]
    public async Task Empty_upload_is_refused()
    {
        Assert.Equal("PROOF_EMPTY", await RefusalAsync([]));
    }

    [Fact]
    public async Task Stored_file_has_a_random_name_and_the_sha256_of_its_bytes()
    {
        var pdf = Pdf((int)ProofStore.MaxBytes);
        var first = await _store.SaveAsync(new MemoryStream(pdf), CancellationToken.None);
        var second = await _store.SaveAsync(new MemoryStream([0xFF, 0xD8, 0xFF, 0xE0, 1, 2]), CancellationToken.None);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), first.Sha256);
        Assert.Equal("application/pdf", first.ContentType);
        Assert.Equal("image/jpeg", second.ContentType);
        Assert.Matches("^[0-9a-f]{32}$", first.StoredName);
        Assert.NotEqual(first.StoredName, second.StoredName);
        Assert.Equal(pdf, await File.ReadAllBytesAsync(_store.PathOf(first.StoredName)));
        Assert.Throws<ArgumentException>(() => _store.PathOf("../../etc/passwd"));
    }

    [Fact]
    public async Task A_file_changed_on_disk_is_not_served()
    {
        var stored = await _store.SaveAsync(new MemoryStream(Pdf(1000)), CancellationToken.None);
        var proof = new ProofFile
        {
            Id = Guid.NewGuid(), OwnerPin = Parent, Sha256 = stored.Sha256, Size = stored.Size, ContentType = stored.ContentType, StoredName = stored.StoredName,
        };
        Assert.Equal(1000, (await _store.ReadVerifiedAsync(proof, CancellationToken.None)).Length);
        await File.WriteAllBytesAsync(_store.PathOf(stored.StoredName), Pdf(1001));
        var e = await Assert.ThrowsAsync<RuleViolation>(() => _store.ReadVerifiedAsync(proof, CancellationToken.None));
        Assert.Equal("PROOF_INTEGRITY_FAILED", e.Code);
        File.Delete(_store.PathOf(stored.StoredName));
        Assert.Equal("PROOF_FILE_MISSING", (await Assert.ThrowsAsync<RuleViolation>(() => _store.ReadVerifiedAsync(proof, CancellationToken.None))).Code);
    }

    private async Task<Guid> AddProofAsync(string owner, ProofKind kind)
    {
        await using var db = Db();
        var proof = new ProofFile
        {
            Id = Guid.NewGuid(), OwnerPin = owner, Kind = kind, Sha256 = new string('0', 64), Size = 1, ContentType = "application/pdf",
            StoredName = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), UploadedAt = Now,
        };
        db.ProofFiles.Add(proof);
        await db.SaveChangesAsync();
        return proof.Id;
    }

    private static Application Draft(string relation) => Application.NewDraft(Guid.NewGuid(), "12003201900001", Parent, relation, Now);

    [Fact]
    public async Task Legal_representative_cannot_submit_without_a_representative_proof()
    {
        await using var db = Db();
        var application = Draft("LegalRepresentative");
        var e = await Assert.ThrowsAsync<RuleViolation>(() => ProofRules.ApplyAsync(db, application, Parent, null, null, submitting: true, CancellationToken.None));
        Assert.Equal("REPRESENTATIVE_PROOF_REQUIRED", e.Code);

        // A draft may be prepared without it; with it the submission passes and keeps the id.
        await ProofRules.ApplyAsync(db, application, Parent, null, null, submitting: false, CancellationToken.None);
        var proof = await AddProofAsync(Parent, ProofKind.Representative);
        await ProofRules.ApplyAsync(db, application, Parent, null, proof, submitting: true, CancellationToken.None);
        Assert.Equal(proof, application.RepresentativeProofId);
    }

    [Fact]
    public async Task Mother_submits_without_a_representative_proof()
    {
        await using var db = Db();
        await ProofRules.ApplyAsync(db, Draft("Mother"), Parent, null, null, submitting: true, CancellationToken.None);
    }

    [Fact]
    public async Task Proof_of_another_applicant_is_not_found_and_a_proof_of_the_wrong_kind_is_refused()
    {
        await using var db = Db();
        var foreign = await AddProofAsync("20202198000002", ProofKind.Priority);
        var e = await Assert.ThrowsAsync<NotFound>(() => ProofRules.ApplyAsync(db, Draft("Mother"), Parent, foreign, null, submitting: true, CancellationToken.None));
        Assert.Equal("NOT_FOUND", e.Code);

        var representative = await AddProofAsync(Parent, ProofKind.Representative);
        var wrong = await Assert.ThrowsAsync<RuleViolation>(() => ProofRules.ApplyAsync(db, Draft("Mother"), Parent, representative, null, submitting: true, CancellationToken.None));
        Assert.Equal("PROOF_KIND_MISMATCH", wrong.Code);
    }

    [Theory]
    [InlineData("CANCELLED_BY_PARENT: moving to Osh with Aida", "CANCELLED_BY_PARENT")]
    [InlineData("SUBMITTED", "SUBMITTED")]
    [InlineData("Certificate expired, Asanova", null)]
    [InlineData(null, null)]
    public void Retention_keeps_only_the_code_of_a_history_reason(string? reason, string? expected)
    {
        Assert.Equal(expected, RetentionJob.ReasonCode(reason));
    }

    public void Dispose()
    {
        _connection.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
