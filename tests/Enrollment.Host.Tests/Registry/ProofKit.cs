using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Enrollment.Host.Tests.Registry;

/// <summary>Proof uploads and downloads over the real HTTP endpoints.</summary>
public static class ProofKit
{
    public const long MaxBytes = 5 * 1024 * 1024;

    public static byte[] Pdf(int size = 2048)
    {
        var bytes = new byte[size];
        Encoding.ASCII.GetBytes("%PDF-1.7\n").CopyTo(bytes, 0);
        for (var i = 9; i < size; i++)
        {
            bytes[i] = (byte)('a' + (i % 26));
        }

        return bytes;
    }

    public static byte[] Jpeg(int size = 1024)
    {
        var bytes = new byte[size];
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        bytes[3] = 0xE0;
        return bytes;
    }

    public static byte[] Png => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R'];

    public static async Task<(HttpStatusCode Status, JsonNode Body)> UploadAsync(
        this HttpClient client, string? token, byte[] bytes, string fileName = "proof.pdf", string contentType = "application/pdf", string kind = "Priority")
    {
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        content.Add(file, "file", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/registry/proofs?kind={kind}") { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!);
    }

    public static async Task<HttpResponseMessage> DownloadAsync(this HttpClient client, string? token, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/registry/proofs/{id}");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request);
    }

    public static string Code(this JsonNode body) => body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>();

    public static async Task<string> CodeOf(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!.Code();

    /// <summary>Programs with approved seats, with their district.</summary>
    public static async Task<List<(string School, string Language, string District)>> ProgramsWithDistrictAsync(this HttpClient client)
    {
        var (_, body) = await client.PostAsync("{ programs { schoolCode language districtCode approvedSeats } }");
        return [.. body["data"]!["programs"]!.AsArray().Where(p => p!["approvedSeats"]!.GetValue<int>() > 0)
            .Select(p => (p!["schoolCode"]!.GetValue<string>(), p["language"]!.GetValue<string>(), p["districtCode"]!.GetValue<string>()))];
    }

    public static object SubmitWithProofs(Family family, (string School, string Language) choice, string? priority, string? priorityProofId,
        string? representativeProofId = null) => new
        {
            input = new
            {
                childPin = family.ChildPin, consent = true, priorityCategory = priority, priorityProofId, representativeProofId,
                contacts = new { phone = "+996 555 123456", email = "parent@example.kg", language = "ru" },
                choices = new[] { new { schoolCode = choice.School, language = choice.Language } },
            },
        };

    public const string SubmitWithProofFields = """
        mutation($input: SubmitApplicationInput!) {
          submitApplication(input: $input) { id status priorityProof { id kind sha256 size contentType uploadedAt } representativeProof { id } }
        }
        """;
}
