namespace Enrollment.BuildingBlocks.Errors;

/// <summary>
/// A business rule refused the operation. <see cref="Code"/> is stable (SCREAMING_SNAKE_CASE) and reaches
/// clients as GraphQL <c>extensions.code</c> or as a validation message on an admin page.
/// </summary>
public class RuleViolation(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>The entity does not exist, or the caller may not know that it exists.</summary>
public sealed class NotFound(string entity, string id)
    : RuleViolation("NOT_FOUND", $"{entity} '{id}' was not found.")
{
    public string Entity { get; } = entity;
}

/// <summary>The caller is authenticated but outside the scope (school, district, family) of the data.</summary>
public sealed class AccessDenied(string message = "You may not access this data.")
    : RuleViolation("ACCESS_DENIED", message);

/// <summary>Input has the wrong shape. Each error names the field it is about.</summary>
public sealed class ValidationFailed(IReadOnlyList<ValidationError> errors)
    : RuleViolation("VALIDATION_FAILED", string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    public IReadOnlyList<ValidationError> Errors { get; } = errors;
}

public sealed record ValidationError(string Field, string Code, string Message);
