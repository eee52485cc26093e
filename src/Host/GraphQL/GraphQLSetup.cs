using Enrollment.BuildingBlocks.Errors;
using GraphQL;
using GraphQL.DI;
using GraphQL.Execution;
using GraphQL.Types;
using GraphQL.Utilities;

namespace Enrollment.Host.GraphQL;

internal static class GraphQLSetup
{
    public static IServiceCollection AddEnrollmentGraphQL(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        RegisterIdConversion();
        var limits = new GraphQLLimits();
        configuration.GetSection("GraphQL").Bind(limits);
        services.AddSingleton(limits);
        services.AddPersistedOperations(configuration, environment);
        services.AddSingleton<RootQuery>();
        services.AddSingleton<RootMutation>();
        services.AddSingleton<AuthorizationRule>();
        services.AddSingleton<AliasLimitRule>();
        if (limits.DocumentCacheChars > 0)
        {
            services.AddSingleton<DocumentCache>();
            services.AddSingleton<IConfigureExecution>(sp => sp.GetRequiredService<DocumentCache>());
        }

        services.AddGraphQL(b => b
            .AddSchema<AppSchema>()
            .AddSystemTextJson(o => o.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All))
            // Module handlers share a scoped DbContext: run sibling query fields one after another.
            .AddExecutionStrategy<SerialExecutionStrategy>(GraphQLParser.AST.OperationType.Query)
            .AddComplexityAnalyzer(c =>
            {
                c.MaxDepth = limits.MaxDepth;
                c.MaxComplexity = limits.MaxComplexity;
            })
            .AddValidationRule<AuthorizationRule>()
            .AddValidationRule<AliasLimitRule>()
            .WithTimeout(limits.Timeout)
            .AddErrorInfoProvider(o => o.ExposeExceptionDetails = environment.IsDevelopment() && configuration.GetValue("GraphQL:ExposeExceptionDetails", false))
            .ConfigureExecutionOptions(options =>
            {
                var logger = options.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger("Enrollment.GraphQL");
                options.UnhandledExceptionDelegate = context =>
                {
                    context.Exception = Map(context.OriginalException, logger);
                    return Task.CompletedTask;
                };
            }));
        return services;
    }

    /// <summary>
    /// Every ID argument of the schema is a GUID, read with <c>GetArgument&lt;Guid&gt;</c>: an ID that is not one (empty,
    /// "-1", 100 KB of digits) is a VALIDATION_FAILED of the input, not an INTERNAL_ERROR from the converter's FormatException.
    /// </summary>
    private static void RegisterIdConversion() =>
        ValueConverter.Register<string, Guid>(value => Guid.TryParse(value, out var id)
            ? id
            : throw new ValidationFailed([new ValidationError("id", "INVALID_ID", "The id is not one this API issued.")]));

    /// <summary>Rule violations keep their code and message; anything else becomes a bare INTERNAL_ERROR.</summary>
    internal static ExecutionError Map(Exception exception, ILogger? logger)
    {
        switch (exception)
        {
            case ValidationFailed v:
            {
                var error = new ExecutionError(v.Message) { Code = v.Code };
                error.Extensions ??= new Dictionary<string, object?>();
                error.Extensions["fields"] = v.Errors.Select(e => new Dictionary<string, object?>
                {
                    ["field"] = e.Field, ["code"] = e.Code, ["message"] = e.Message,
                }).ToList();
                return error;
            }
            case RuleViolation r:
                return new ExecutionError(r.Message) { Code = r.Code };
            case ExecutionError e:
                return e;
            case GraphQLParser.Exceptions.GraphQLMaxDepthExceededException:
                return new ExecutionError("The document nests too deeply.") { Code = "QUERY_TOO_DEEP" };
            case OperationCanceledException:
                return new ExecutionError("The request was cancelled.") { Code = "CANCELLED" };
            case var text when UnstorableText(text):
                return new ExecutionError("The text contains characters that cannot be stored (for example a NUL character).")
                    { Code = "INVALID_CHARACTERS" };
            case var transient when TemporarilyUnavailable.Is(transient):
            {
                logger?.LogWarning(exception, "Database temporarily unavailable while resolving a GraphQL field");
                var error = new ExecutionError(TemporarilyUnavailable.Message) { Code = TemporarilyUnavailable.Code };
                error.Extensions ??= new Dictionary<string, object?>();
                error.Extensions["retryAfterSeconds"] = TemporarilyUnavailable.RetryAfterSeconds;
                return error;
            }
            default:
                logger?.LogError(exception, "Unhandled error while resolving a GraphQL field");
                return new ExecutionError("Internal error. The incident was logged.") { Code = "INTERNAL_ERROR" };
        }
    }

    /// <summary>
    /// PostgreSQL refuses text with a NUL character (SQLSTATE 22021) or one its encoding cannot hold (22P05); the statement
    /// is rolled back, so this is bad input, not a server fault.
    /// </summary>
    private static bool UnstorableText(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.PostgresException { SqlState: "22021" or "22P05" })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Builds the schema at start-up so a misconfigured module fails the boot, not the first request.</summary>
    public static void InitializeSchema(this IServiceProvider services)
    {
        var schema = services.GetRequiredService<AppSchema>();
        schema.Initialize();
        schema.WithIntrospectionComplexityImpact(0);
    }

    public static string PrintSdl(this IServiceProvider services)
    {
        var schema = services.GetRequiredService<AppSchema>();
        schema.Initialize();
        return schema.Print(new PrintOptions { IncludeDescriptions = true, IncludeDeprecationReasons = true })
            .ReplaceLineEndings("\n");
    }
}
