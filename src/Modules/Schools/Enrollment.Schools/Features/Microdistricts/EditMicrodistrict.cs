using System.Text.Json;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.BuildingBlocks.Validation;
using Enrollment.Schools.Data;
using Enrollment.Schools.Domain;
using GeoJsonPolygon = Enrollment.Schools.Domain.Addresses.GeoJsonPolygon;
using HouseNumberSet = Enrollment.Schools.Domain.Addresses.HouseNumberSet;
using StreetNameNormalizer = Enrollment.Schools.Domain.Addresses.StreetNameNormalizer;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Schools.Features.Microdistricts;

/// <summary>Adds a rule (<paramref name="RuleId"/> null) or changes one. Returns the rule id.</summary>
internal sealed record SaveMicrodistrictRule(Guid? RuleId, string SchoolCode, string SettlementCode, string Street, string HouseSet) : ICommand<Guid>;

internal sealed record DeleteMicrodistrictRule(Guid RuleId) : ICommand<bool>;

/// <summary>Saves the school's map polygon (GeoJSON Polygon/MultiPolygon or a Feature); null or empty removes it.</summary>
internal sealed record SaveMicrodistrictPolygon(string SchoolCode, string? GeoJson) : ICommand<bool>;

/// <summary>Reverts one change: the rule or polygon gets back the state it had before that change.</summary>
internal sealed record RevertMicrodistrictChange(long ChangeId) : ICommand<bool>;

internal sealed record RuleSnapshot(Guid Id, string SettlementCode, string Street, string HouseSet);

internal sealed class SaveMicrodistrictRuleValidator : IValidator<SaveMicrodistrictRule>
{
    public void Validate(SaveMicrodistrictRule message, ValidationErrors errors)
    {
        errors.Required("schoolCode", message.SchoolCode, 16);
        errors.Required("settlementCode", message.SettlementCode, 16);
        errors.Required("street", message.Street, 200);
        errors.Required("houseSet", message.HouseSet, 2000);
    }
}

internal sealed class SaveMicrodistrictPolygonValidator : IValidator<SaveMicrodistrictPolygon>
{
    public void Validate(SaveMicrodistrictPolygon message, ValidationErrors errors)
    {
        errors.Required("schoolCode", message.SchoolCode, 16);
        if (message.GeoJson is { Length: > 1_000_000 })
        {
            errors.Add("geoJson", "TOO_LONG", "At most 1,000,000 characters.");
        }
    }
}

/// <summary>The editing rules shared by the micro-district commands: scope, validation of content, history, cache.</summary>
internal sealed class MicrodistrictEditor(SchoolsDbContext db, MicrodistrictIndexCache cache, ICurrentUser user, IClock clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<School> EditableSchoolAsync(string schoolCode, CancellationToken ct)
    {
        var school = await db.Schools.FirstOrDefaultAsync(s => s.Code == schoolCode, ct) ?? throw new NotFound("School", schoolCode);
        if (!DistrictScope.CanEdit(user, school.DistrictCode))
        {
            throw new AccessDenied("District officers edit only the micro-districts of their own district.");
        }

        if (!school.ParticipatesInEnrollment)
        {
            throw new RuleViolation("SCHOOL_NOT_PARTICIPATING", $"School {school.Code} does not take part in enrollment and has no micro-district.");
        }

        return school;
    }

    public async Task CheckRuleAsync(School school, string settlementCode, string street, string houseSet, CancellationToken ct)
    {
        if (!await db.Settlements.AnyAsync(s => s.Code == settlementCode && s.DistrictCode == school.DistrictCode, ct))
        {
            throw new RuleViolation("SETTLEMENT_OUTSIDE_DISTRICT", $"Settlement '{settlementCode}' is not in district {school.DistrictCode}.");
        }

        if (StreetNameNormalizer.Normalize(street).Length == 0)
        {
            throw new RuleViolation("INVALID_STREET", "The street name has no letters or digits.");
        }

        if (!HouseNumberSet.TryParse(houseSet, out _, out var error))
        {
            throw new RuleViolation("INVALID_HOUSE_SET", error);
        }
    }

    public static void CheckPolygon(string geoJson)
    {
        if (!GeoJsonPolygon.TryParse(geoJson, out var polygon, out var error))
        {
            throw new RuleViolation("INVALID_POLYGON", error);
        }

        var problems = polygon.Validate();
        if (problems.Count > 0)
        {
            throw new RuleViolation("INVALID_POLYGON", string.Join(" ", problems.Select(p => p.Message)));
        }
    }

    public static string RuleJson(MicrodistrictRule? rule) =>
        rule is null ? "" : JsonSerializer.Serialize(new RuleSnapshot(rule.Id, rule.SettlementCode, rule.Street, rule.HouseSet), Json);

    public static RuleSnapshot? ReadRule(string json) => json.Length == 0 ? null : JsonSerializer.Deserialize<RuleSnapshot>(json, Json);

    public void Record(School school, string kind, Guid? ruleId, string before, string after, long? reverts = null) =>
        db.MicrodistrictChanges.Add(new MicrodistrictChange
        {
            SchoolCode = school.Code, DistrictCode = school.DistrictCode, Kind = kind, RuleId = ruleId, Before = before, After = after,
            ChangedBy = user.UserName ?? "system", ChangedAt = clock.UtcNow, RevertsChangeId = reverts,
        });

    public async Task SaveAsync(CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        cache.Invalidate();
    }
}

internal sealed class SaveMicrodistrictRuleHandler(SchoolsDbContext db, MicrodistrictEditor editor) : ICommandHandler<SaveMicrodistrictRule, Guid>
{
    public async ValueTask<Guid> Handle(SaveMicrodistrictRule command, CancellationToken ct)
    {
        var school = await editor.EditableSchoolAsync(command.SchoolCode, ct);
        var street = command.Street.Trim();
        var houses = command.HouseSet.Trim();
        await editor.CheckRuleAsync(school, command.SettlementCode, street, houses, ct);
        MicrodistrictRule rule;
        if (command.RuleId is Guid id)
        {
            rule = await db.MicrodistrictRules.FirstOrDefaultAsync(r => r.Id == id && r.SchoolCode == school.Code, ct)
                ?? throw new NotFound("Micro-district rule", id.ToString());
            var before = MicrodistrictEditor.RuleJson(rule);
            rule.SettlementCode = command.SettlementCode;
            rule.Street = street;
            rule.HouseSet = houses;
            editor.Record(school, MicrodistrictChangeKinds.RuleChanged, rule.Id, before, MicrodistrictEditor.RuleJson(rule));
        }
        else
        {
            rule = new MicrodistrictRule { Id = Guid.NewGuid(), SchoolCode = school.Code, SettlementCode = command.SettlementCode, Street = street, HouseSet = houses };
            db.MicrodistrictRules.Add(rule);
            editor.Record(school, MicrodistrictChangeKinds.RuleAdded, rule.Id, "", MicrodistrictEditor.RuleJson(rule));
        }

        await editor.SaveAsync(ct);
        return rule.Id;
    }
}

internal sealed class DeleteMicrodistrictRuleHandler(SchoolsDbContext db, MicrodistrictEditor editor) : ICommandHandler<DeleteMicrodistrictRule, bool>
{
    public async ValueTask<bool> Handle(DeleteMicrodistrictRule command, CancellationToken ct)
    {
        var rule = await db.MicrodistrictRules.FirstOrDefaultAsync(r => r.Id == command.RuleId, ct)
            ?? throw new NotFound("Micro-district rule", command.RuleId.ToString());
        var school = await editor.EditableSchoolAsync(rule.SchoolCode, ct);
        db.MicrodistrictRules.Remove(rule);
        editor.Record(school, MicrodistrictChangeKinds.RuleDeleted, rule.Id, MicrodistrictEditor.RuleJson(rule), "");
        await editor.SaveAsync(ct);
        return true;
    }
}

internal sealed class SaveMicrodistrictPolygonHandler(SchoolsDbContext db, MicrodistrictEditor editor) : ICommandHandler<SaveMicrodistrictPolygon, bool>
{
    public async ValueTask<bool> Handle(SaveMicrodistrictPolygon command, CancellationToken ct)
    {
        var school = await editor.EditableSchoolAsync(command.SchoolCode, ct);
        var existing = await db.MicrodistrictPolygons.FirstOrDefaultAsync(p => p.SchoolCode == school.Code, ct);
        var before = existing?.GeoJson ?? "";
        if (string.IsNullOrWhiteSpace(command.GeoJson))
        {
            if (existing is null)
            {
                return false;
            }

            db.MicrodistrictPolygons.Remove(existing);
            editor.Record(school, MicrodistrictChangeKinds.PolygonDeleted, null, before, "");
        }
        else
        {
            var geoJson = command.GeoJson.Trim();
            MicrodistrictEditor.CheckPolygon(geoJson);
            if (existing is null)
            {
                db.MicrodistrictPolygons.Add(new MicrodistrictPolygon { SchoolCode = school.Code, GeoJson = geoJson });
            }
            else
            {
                existing.GeoJson = geoJson;
            }

            editor.Record(school, MicrodistrictChangeKinds.PolygonSaved, null, before, geoJson);
        }

        await editor.SaveAsync(ct);
        return true;
    }
}

internal sealed class RevertMicrodistrictChangeHandler(SchoolsDbContext db, MicrodistrictEditor editor) : ICommandHandler<RevertMicrodistrictChange, bool>
{
    public async ValueTask<bool> Handle(RevertMicrodistrictChange command, CancellationToken ct)
    {
        var change = await db.MicrodistrictChanges.AsNoTracking().FirstOrDefaultAsync(c => c.Id == command.ChangeId, ct)
            ?? throw new NotFound("Micro-district change", command.ChangeId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var school = await editor.EditableSchoolAsync(change.SchoolCode, ct);
        if (change.Kind is MicrodistrictChangeKinds.PolygonSaved or MicrodistrictChangeKinds.PolygonDeleted)
        {
            var existing = await db.MicrodistrictPolygons.FirstOrDefaultAsync(p => p.SchoolCode == school.Code, ct);
            var current = existing?.GeoJson ?? "";
            if (change.Before.Length == 0)
            {
                if (existing is not null)
                {
                    db.MicrodistrictPolygons.Remove(existing);
                }
            }
            else if (existing is null)
            {
                db.MicrodistrictPolygons.Add(new MicrodistrictPolygon { SchoolCode = school.Code, GeoJson = change.Before });
            }
            else
            {
                existing.GeoJson = change.Before;
            }

            editor.Record(school, change.Before.Length == 0 ? MicrodistrictChangeKinds.PolygonDeleted : MicrodistrictChangeKinds.PolygonSaved,
                null, current, change.Before, change.Id);
        }
        else
        {
            var ruleId = change.RuleId ?? throw new RuleViolation("NOT_REVERTIBLE", "The change names no rule.");
            var rule = await db.MicrodistrictRules.FirstOrDefaultAsync(r => r.Id == ruleId, ct);
            var current = MicrodistrictEditor.RuleJson(rule);
            var target = MicrodistrictEditor.ReadRule(change.Before);
            string kind;
            if (target is null)
            {
                if (rule is not null)
                {
                    db.MicrodistrictRules.Remove(rule);
                }

                kind = MicrodistrictChangeKinds.RuleDeleted;
            }
            else
            {
                await editor.CheckRuleAsync(school, target.SettlementCode, target.Street, target.HouseSet, ct);
                if (rule is null)
                {
                    rule = new MicrodistrictRule { Id = ruleId, SchoolCode = school.Code, SettlementCode = target.SettlementCode, Street = target.Street, HouseSet = target.HouseSet };
                    db.MicrodistrictRules.Add(rule);
                    kind = MicrodistrictChangeKinds.RuleAdded;
                }
                else
                {
                    rule.SettlementCode = target.SettlementCode;
                    rule.Street = target.Street;
                    rule.HouseSet = target.HouseSet;
                    kind = MicrodistrictChangeKinds.RuleChanged;
                }
            }

            editor.Record(school, kind, ruleId, current, change.Before, change.Id);
        }

        await editor.SaveAsync(ct);
        return true;
    }
}
