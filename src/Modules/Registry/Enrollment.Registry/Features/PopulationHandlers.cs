using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Registry.Contracts;
using Enrollment.Registry.Data;
using Enrollment.Registry.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Registry.Features;

/// <summary>
/// Through the <see cref="IPopulationRegistry"/> port (embedded or HTTP). An unknown parent has no linked children;
/// a malformed PIN is refused with its PIN_* code; a registry that cannot answer gives REGISTRY_UNAVAILABLE.
/// </summary>
internal sealed class GetLinkedChildrenHandler(IPopulationRegistry registry, IClock clock) : IQueryHandler<GetLinkedChildren, IReadOnlyList<LinkedChildDto>>
{
    public async ValueTask<IReadOnlyList<LinkedChildDto>> Handle(GetLinkedChildren query, CancellationToken ct)
    {
        var parent = Pin.Parse(query.ParentPin, clock);
        var children = await registry.GetLinkedChildrenAsync(parent, ct);
        if (!children.IsFound)
        {
            return [];
        }

        return [.. children.Value
            .OrderBy(c => c.BirthDate).ThenBy(c => c.Pin, StringComparer.Ordinal)
            .Select(c => new LinkedChildDto(c.Pin, c.LastName, c.FirstName, c.Patronymic, c.Sex, c.BirthDate, c.Relation))];
    }
}

internal sealed class GetPopulationCountsHandler(RegistryDbContext db) : IQueryHandler<GetPopulationCounts, PopulationCountsDto>
{
    public async ValueTask<PopulationCountsDto> Handle(GetPopulationCounts query, CancellationToken ct) => new(
        await db.Persons.CountAsync(ct),
        await db.ParentLinks.Select(l => l.ChildPin).Distinct().CountAsync(ct),
        await db.ParentLinks.CountAsync(ct),
        await db.Addresses.CountAsync(ct));
}

internal sealed class SeedPopulationHandler(RegistryDbContext db) : ICommandHandler<SeedPopulation, int>
{
    public async ValueTask<int> Handle(SeedPopulation command, CancellationToken ct)
    {
        if (await db.Persons.AnyAsync(ct))
        {
            throw new RuleViolation("ALREADY_SEEDED", "The population registry already holds data.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var rows = await BulkInsert.InsertAsync(db, command.Persons.Select(p => new PopulationPerson
        {
            Pin = p.Pin, LastName = p.LastName, FirstName = p.FirstName, Patronymic = p.Patronymic, Sex = p.Sex, BirthDate = p.BirthDate,
            BirthCertificateNumber = p.BirthCertificateNumber, PassportNumber = p.PassportNumber, Phone = p.Phone, Email = p.Email,
        }), ct);
        rows += await BulkInsert.InsertAsync(db, command.Addresses.Select(a => new RegisteredAddress
        {
            Pin = a.Pin, SettlementCode = a.SettlementCode, Street = a.Street, House = a.House, Apartment = a.Apartment,
            Latitude = a.Latitude, Longitude = a.Longitude,
        }), ct);
        rows += await BulkInsert.InsertAsync(db, command.Links.Select(l => new ParentLink { ParentPin = l.ParentPin, ChildPin = l.ChildPin, Relation = l.Relation }), ct);
        rows += await BulkInsert.InsertAsync(db, command.PriorityDocuments.Select(d => new PriorityDocument { ChildPin = d.ChildPin, Category = d.Category, DocumentNumber = d.DocumentNumber }), ct);
        await transaction.CommitAsync(ct);
        return rows;
    }
}
