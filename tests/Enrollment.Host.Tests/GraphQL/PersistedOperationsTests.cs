using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Host.GraphQL;
using GraphQL;
using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.GraphQL;

/// <summary>
/// Three hosts over one database (clock in Stage One, like <see cref="Registry.ApplicationsFactory"/>): persisted operations
/// Off, Allowed and Required (docs/adr/0802-persisted-operations.md).
/// </summary>
public sealed class PersistedOperationsHosts : Registry.ApplicationsFactory
{
    private readonly Dictionary<PersistedOperationsMode, WebApplicationFactory<Program>> _hosts = [];

    /// <summary>Bearer tokens by caller kind, shared by the three hosts (one signing key, one database): few sign-ins.</summary>
    public Dictionary<string, string> Tokens { get; } = [];

    internal WebApplicationFactory<Program> In(PersistedOperationsMode mode)
    {
        lock (_hosts)
        {
            if (!_hosts.TryGetValue(mode, out var host))
            {
                host = mode == PersistedOperationsMode.Off
                    ? this
                    : WithWebHostBuilder(b => b.UseSetting(PersistedOperationsOptions.Section + ":Mode", mode.ToString()));
                _hosts[mode] = host;
            }

            return host;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var host in _hosts.Values.Where(h => h != this))
            {
                host.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}

/// <summary>
/// Persisted (allow-listed) operations: in Allowed mode anyone may send a listed document id instead of the text; in
/// Required mode anonymous and parent callers may run only listed operations while staff keep ad-hoc queries; clients
/// can never add documents; text and id that disagree are refused; the shipped manifest is honest and valid.
/// </summary>
public sealed class PersistedOperationsTests(PersistedOperationsHosts hosts) : IClassFixture<PersistedOperationsHosts>
{
    private const string AdHoc = "{ openDataRegions { regionCode } }";

    public enum Caller
    {
        Anonymous,
        Parent,
        Staff,
    }

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Manifest = new(() =>
        PersistedOperations.LoadManifest(Path.Combine(RepositoryRoot(), "src", "Host", "persisted-operations.json")));

    private static string Listed(string operationName) =>
        Manifest.Value.Single(d => d.Value.Contains(" " + operationName + "(", StringComparison.Ordinal)
                                   || d.Value.Contains(" " + operationName + " {", StringComparison.Ordinal)).Key;

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Enrollment.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Enrollment.sln not found above the test binaries.");
    }

    private async Task<string?> TokenAsync(HttpClient client, Caller caller)
    {
        if (caller == Caller.Anonymous)
        {
            return null;
        }

        if (!hosts.Tokens.TryGetValue(caller.ToString(), out var token))
        {
            var account = caller == Caller.Parent ? Tiny.Parents[0] : Tiny.Account(Roles.Analyst);
            token = await LoginAsync(client, account.UserName, account.Password);
            hosts.Tokens[caller.ToString()] = token;
        }

        return token;
    }

    /// <summary>Signs in with the listed SignIn operation, so it works in every mode.</summary>
    private static async Task<string> LoginAsync(HttpClient client, string userName, string password)
    {
        var reply = await client.SendAsync(RawHttp.PostJson(new { documentId = Listed("SignIn"), variables = new { userName, password } }));
        var body = JsonNode.Parse(await reply.Content.ReadAsStringAsync())!;
        Assert.True(reply.StatusCode == HttpStatusCode.OK && body["errors"] is null, body.ToJsonString());
        return body["data"]!["login"]!["accessToken"]!.GetValue<string>();
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(string mode, Caller caller, object body,
        string accept = RawHttp.ResponseJson)
    {
        var client = hosts.In(Enum.Parse<PersistedOperationsMode>(mode)).CreateClient();
        var request = RawHttp.PostJson(body, accept, await TokenAsync(client, caller));
        using var reply = await client.SendAsync(request);
        return (reply.StatusCode, JsonNode.Parse(await reply.Content.ReadAsStringAsync())!);
    }

    private static void AssertRan((HttpStatusCode Status, JsonNode Body) reply)
    {
        Assert.True(reply.Status == HttpStatusCode.OK && reply.Body["errors"] is null, $"{reply.Status} {reply.Body.ToJsonString()}");
        Assert.NotEmpty(reply.Body["data"]!["openDataRegions"]!.AsArray());
    }

    private static void AssertRefused((HttpStatusCode Status, JsonNode Body) reply, HttpStatusCode status, string code)
    {
        Assert.True(reply.Status == status, $"{reply.Status} {reply.Body.ToJsonString()}");
        Assert.Equal(code, reply.Body.ErrorCode());
        Assert.Null(reply.Body["data"]);
    }

    [Theory]
    [InlineData("Off", Caller.Anonymous)]
    [InlineData("Off", Caller.Parent)]
    [InlineData("Off", Caller.Staff)]
    [InlineData("Allowed", Caller.Anonymous)]
    [InlineData("Allowed", Caller.Parent)]
    [InlineData("Allowed", Caller.Staff)]
    [InlineData("Required", Caller.Staff)]
    public async Task Ad_hoc_text_runs_when_off_when_allowed_and_for_staff_when_required(string mode, Caller caller) =>
        AssertRan(await SendAsync(mode, caller, new { query = AdHoc }));

    [Theory]
    [InlineData(Caller.Anonymous)]
    [InlineData(Caller.Parent)]
    public async Task Required_mode_refuses_ad_hoc_text_from_anonymous_and_parent_callers(Caller caller)
    {
        AssertRefused(await SendAsync("Required", caller, new { query = AdHoc }),
            HttpStatusCode.BadRequest, PersistedOperations.Required);
        // With application/json a refused (well-formed) request is 200 with errors and no data, like a validation error.
        AssertRefused(await SendAsync("Required", caller, new { query = AdHoc }, RawHttp.Json),
            HttpStatusCode.OK, PersistedOperations.Required);
    }

    [Theory]
    [InlineData("Allowed", Caller.Anonymous)]
    [InlineData("Allowed", Caller.Parent)]
    [InlineData("Allowed", Caller.Staff)]
    [InlineData("Required", Caller.Anonymous)]
    [InlineData("Required", Caller.Parent)]
    [InlineData("Required", Caller.Staff)]
    public async Task A_listed_document_runs_by_document_id_by_apollo_hash_and_as_its_exact_text(string mode, Caller caller)
    {
        var id = Listed("OpenDataRegions");
        AssertRan(await SendAsync(mode, caller, new { documentId = id }));
        AssertRan(await SendAsync(mode, caller, new { extensions = new { persistedQuery = new { version = 1, sha256Hash = id["sha256:".Length..] } } }));
        AssertRan(await SendAsync(mode, caller, new { query = Manifest.Value[id] }));
        AssertRan(await SendAsync(mode, caller, new { query = Manifest.Value[id], documentId = id }));
    }

    [Theory]
    [InlineData(Caller.Anonymous)]
    [InlineData(Caller.Parent)]
    [InlineData(Caller.Staff)]
    public async Task When_off_a_document_id_alone_is_a_request_without_a_query_as_before(Caller caller) =>
        AssertRefused(await SendAsync("Off", caller, new { documentId = Listed("OpenDataRegions") }),
            HttpStatusCode.BadRequest, "QUERY_MISSING");

    [Theory]
    [InlineData("Allowed")]
    [InlineData("Required")]
    public async Task An_unknown_document_id_is_persisted_query_not_found(string mode)
    {
        var unknown = PersistedOperations.IdOf("{ openDataRegions { nameRu } }");
        AssertRefused(await SendAsync(mode, Caller.Anonymous, new { documentId = unknown }), HttpStatusCode.BadRequest, PersistedOperations.NotFound);
        AssertRefused(await SendAsync(mode, Caller.Anonymous, new { documentId = "not-an-id" }), HttpStatusCode.BadRequest, PersistedOperations.NotFound);
        AssertRefused(await SendAsync(mode, Caller.Staff, new { documentId = unknown }, RawHttp.Json), HttpStatusCode.OK, PersistedOperations.NotFound);
    }

    [Theory]
    [InlineData("Allowed")]
    [InlineData("Required")]
    public async Task Text_and_document_id_that_disagree_are_refused(string mode)
    {
        var id = Listed("OpenDataRegions");
        var other = Listed("OpenDataDaily");
        foreach (var caller in Enum.GetValues<Caller>())
        {
            AssertRefused(await SendAsync(mode, caller, new { query = AdHoc, documentId = id }), HttpStatusCode.BadRequest, PersistedOperations.Mismatch);
            AssertRefused(await SendAsync(mode, caller, new
            {
                query = AdHoc, extensions = new { persistedQuery = new { version = 1, sha256Hash = id["sha256:".Length..] } },
            }), HttpStatusCode.BadRequest, PersistedOperations.Mismatch);
            AssertRefused(await SendAsync(mode, caller, new
            {
                documentId = id, extensions = new { persistedQuery = new { version = 1, sha256Hash = other["sha256:".Length..] } },
            }), HttpStatusCode.BadRequest, PersistedOperations.Mismatch);
        }
    }

    [Fact]
    public async Task Apollo_registration_cannot_add_a_document_in_required_mode()
    {
        var hash = PersistedOperations.IdOf(AdHoc)["sha256:".Length..];
        var register = new { query = AdHoc, extensions = new { persistedQuery = new { version = 1, sha256Hash = hash } } };
        var byHash = new { extensions = new { persistedQuery = new { version = 1, sha256Hash = hash } } };

        AssertRefused(await SendAsync("Required", Caller.Anonymous, register), HttpStatusCode.BadRequest, PersistedOperations.NotFound);
        AssertRefused(await SendAsync("Required", Caller.Anonymous, byHash), HttpStatusCode.BadRequest, PersistedOperations.NotFound);
        // Staff keep ad-hoc text, so their APQ "registration" simply runs the text; it still registers nothing.
        AssertRan(await SendAsync("Required", Caller.Staff, register));
        AssertRefused(await SendAsync("Required", Caller.Parent, byHash), HttpStatusCode.BadRequest, PersistedOperations.NotFound);
    }

    [Theory]
    [InlineData("Allowed")]
    [InlineData("Required")]
    public async Task Get_runs_a_listed_query_by_document_id_and_refuses_a_listed_mutation_with_405(string mode)
    {
        var client = hosts.In(Enum.Parse<PersistedOperationsMode>(mode)).CreateClient();
        using var query = await client.SendAsync(Get($"documentId={Uri.EscapeDataString(Listed("OpenDataRegions"))}"));
        var body = JsonNode.Parse(await query.Content.ReadAsStringAsync())!;
        Assert.True(query.StatusCode == HttpStatusCode.OK && body["errors"] is null, body.ToJsonString());

        var variables = JsonSerializer.Serialize(new { userName = "ministry", password = Tiny.Account(Roles.MinistryAdmin).Password });
        using var mutation = await client.SendAsync(Get(
            $"documentId={Uri.EscapeDataString(Listed("SignIn"))}&variables={Uri.EscapeDataString(variables)}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, mutation.StatusCode);
        Assert.Contains("POST", mutation.Content.Headers.Allow);
        Assert.Null(JsonNode.Parse(await mutation.Content.ReadAsStringAsync())!["data"]);
    }

    private static HttpRequestMessage Get(string parameters)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/graphql?" + parameters);
        request.Headers.Accept.ParseAdd(RawHttp.ResponseJson);
        return request;
    }

    [Fact]
    public async Task A_parent_signs_up_drafts_submits_reads_and_cancels_with_listed_operations_only_when_they_are_required()
    {
        var client = hosts.In(PersistedOperationsMode.Required).CreateClient();
        var family = Registry.Families.Eligible[0];

        async Task<JsonNode> RunAsync(string operation, object variables, string? token)
        {
            using var reply = await client.SendAsync(RawHttp.PostJson(new { documentId = Listed(operation), variables }, bearer: token));
            var body = JsonNode.Parse(await reply.Content.ReadAsStringAsync())!;
            Assert.True(reply.StatusCode == HttpStatusCode.OK && body["errors"] is null, $"{operation}: {reply.StatusCode} {body.ToJsonString()}");
            return body["data"]!;
        }

        var pair = (await RunAsync("SignUp", new { pin = family.ParentPin, password = Registry.Families.Password }, null))["signUp"]!;
        var token = (await RunAsync("Refresh", new { refreshToken = pair["refreshToken"]!.GetValue<string>() }, null))["refreshToken"]!["accessToken"]!.GetValue<string>();
        Assert.Contains((await RunAsync("MyChildren", new { }, token))["myChildren"]!.AsArray(), c => c!["pin"]!.GetValue<string>() == family.ChildPin);
        var draft = (await RunAsync("CreateDraft", new { childPin = family.ChildPin }, token))["createDraft"]!;
        var resident = draft["residentSchoolCodes"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();
        var program = (await RunAsync("Programs", new { schoolCodes = resident }, token))["programs"]!.AsArray()
            .First(p => p!["approvedSeats"]!.GetValue<int>() > 0)!;
        var submitted = (await RunAsync("SubmitApplication", Registry.Families.SubmitInput(family,
            [(program["schoolCode"]!.GetValue<string>(), program["language"]!.GetValue<string>())]), token))["submitApplication"]!;
        var id = submitted["id"]!.GetValue<string>();
        Assert.Contains((await RunAsync("MyApplications", new { }, token))["myApplications"]!.AsArray(), a => a!["id"]!.GetValue<string>() == id);
        Assert.Equal(id, (await RunAsync("Application", new { id }, token))["application"]!["id"]!.GetValue<string>());
        await RunAsync("Notifications", new { applicationId = id }, token);
        await RunAsync("MyAppeals", new { }, token);
        await RunAsync("CurrentStage", new { }, null);
        await RunAsync("OpenDataSeats", new { level = "REGION" }, null);
        var cancelled = (await RunAsync("CancelApplication", new { applicationId = id, reason = "changed our mind" }, token))["cancelApplication"]!;
        Assert.Equal(id, cancelled["id"]!.GetValue<string>());

        // The same parent's ad-hoc text is refused in this mode.
        using var adHoc = await client.SendAsync(RawHttp.PostJson(new { query = "{ myApplications { id childPin } }" }, bearer: token));
        Assert.Equal(PersistedOperations.Required, JsonNode.Parse(await adHoc.Content.ReadAsStringAsync())!.ErrorCode());
    }

    [Fact]
    public void Every_manifest_id_is_the_sha256_of_its_document()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "Host", "persisted-operations.json"));
        var manifest = JsonSerializer.Deserialize<Dictionary<string, string>>(text)!;
        Assert.NotEmpty(manifest);
        foreach (var (id, document) in manifest)
        {
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(document)));
            Assert.Equal("sha256:" + hash, id);
        }
    }

    [Fact]
    public void The_manifest_holds_exactly_the_operation_files()
    {
        var directory = Path.Combine(RepositoryRoot(), "src", "Host", "GraphQL", "PersistedOperations", "operations");
        var files = Directory.GetFiles(directory, "*.graphql")
            .Select(f => File.ReadAllText(f).Replace("\r", "", StringComparison.Ordinal).TrimEnd('\n'))
            .Order(StringComparer.Ordinal).ToList();
        // Regenerate with: bash tools/persisted-operations.sh
        Assert.Equal(files, Manifest.Value.Values.Order(StringComparer.Ordinal).ToList());
        foreach (var operation in new[]
                 {
                     "SignIn", "SignUp", "Refresh", "MyChildren", "CreateDraft", "SubmitApplication", "ConfirmOffer", "CancelApplication",
                     "MyAppeals", "FileAppeal", "OpenDataRegions", "OpenDataApplications", "OpenDataSeats", "OpenDataPrograms", "OpenDataDaily",
                 })
        {
            Assert.NotNull(Listed(operation));
        }
    }

    [Fact]
    public async Task Every_shipped_operation_validates_against_the_current_schema()
    {
        var schema = hosts.Services.GetRequiredService<AppSchema>();
        schema.Initialize();
        var failures = new List<string>();
        foreach (var (id, text) in Manifest.Value)
        {
            var document = GraphQLParser.Parser.Parse(text);
            var operation = Assert.Single(document.Definitions.OfType<GraphQLOperationDefinition>());
            var result = await new DocumentValidator().ValidateAsync(new ValidationOptions
            {
                Schema = schema,
                Document = document,
                Operation = operation,
                Rules = DocumentValidator.CoreRules,
                Variables = Inputs.Empty,
                Extensions = Inputs.Empty,
                RequestServices = hosts.Services,
                User = new System.Security.Claims.ClaimsPrincipal(),
            });
            // Variable values are the client's; the document itself must be valid.
            failures.AddRange(result.Errors.Where(e => e is not InvalidVariableError).Select(e => $"{id} ({operation.Name}): {e.Message}"));
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
