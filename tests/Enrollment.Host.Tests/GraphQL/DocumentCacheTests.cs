using System.Net;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Host.GraphQL;
using GraphQL;
using GraphQL.Validation;
using GraphQL.Validation.Rules;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.GraphQL;

/// <summary>
/// The parsed-document cache (docs/adr/0803-graphql-document-cache.md): a query text is parsed once, but every request
/// is validated again with its own caller, method and rules; the cache is bounded.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class DocumentCacheTests(EnrollmentFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    private DocumentCache Cache => factory.Services.GetRequiredService<DocumentCache>();

    /// <summary>A text no other test sends, so the counters below move only because of this test.</summary>
    private static string Unique(string document) => $"# {Guid.NewGuid():N}\n{document}";

    [Fact]
    public async Task The_same_query_text_is_parsed_once_and_then_served_from_the_cache()
    {
        var query = Unique($"{{ school(code: \"{Tiny.Data.Schools[0].Code}\") {{ code }} }}");
        var (hits, misses, count) = (Cache.Hits, Cache.Misses, Cache.Count);

        var first = await _client.PostAsync(query);
        var second = await _client.PostAsync(query);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.True(first.Body["errors"] is null, first.Body.Pretty());
        Assert.Equal(first.Body.ToJsonString(), second.Body.ToJsonString());
        Assert.Equal(misses + 1, Cache.Misses);
        Assert.Equal(hits + 1, Cache.Hits);
        Assert.Equal(count + 1, Cache.Count);
    }

    [Fact]
    public async Task A_cached_document_is_still_authorized_per_caller_parent_anonymous_and_staff_get_their_own_answers()
    {
        var query = Unique("{ myChildren { pin } }");
        var parent = Tiny.Parents[0];
        var parentToken = await _client.LoginAsync(parent.UserName, parent.Password);
        var staff = Tiny.Account(Roles.MinistryAdmin);
        var staffToken = await _client.LoginAsync(staff.UserName, staff.Password);

        var asParent = await _client.PostAsync(query, bearer: parentToken);
        var hits = Cache.Hits;
        var anonymous = await _client.PostAsync(query);
        var asStaff = await _client.PostAsync(query, bearer: staffToken);
        var parentAgain = await _client.PostAsync(query, bearer: parentToken);

        Assert.True(asParent.Status == HttpStatusCode.OK && asParent.Body["errors"] is null, asParent.Body.Pretty());
        Assert.Equal(hits + 3, Cache.Hits); // the three later requests all used the parent's cached document
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal("UNAUTHENTICATED", anonymous.Body.ErrorCode());
        Assert.Null(anonymous.Body["data"]);
        Assert.Equal(HttpStatusCode.Forbidden, asStaff.Status);
        Assert.Equal("ACCESS_DENIED", asStaff.Body.ErrorCode());
        Assert.Equal(asParent.Body.ToJsonString(), parentAgain.Body.ToJsonString());
    }

    [Fact]
    public async Task A_mutation_cached_from_a_post_is_still_refused_over_get()
    {
        var mutation = Unique("mutation($u: String!, $p: String!) { login(userName: $u, password: $p) { accessToken } }");
        await _client.PostAsync(mutation, new { u = "nobody-document-cache", p = "wrong" });
        var hits = Cache.Hits;

        var get = await _client.AskAsync(RawHttp.Get(mutation, variables: """{"u":"nobody-document-cache","p":"wrong"}"""));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.Status);
        Assert.Equal(hits + 1, Cache.Hits);
    }

    [Fact]
    public async Task Texts_that_do_not_parse_or_validate_are_not_stored()
    {
        var count = Cache.Count;

        var unparsable = await _client.PostAsync(Unique("{ schools { code "));
        var unknownField = await _client.PostAsync(Unique("{ noSuchField }"));

        Assert.NotNull(unparsable.Body["errors"]);
        Assert.NotNull(unknownField.Body["errors"]);
        Assert.Equal(count, Cache.Count);
    }

    [Fact]
    public async Task The_cache_never_holds_more_query_text_than_its_bound_however_many_unique_texts_arrive()
    {
        using var cache = new DocumentCache(new GraphQLLimits { DocumentCacheChars = 2_000 });
        var texts = Enumerable.Range(0, 500).Select(i => $"{{ a{i}: __typename b{i}: __typename }}").ToList();

        foreach (var text in texts)
        {
            await cache.ExecuteAsync(new ExecutionOptions { Query = text }, Parsed);
            Assert.True(cache.Size <= 2_000, $"{cache.Size} characters held");
        }

        Assert.Equal(500, cache.Misses);
        Assert.InRange(cache.Count, 1, 2_000 / texts[0].Length);
        foreach (var text in texts)
        {
            await cache.ExecuteAsync(new ExecutionOptions { Query = text }, Parsed);
        }

        Assert.True(cache.Hits > 0, "the texts still held are served from the cache");
        Assert.True(cache.Size <= 2_000, $"{cache.Size} characters held");

        static Task<ExecutionResult> Parsed(ExecutionOptions options) => Task.FromResult(new ExecutionResult
        {
            Executed = true,
            Document = options.Document ?? GraphQLParser.Parser.Parse(options.Query!),
        });
    }

    [Fact]
    public async Task A_cached_document_skips_only_the_rules_that_depend_on_the_text_alone()
    {
        using var cache = new DocumentCache(new GraphQLLimits());
        var authorization = factory.Services.GetRequiredService<AuthorizationRule>();
        var aliases = factory.Services.GetRequiredService<AliasLimitRule>();
        IValidationRule[] rules = [.. DocumentValidator.CoreRules, authorization, aliases, OnlyQueriesOverGetRule.Instance];
        var seen = new List<IValidationRule[]>();
        Task<ExecutionResult> Run(ExecutionOptions options)
        {
            seen.Add([.. options.ValidationRules ?? []]);
            return Task.FromResult(new ExecutionResult { Executed = true, Document = options.Document ?? GraphQLParser.Parser.Parse(options.Query!) });
        }

        await cache.ExecuteAsync(new ExecutionOptions { Query = "{ __typename }", ValidationRules = rules }, Run);
        await cache.ExecuteAsync(new ExecutionOptions { Query = "{ __typename }", ValidationRules = rules }, Run);

        Assert.Equal(rules, seen[0]); // parsed: every rule
        Assert.Contains(authorization, seen[1]);
        Assert.Contains(OnlyQueriesOverGetRule.Instance, seen[1]);
        Assert.Contains(seen[1], r => r is FieldArgumentsAreValidRule); // reads the arguments' values, variables included
        Assert.DoesNotContain(aliases, seen[1]);
        Assert.DoesNotContain(seen[1], r => r is OverlappingFieldsCanBeMerged or VariablesInAllowedPosition or FieldsOnCorrectType);
        Assert.Equal(rules.Length - DocumentCache.DocumentOnlyRules.Count, seen[1].Length);
    }

    [Fact]
    public async Task A_cached_mutation_with_variables_of_the_wrong_type_is_still_refused_as_invalid()
    {
        var mutation = Unique("mutation($u: String!, $p: String!) { login(userName: $u, password: $p) { accessToken } }");
        await _client.PostAsync(mutation, new { u = "nobody-document-cache", p = "wrong" });
        var hits = Cache.Hits;

        var missing = await _client.PostAsync(mutation, new { u = "nobody-document-cache" });
        var wrongType = await _client.PostAsync(mutation, new { u = new[] { 1, 2 }, p = "wrong" });

        Assert.Equal(hits + 2, Cache.Hits);
        Assert.Equal("INVALID_VALUE", missing.Body.ErrorCode());
        Assert.Equal("INVALID_VALUE", wrongType.Body.ErrorCode());
        Assert.Null(missing.Body["data"]);
    }
}
