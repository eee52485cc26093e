using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Registry.Contracts;
using Enrollment.Registry.Domain;
using Mediator;

namespace Enrollment.Registry.Features;

/// <summary>Checks a would-be parent account against the population registry, through the <see cref="IPopulationRegistry"/> port.</summary>
internal sealed class VerifyApplicantHandler(IPopulationRegistry registry, IClock clock) : IQueryHandler<VerifyApplicant, VerifiedApplicantDto>
{
    public const int AdultAge = 18;

    public async ValueTask<VerifiedApplicantDto> Handle(VerifyApplicant query, CancellationToken ct)
    {
        var pin = Pin.Parse(query.Pin, clock);
        var person = await registry.FindVerifiedPersonAsync(pin, ct);
        if (!person.IsFound)
        {
            throw new RuleViolation(RegistryContracts.NotInPopulationRegistryCode,
                "The population registry has no person with this PIN; check the PIN or contact the registry office.");
        }

        var today = DateOnly.FromDateTime(Bishkek.ToLocal(clock.UtcNow).DateTime);
        if (person.Value.BirthDate.AddYears(AdultAge) > today)
        {
            throw new RuleViolation(RegistryContracts.NotAnAdultCode, "Only an adult parent or legal representative can sign up.");
        }

        var children = await registry.GetLinkedChildrenAsync(pin, ct);
        if (!children.IsFound || children.Value.Count == 0)
        {
            throw new RuleViolation(RegistryContracts.NoLinkedChildrenCode,
                "The population registry links no child to this PIN; contact the registry office.");
        }

        var p = person.Value;
        return new VerifiedApplicantDto(pin.Value, p.LastName, p.FirstName, p.Patronymic, children.Value.Count);
    }
}
