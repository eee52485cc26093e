using System.Net;
using System.Security.Cryptography;
using System.Text;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;

namespace Enrollment.Host.Tests.Registry;

/// <summary>Proof files (issue #5/#8): upload checks by content, storage outside wwwroot, who may read them, audit, tamper check.</summary>
public sealed class ProofFileTests(StageTwoApplicationsFactory factory) : IClassFixture<StageTwoApplicationsFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static readonly string School = Tiny.Account("SchoolAdmin").SchoolCode!;

    private string ProofsFolder => Path.Combine(factory.DataDirectory, "proofs");

    private int StoredFiles => Directory.Exists(ProofsFolder) ? Directory.GetFiles(ProofsFolder).Length : 0;

    [Fact]
    public async Task Upload_refusals_have_their_own_codes_and_leave_no_file()
    {
        var token = await _client.SignUpAsync(Families.Eligible[10]);
        var before = StoredFiles;

        var (status, body) = await _client.UploadAsync(token, ProofKit.Pdf((int)ProofKit.MaxBytes + 1));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("PROOF_TOO_LARGE", body.Code());

        (status, body) = await _client.UploadAsync(token, ProofKit.Png, "scan.pdf", "application/pdf");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("PROOF_TYPE_NOT_ALLOWED", body.Code());

        (status, body) = await _client.UploadAsync(token, [], "empty.pdf");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("PROOF_EMPTY", body.Code());

        (status, body) = await _client.UploadAsync(token, Encoding.UTF8.GetBytes("<script>alert(1)</script>"), "photo.jpg", "image/jpeg");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("PROOF_TYPE_NOT_ALLOWED", body.Code());

        (status, body) = await _client.UploadAsync(null, ProofKit.Pdf());
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("UNAUTHENTICATED", body.Code());

        var staff = await _client.LoginAsync("school", "Demo-School-2026!");
        (status, body) = await _client.UploadAsync(staff, ProofKit.Pdf());
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("ACCESS_DENIED", body.Code());

        Assert.Equal(before, StoredFiles);
    }

    [Fact]
    public async Task Exactly_five_megabytes_is_accepted_and_stored_with_its_sha256_under_a_random_name_outside_wwwroot()
    {
        var token = await _client.SignUpAsync(Families.Eligible[11]);
        var bytes = ProofKit.Pdf((int)ProofKit.MaxBytes);
        var (status, body) = await _client.UploadAsync(token, bytes, "../../wwwroot/evil.jpg", "image/png");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("application/pdf", body["contentType"]!.GetValue<string>());
        Assert.Equal(ProofKit.MaxBytes, body["size"]!.GetValue<long>());
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Equal(sha, body["sha256"]!.GetValue<string>());

        var stored = Directory.GetFiles(ProofsFolder).Where(f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))) == sha).ToList();
        var path = Assert.Single(stored);
        Assert.Matches("^[0-9a-f]{32}$", Path.GetFileName(path));
        var webRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
        Assert.False(path.StartsWith(webRoot, StringComparison.Ordinal));
        Assert.DoesNotContain(Directory.EnumerateFiles(factory.DataDirectory, "*evil*", SearchOption.AllDirectories), _ => true);
        var webRoots = new[] { webRoot, Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "Host", "wwwroot")) };
        Assert.All(webRoots.Where(Directory.Exists), root => Assert.Empty(Directory.EnumerateFiles(root, Path.GetFileName(path), SearchOption.AllDirectories)));

        // Not reachable as a static file.
        var guess = await _client.GetAsync("/proofs/" + Path.GetFileName(path));
        Assert.NotEqual(HttpStatusCode.OK, guess.StatusCode);
    }

    [Fact]
    public async Task Proof_is_served_to_its_parent_and_the_staff_in_scope_and_is_404_for_everyone_else()
    {
        var programs = await _client.ProgramsWithDistrictAsync();
        var district = Tiny.Account("DistrictOfficer").DistrictCode!;
        var mine = programs.First(p => p.School == School);
        var elsewhere = programs.First(p => p.School != School && p.District != district && p.District != mine.District);

        var parent = await _client.SignUpAsync(Families.Eligible[12]);
        var (_, uploaded) = await _client.UploadAsync(parent, ProofKit.Jpeg(), "cert.pdf", "application/pdf");
        var proofId = uploaded["id"]!.GetValue<string>();
        Assert.Equal("image/jpeg", uploaded["contentType"]!.GetValue<string>());
        var (_, submitted) = await _client.PostAsync(ProofKit.SubmitWithProofFields,
            ProofKit.SubmitWithProofs(Families.Eligible[12], (elsewhere.School, elsewhere.Language), "Disability", proofId), parent);
        Assert.True(submitted["errors"] is null, submitted.ToJsonString());
        var proof = submitted["data"]!["submitApplication"]!["priorityProof"]!;
        Assert.Equal(proofId, proof["id"]!.GetValue<string>());
        Assert.Equal(uploaded["sha256"]!.GetValue<string>(), proof["sha256"]!.GetValue<string>());

        using (var own = await _client.DownloadAsync(parent, proofId))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            Assert.Equal("image/jpeg", own.Content.Headers.ContentType!.MediaType);
            Assert.Equal("attachment", own.Content.Headers.ContentDisposition?.DispositionType ?? ContentDisposition(own));
            Assert.Equal("nosniff", own.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Contains("no-store", own.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
            Assert.Equal(ProofKit.Jpeg(), await own.Content.ReadAsByteArrayAsync());
        }

        var other = await _client.SignUpAsync(Families.Eligible[13]);
        using (var stranger = await _client.DownloadAsync(other, proofId))
        {
            Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
            Assert.Equal("NOT_FOUND", await ProofKit.CodeOf(stranger));
        }

        // Another family cannot attach it either (no IDOR): NOT_FOUND, as for an unknown id.
        var (_, stolen) = await _client.PostAsync(ProofKit.SubmitWithProofFields,
            ProofKit.SubmitWithProofs(Families.Eligible[13], (mine.School, mine.Language), "Disability", proofId), other);
        Assert.Equal("NOT_FOUND", stolen.ErrorCode());

        // The demo school admin and district officer are of another school and district: 404, as for a made-up id.
        foreach (var account in new[] { Tiny.Account("SchoolAdmin"), Tiny.Account("DistrictOfficer"), Tiny.Account("Analyst") })
        {
            var token = await _client.LoginAsync(account.UserName, account.Password);
            using var refused = await _client.DownloadAsync(token, proofId);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            using var unknown = await _client.DownloadAsync(token, Guid.NewGuid().ToString());
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        var schoolPage = await factory.SignedInAsync("school", "Demo-School-2026!");
        Assert.Equal(HttpStatusCode.NotFound, (await schoolPage.GetAsync($"/admin/registry/proof?id={proofId}")).StatusCode);

        using (var anonymous = await _client.DownloadAsync(null, proofId))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        // The ministry may read it (bearer), and the read is audited.
        var ministry = await _client.LoginAsync("ministry", Tiny.Account("MinistryAdmin").Password);
        using (var read = await _client.DownloadAsync(ministry, proofId))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        var (_, audit) = await _client.PostAsync("query($k: String) { auditEntries(module: \"reads\", entity: \"ProofFile\", entityKey: $k) { action actorName reason } }",
            new { k = proofId }, ministry);
        var reads = audit["data"]!["auditEntries"]!.AsArray().Where(e => e!["action"]!.GetValue<string>() == "Read").ToList();
        Assert.Contains(reads, e => e!["actorName"]!.GetValue<string>() == "ministry");
        Assert.DoesNotContain(reads, e => e!["actorName"]!.GetValue<string>() == Families.Eligible[12].ParentPin);
    }

    [Fact]
    public async Task School_admin_of_a_chosen_school_opens_the_proof_from_the_application_page_and_the_read_is_audited()
    {
        var program = (await _client.ProgramsAsync([School])).First();
        var parent = await _client.SignUpAsync(Families.Eligible[14]);
        var (_, uploaded) = await _client.UploadAsync(parent, ProofKit.Pdf(4096));
        var proofId = uploaded["id"]!.GetValue<string>();
        var (_, submitted) = await _client.PostAsync(ProofKit.SubmitWithProofFields,
            ProofKit.SubmitWithProofs(Families.Eligible[14], program, "Kairylman", proofId), parent);
        var applicationId = submitted["data"]!["submitApplication"]!["id"]!.GetValue<string>();

        var admin = await factory.SignedInAsync("school", "Demo-School-2026!");
        var list = await admin.GetStringAsync("/admin/registry/applications?priority=Claimed");
        Assert.Contains($"id=\"proof-{applicationId}\"", list, StringComparison.Ordinal);
        Assert.Contains($"/admin/registry/proof?id={proofId}", list, StringComparison.Ordinal);
        Assert.Contains(uploaded["sha256"]!.GetValue<string>()[..12], list, StringComparison.Ordinal);

        using var file = await admin.GetAsync($"/admin/registry/proof?id={proofId}");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("application/pdf", file.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", file.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(ProofKit.Pdf(4096), await file.Content.ReadAsByteArrayAsync());

        var district = await _client.LoginAsync("district", "Demo-District-2026!");
        var sameDistrict = Tiny.Account("DistrictOfficer").DistrictCode == (await _client.ProgramsWithDistrictAsync()).First(p => p.School == School).District;
        using (var officer = await _client.DownloadAsync(district, proofId))
        {
            Assert.Equal(sameDistrict ? HttpStatusCode.OK : HttpStatusCode.NotFound, officer.StatusCode);
        }

        var ministry = await _client.LoginAsync("ministry", Tiny.Account("MinistryAdmin").Password);
        var (_, audit) = await _client.PostAsync("query($k: String) { auditEntries(module: \"reads\", entity: \"ProofFile\", entityKey: $k) { action actorName schoolCode reason } }",
            new { k = proofId }, ministry);
        Assert.Contains(audit["data"]!["auditEntries"]!.AsArray(),
            e => e!["action"]!.GetValue<string>() == "Read" && e["actorName"]!.GetValue<string>() == "school" && e["schoolCode"]!.GetValue<string>() == School);

        // The parent's own reads are not staff reads.
        using (await _client.DownloadAsync(parent, proofId))
        {
        }

        var (_, after) = await _client.PostAsync("query($k: String) { auditEntries(module: \"reads\", entity: \"ProofFile\", entityKey: $k) { action actorName } }",
            new { k = proofId }, ministry);
        Assert.DoesNotContain(after["data"]!["auditEntries"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "Read" && e["actorName"]!.GetValue<string>() == Families.Eligible[14].ParentPin);
    }

    [Fact]
    public async Task Tampered_proof_file_is_refused_with_a_clear_error_not_served()
    {
        var parent = await _client.SignUpAsync(Families.Eligible[15]);
        var bytes = ProofKit.Pdf(3000);
        var (_, uploaded) = await _client.UploadAsync(parent, bytes);
        var proofId = uploaded["id"]!.GetValue<string>();
        var sha = uploaded["sha256"]!.GetValue<string>();
        var path = Directory.GetFiles(ProofsFolder).Single(f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))) == sha);
        var changed = (byte[])bytes.Clone();
        changed[100] ^= 0xFF;
        await File.WriteAllBytesAsync(path, changed);

        using var response = await _client.DownloadAsync(parent, proofId);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("PROOF_INTEGRITY_FAILED", await ProofKit.CodeOf(response));
    }

    [Fact]
    public async Task Proof_of_the_wrong_kind_or_an_unknown_id_is_refused_at_submit()
    {
        var family = Families.Eligible[16];
        var parent = await _client.SignUpAsync(family);
        var program = (await _client.ProgramsAsync([School])).First();
        var (_, representative) = await _client.UploadAsync(parent, ProofKit.Pdf(), kind: "Representative");
        var (_, wrongKind) = await _client.PostAsync(ProofKit.SubmitWithProofFields,
            ProofKit.SubmitWithProofs(family, program, "Disability", representative["id"]!.GetValue<string>()), parent);
        Assert.Equal("PROOF_KIND_MISMATCH", wrongKind.ErrorCode());
        var (_, unknown) = await _client.PostAsync(ProofKit.SubmitWithProofFields,
            ProofKit.SubmitWithProofs(family, program, "Disability", Guid.NewGuid().ToString()), parent);
        Assert.Equal("NOT_FOUND", unknown.ErrorCode());
        var (status, badKind) = await _client.UploadAsync(parent, ProofKit.Pdf(), kind: "Passport");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("PROOF_BAD_KIND", badKind.Code());
    }

    private static string ContentDisposition(HttpResponseMessage response) =>
        response.Content.Headers.TryGetValues("Content-Disposition", out var v) ? v.Single().Split(';')[0] : "";
}
