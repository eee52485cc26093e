using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;

namespace Enrollment.BuildingBlocks.GraphQL;

/// <summary>
/// Who may call a field. Every root field must say it: <see cref="Public{TSource,TReturn}"/> or
/// <see cref="For{TSource,TReturn}"/> (roles). The Host's authorization rule refuses root fields that say
/// neither, so a new field is never open by accident (deny by default).
/// </summary>
public static class FieldAccess
{
    public const string PublicKey = "enrollment:public";

    public static FieldBuilder<TSource, TReturn> Public<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field)
    {
        field.FieldType.Metadata[PublicKey] = true;
        return field;
    }

    public static FieldBuilder<TSource, TReturn> For<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, params string[] roles)
    {
        field.FieldType.AuthorizeWithRoles(roles);
        return field;
    }

    public static FieldBuilder<TSource, TReturn> ForAnyUser<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field)
    {
        field.FieldType.Authorize();
        return field;
    }

    public static bool IsPublic(this IFieldType field) => field.GetMetadata(PublicKey, false);
}
