using System.Text.Json;
using System.Text.Json.Nodes;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Reporting.Data;
using Enrollment.Reporting.Features.Export;
using GraphQL;
using GraphQL.Types;
using GraphQLParser.AST;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Reporting.Features.SavedQueries;

internal sealed record SavedQueryDto(Guid Id, string Name, string Query, string? Variables, DateTimeOffset SavedAt);

/// <summary>An analyst (or the ministry) saves a named GraphQL query (read-only: no mutations) to re-run it from the admin.</summary>
internal sealed record SaveQuery(string Name, string Query, string? Variables) : ICommand<SavedQueryDto>;

internal sealed record GetSavedQueries : IQuery<IReadOnlyList<SavedQueryDto>>;

internal sealed record DeleteSavedQuery(Guid Id) : ICommand<bool>;

internal static class SavedQueryAccess
{
    public static string Owner(ICurrentUser user) =>
        user.IsInRole(Roles.Analyst) || user.IsInRole(Roles.MinistryAdmin)
            ? user.UserName ?? user.UserId ?? throw new AccessDenied()
            : throw new AccessDenied("Saved queries are for analysts and the ministry.");
}

internal sealed class SaveQueryHandler(ReportingDbContext db, ICurrentUser user, IClock clock) : ICommandHandler<SaveQuery, SavedQueryDto>
{
    public async ValueTask<SavedQueryDto> Handle(SaveQuery command, CancellationToken ct)
    {
        var owner = SavedQueryAccess.Owner(user);
        var name = command.Name?.Trim() ?? "";
        var errors = new List<Enrollment.BuildingBlocks.Errors.ValidationError>();
        if (name.Length is 0 or > 200) errors.Add(new Enrollment.BuildingBlocks.Errors.ValidationError("name", "OUT_OF_RANGE", "A name of 1 to 200 characters."));
        if (string.IsNullOrWhiteSpace(command.Query) || command.Query.Length > 20_000) errors.Add(new Enrollment.BuildingBlocks.Errors.ValidationError("query", "OUT_OF_RANGE", "A query of 1 to 20,000 characters."));
        if (errors.Count > 0) throw new ValidationFailed(errors);
        var variables = string.IsNullOrWhiteSpace(command.Variables) ? null : command.Variables.Trim();
        SavedQueryRunner.CheckReadOnly(command.Query);
        if (variables is not null && (variables.Length > 20_000 || !IsJsonObject(variables)))
        {
            throw new ValidationFailed([new Enrollment.BuildingBlocks.Errors.ValidationError("variables", "INVALID", "Variables must be a JSON object.")]);
        }

        var row = await db.SavedQueries.SingleOrDefaultAsync(q => q.Owner == owner && q.Name == name, ct);
        if (row is null)
        {
            row = new SavedQueryRow { Id = Guid.NewGuid(), Owner = owner, Name = name, Query = command.Query };
            db.SavedQueries.Add(row);
        }

        (row.Query, row.Variables, row.SavedAt) = (command.Query, variables, clock.UtcNow);
        await db.SaveChangesAsync(ct);
        return SavedQueryRunner.Dto(row);
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

internal sealed class GetSavedQueriesHandler(ReportingDbContext db, ICurrentUser user) : IQueryHandler<GetSavedQueries, IReadOnlyList<SavedQueryDto>>
{
    public async ValueTask<IReadOnlyList<SavedQueryDto>> Handle(GetSavedQueries query, CancellationToken ct)
    {
        var owner = SavedQueryAccess.Owner(user);
        var rows = await db.SavedQueries.AsNoTracking().Where(q => q.Owner == owner).ToListAsync(ct);
        return [.. rows.OrderBy(r => r.Name, StringComparer.Ordinal).Select(SavedQueryRunner.Dto)];
    }
}

internal sealed class DeleteSavedQueryHandler(ReportingDbContext db, ICurrentUser user) : ICommandHandler<DeleteSavedQuery, bool>
{
    public async ValueTask<bool> Handle(DeleteSavedQuery command, CancellationToken ct)
    {
        var owner = SavedQueryAccess.Owner(user);
        return await db.SavedQueries.Where(q => q.Id == command.Id && q.Owner == owner).ExecuteDeleteAsync(ct) > 0;
    }
}

/// <summary>
/// Runs a saved query through the same GraphQL executer, schema, validation (authorization, complexity) and user as the
/// /graphql endpoint, and turns the first list of objects in the answer into a table for CSV/.xlsx export.
/// </summary>
internal static class SavedQueryRunner
{
    public static SavedQueryDto Dto(SavedQueryRow r) => new(r.Id, r.Name, r.Query, r.Variables, r.SavedAt);

    public static void CheckReadOnly(string query)
    {
        GraphQLDocument document;
        try
        {
            document = GraphQLParser.Parser.Parse(query);
        }
        catch (GraphQLParser.Exceptions.GraphQLSyntaxErrorException e)
        {
            throw new ValidationFailed([new Enrollment.BuildingBlocks.Errors.ValidationError("query", "SYNTAX", e.Description)]);
        }

        if (document.Definitions.OfType<GraphQLOperationDefinition>().Any(o => o.Operation != OperationType.Query))
        {
            throw new RuleViolation("SAVED_QUERY_NOT_A_QUERY", "Only queries can be saved (no mutations or subscriptions).");
        }
    }

    public static async Task<JsonNode> RunAsync(IServiceProvider services, System.Security.Claims.ClaimsPrincipal user, SavedQueryDto saved, CancellationToken ct)
    {
        CheckReadOnly(saved.Query);
        var serializer = services.GetRequiredService<IGraphQLTextSerializer>();
        var executer = services.GetRequiredService<IDocumentExecuter>();
        var result = await executer.ExecuteAsync(new ExecutionOptions
        {
            Schema = EndpointSchema(services),
            Query = saved.Query,
            Variables = saved.Variables is null ? null : serializer.Deserialize<Inputs>(saved.Variables),
            RequestServices = services,
            User = user,
            CancellationToken = ct,
        });
        return JsonNode.Parse(serializer.Serialize(result))!;
    }

    private static Type? _schemaType;

    /// <summary>
    /// The one schema the host built and serves at /graphql (a singleton of a concrete <see cref="ISchema"/> type the Host
    /// registers). Resolving <see cref="ISchema"/> itself would build a second schema over the same singleton graph types.
    /// </summary>
    private static ISchema EndpointSchema(IServiceProvider services)
    {
        var isService = services.GetRequiredService<IServiceProviderIsService>();
        _schemaType ??= AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.GetName().Name?.StartsWith("Enrollment.", StringComparison.Ordinal) == true)
            .SelectMany(a => a.GetTypes())
            .Single(t => typeof(ISchema).IsAssignableFrom(t) && !t.IsAbstract && isService.IsService(t));
        return (ISchema)services.GetRequiredService(_schemaType);
    }

    /// <summary>The first list of objects under <c>data</c> (depth first), flattened: nested objects as a.b, lists joined with ';'.</summary>
    public static Table ToTable(JsonNode? result)
    {
        var list = FirstList(result?["data"]);
        if (list is null)
        {
            return new Table([], []);
        }

        var rows = list.OfType<JsonObject>().Select(o =>
        {
            var cells = new Dictionary<string, object?>(StringComparer.Ordinal);
            Flatten(o, "", cells);
            return cells;
        }).ToList();
        var columns = rows.SelectMany(r => r.Keys).Distinct().ToList();
        return new Table(columns, [.. rows.Select(r => columns.Select(c => r.GetValueOrDefault(c)).ToArray())]);
    }

    private static JsonArray? FirstList(JsonNode? node) => node switch
    {
        JsonArray a when a.Count > 0 && a[0] is JsonObject => a,
        JsonObject o => o.Select(p => FirstList(p.Value)).FirstOrDefault(l => l is not null),
        _ => null,
    };

    private static void Flatten(JsonObject o, string prefix, Dictionary<string, object?> cells)
    {
        foreach (var (key, value) in o)
        {
            var name = prefix + key;
            switch (value)
            {
                case JsonObject inner:
                    Flatten(inner, name + ".", cells);
                    break;
                case JsonArray array:
                    cells[name] = string.Join(';', array.Select(v => v?.ToString()));
                    break;
                case JsonValue v when v.TryGetValue<long>(out var l):
                    cells[name] = l;
                    break;
                case JsonValue v when v.TryGetValue<double>(out var d):
                    cells[name] = d;
                    break;
                case JsonValue v when v.TryGetValue<bool>(out var b):
                    cells[name] = b;
                    break;
                default:
                    cells[name] = value?.ToString();
                    break;
            }
        }
    }
}
