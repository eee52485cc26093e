using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.Schools.Contracts;
using Enrollment.Schools.Data;
using Enrollment.Schools.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Schools.Features;

internal sealed class SeedSchoolsHandler(SchoolsDbContext db, IPublisher publisher, Microdistricts.MicrodistrictIndexCache cache) : ICommandHandler<SeedSchools, int>
{
    public async ValueTask<int> Handle(SeedSchools command, CancellationToken ct)
    {
        if (await db.Regions.AnyAsync(ct))
        {
            throw new RuleViolation("ALREADY_SEEDED", "The Schools module already holds data.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var rows = 0;
        rows += await BulkInsert.InsertAsync(db, command.Regions.Select(r => new Region { Code = r.Code, NameKy = r.NameKy, NameRu = r.NameRu, IsCity = r.IsCity }), ct);
        rows += await BulkInsert.InsertAsync(db, command.Districts.Select(d => new District { Code = d.Code, RegionCode = d.RegionCode, NameKy = d.NameKy, NameRu = d.NameRu }), ct);
        rows += await BulkInsert.InsertAsync(db, command.Settlements.Select(s => new Settlement
        {
            Code = s.Code, DistrictCode = s.DistrictCode, NameKy = s.NameKy, NameRu = s.NameRu, Kind = s.Kind, Latitude = s.Latitude, Longitude = s.Longitude,
        }), ct);
        rows += await BulkInsert.InsertAsync(db, command.Schools.Select(s => new School
        {
            Code = s.Code, RegionCode = s.RegionCode, DistrictCode = s.DistrictCode, SettlementCode = s.SettlementCode,
            NameKy = s.NameKy, NameRu = s.NameRu, Address = s.Address, Latitude = s.Latitude, Longitude = s.Longitude, Type = s.Type,
            Languages = string.Join(',', s.Languages), ParticipatesInEnrollment = s.ParticipatesInEnrollment,
            NonParticipationReason = s.NonParticipationReason,
        }), ct);
        rows += await BulkInsert.InsertAsync(db, command.Rules.Select((r, i) => new MicrodistrictRule
        {
            Id = DeterministicId(i), SchoolCode = r.SchoolCode, SettlementCode = r.SettlementCode, Street = r.Street, HouseSet = r.HouseSet,
        }), ct);
        rows += await BulkInsert.InsertAsync(db, command.Polygons.Select(p => new MicrodistrictPolygon { SchoolCode = p.SchoolCode, GeoJson = p.GeoJson }), ct);
        rows += await BulkInsert.InsertAsync(db, (command.StreetAliases ?? []).Select((a, i) => new StreetNameAlias
        {
            Id = DeterministicId(1_000_000_000 + i), SettlementCode = a.SettlementCode, Street = a.Street, Variant = a.Variant,
        }), ct);
        rows += await BulkInsert.InsertAsync(db, (command.RegistryAddresses ?? []).Select(a => new RegistryAddress
        {
            SettlementCode = a.SettlementCode, Street = a.Street, House = a.House, Latitude = a.Latitude, Longitude = a.Longitude, Residents = a.Residents,
        }), ct);
        await db.BumpIndexStampAsync(ct);
        await transaction.CommitAsync(ct);
        cache.Invalidate();
        await publisher.Publish(new SchoolListChanged(command.Schools.Count), ct);
        return rows;
    }

    private static Guid DeterministicId(int index)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, index + 1);
        bytes[7] = 0x40; // version 4 layout, deterministic content: seeded rows keep their ids across runs
        bytes[8] = 0x80;
        return new Guid(bytes);
    }
}
