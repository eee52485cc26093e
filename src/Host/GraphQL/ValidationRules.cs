using Enrollment.BuildingBlocks.GraphQL;
using GraphQL;
using GraphQL.Types;
using GraphQLParser.AST;
using GraphQL.Validation;

namespace Enrollment.Host.GraphQL;

/// <summary>Refused because of who is asking. <see cref="Code"/> is UNAUTHENTICATED or ACCESS_DENIED.</summary>
internal sealed class AccessError : ValidationError
{
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string Denied = "ACCESS_DENIED";

    public AccessError(ValidationContext context, ASTNode node, string code, string message)
        : base(context.Document.Source, code, message, node)
    {
        Code = code;
    }
}

/// <summary>
/// Field-level authorization, enforced before anything executes (GraphQL.NET core stores the metadata but does
/// not enforce it). Root fields must be marked public or carry roles: deny by default. Nested fields are checked
/// only when they carry roles of their own. Introspection follows <see cref="GraphQLLimits.Introspection"/>.
/// </summary>
internal sealed class AuthorizationRule(GraphQLLimits limits) : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) =>
        new(new MatchingNodeVisitor<GraphQLField>((field, ctx) => Check(field, ctx)));

    private void Check(GraphQLField node, ValidationContext context)
    {
        var definition = context.TypeInfo.GetFieldDef();
        if (definition is null)
        {
            return;
        }

        var parent = context.TypeInfo.GetParentType()?.GetNamedType();
        var isRoot = parent is not null && (parent == context.Schema.Query || parent == context.Schema.Mutation);
        var user = context.User;
        var authenticated = user?.Identity?.IsAuthenticated == true;

        if (definition.Name.StartsWith("__", StringComparison.Ordinal))
        {
            if (!limits.Introspection && definition.Name is "__schema" or "__type")
            {
                context.ReportError(new AccessError(context, node, AccessError.Denied, "Introspection is disabled."));
            }

            return;
        }

        if (!definition.IsAuthorizationRequired())
        {
            if (isRoot && !definition.IsPublic())
            {
                context.ReportError(new AccessError(context, node, AccessError.Denied,
                    $"Field '{definition.Name}' declares no access rule and is closed."));
            }

            return;
        }

        if (!authenticated)
        {
            context.ReportError(new AccessError(context, node, AccessError.Unauthenticated,
                $"Sign in to use '{definition.Name}'."));
            return;
        }

        var roles = definition.GetRoles();
        if (roles is { Count: > 0 } && !roles.Any(r => user!.IsInRole(r)))
        {
            context.ReportError(new AccessError(context, node, AccessError.Denied,
                $"Your role may not use '{definition.Name}'."));
        }
    }
}

internal sealed class OnlyQueriesOverGetError : ValidationError
{
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";

    public OnlyQueriesOverGetError(ValidationContext context, ASTNode node)
        : base(context.Document.Source, MethodNotAllowed, "Only queries may be sent with GET; use POST.", node)
    {
        Code = MethodNotAllowed;
    }
}

/// <summary>GET may only run queries (a mutation over GET gets 405).</summary>
internal sealed class OnlyQueriesOverGetRule : ValidationRuleBase
{
    public static readonly OnlyQueriesOverGetRule Instance = new();

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) =>
        new(new MatchingNodeVisitor<GraphQLOperationDefinition>((op, ctx) =>
        {
            if (op.Operation != OperationType.Query && (ctx.Operation == op))
            {
                ctx.ReportError(new OnlyQueriesOverGetError(ctx, op));
            }
        }));
}

/// <summary>Caps the number of aliases in one document (alias-based amplification).</summary>
internal sealed class AliasLimitRule(GraphQLLimits limits) : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        var count = 0;
        return new(new MatchingNodeVisitor<GraphQLField>((field, ctx) =>
        {
            if (field.Alias is not null && ++count == limits.MaxAliases + 1)
            {
                ctx.ReportError(new ValidationError(ctx.Document.Source, "TOO_MANY_ALIASES",
                    $"At most {limits.MaxAliases} aliases per request.", field) { Code = "TOO_MANY_ALIASES" });
            }
        }));
    }
}
