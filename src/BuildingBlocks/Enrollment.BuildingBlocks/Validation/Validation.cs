using Enrollment.BuildingBlocks.Errors;
using Mediator;

namespace Enrollment.BuildingBlocks.Validation;

/// <summary>Checks the shape of one message (lengths, ranges, formats). Business rules live in the domain.</summary>
public interface IValidator<in TMessage>
{
    void Validate(TMessage message, ValidationErrors errors);
}

public sealed class ValidationErrors
{
    private readonly List<ValidationError> _errors = [];

    public IReadOnlyList<ValidationError> Items => _errors;

    public void Add(string field, string code, string message) => _errors.Add(new ValidationError(field, code, message));

    public void Required(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "REQUIRED", "A value is required.");
        }
        else
        {
            MaxLength(field, value, maxLength);
        }
    }

    public void MaxLength(string field, string? value, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            Add(field, "TOO_LONG", $"At most {maxLength} characters.");
        }
        else if (value is not null && value.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            Add(field, "CONTROL_CHARACTERS", "Control characters are not allowed.");
        }
    }

    public void Range(string field, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            Add(field, "OUT_OF_RANGE", $"Must be between {min} and {max}.");
        }
    }
}

/// <summary>Mediator pipeline step: runs every validator registered for the message; refuses with <see cref="ValidationFailed"/>.</summary>
public sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ValidationErrors? errors = null;
        foreach (var validator in validators)
        {
            errors ??= new ValidationErrors();
            validator.Validate(message, errors);
        }

        if (errors is { Items.Count: > 0 })
        {
            throw new ValidationFailed(errors.Items);
        }

        return next(message, cancellationToken);
    }
}

public static class ValidatorRegistration
{
    /// <summary>Registers every <see cref="IValidator{TMessage}"/> of a module assembly.</summary>
    public static Microsoft.Extensions.DependencyInjection.IServiceCollection AddValidators(
        this Microsoft.Extensions.DependencyInjection.IServiceCollection services, System.Reflection.Assembly assembly)
    {
        foreach (var type in assembly.GetTypes().Where(t => !t.IsAbstract && !t.IsGenericTypeDefinition))
        {
            foreach (var contract in type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidator<>)))
            {
                Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(services, contract, type);
            }
        }

        return services;
    }
}
