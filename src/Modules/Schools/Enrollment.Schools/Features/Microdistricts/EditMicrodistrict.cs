using System.Text.Json;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.Quotas.Contracts;
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
internal sealed record SaveMicrodistrictRule(Guid? RuleId, string SchoolCode, string SettlementCode, string Street, string HouseSet) : ICommand<MicrodistrictEditResult>;

internal sealed record DeleteMicrodistrictRule(Guid RuleId) : ICommand<MicrodistrictEditResult>;

/// <summary>
/// What an edit did: applied at once (<paramref name="Applied"/>), or kept as proposal <paramref name="ProposalId"/> for a
/// ministry administrator's approval (while a campaign's Stage One..LateEnrollment runs).
/// </summary>
internal sealed record MicrodistrictEditResult(bool Applied, Guid? RuleId, long? ProposalId);

internal static class MicrodistrictProposalKinds
{
    public const string SaveRule = "SaveRule";
    public const string DeleteRule = "DeleteRule";
    public const string SavePolygon = "SavePolygon";
}

/// <summary>Saves the school's map polygon (GeoJSON Polygon/MultiPolygon or a Feature); null or empty removes it.</summary>
internal sealed record SaveMicrodistrictPolygon(string SchoolCode, string? GeoJson) : ICommand<MicrodistrictEditResult>;

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
internal sealed class MicrodistrictEditor(SchoolsDbContext db, MicrodistrictIndexCache cache, ICurrentUser user, IClock clock, IMediator mediator)
{
    /// <summary>Stages during which a district officer's edits wait for the ministry's approval.</summary>
    private static readonly Stage[] ApprovalStages = [Stage.StageOne, Stage.StageTwo, Stage.LateEnrollment];

    public async Task<bool> NeedsApprovalAsync(CancellationToken ct)
    {
        if (user.IsInRole(Roles.MinistryAdmin))
        {
            return false;
        }

        var stage = await mediator.Send(new GetCurrentStage(), ct);
        return stage is not null && ApprovalStages.Contains(stage.Stage);
    }

    public async Task<MicrodistrictEditResult> ProposeAsync<T>(School school, string kind, T payload, CancellationToken ct)
    {
        var proposal = AddProposal(school, kind, payload);
        await db.SaveChangesAsync(ct);
        return new MicrodistrictEditResult(false, null, proposal.Id);
    }

    /// <summary>Adds a proposal to the unit of work (saved with the next save).</summary>
    public MicrodistrictProposal AddProposal<T>(School school, string kind, T payload)
    {
        var proposal = new MicrodistrictProposal
        {
            SchoolCode = school.Code, DistrictCode = school.DistrictCode, Kind = kind, Payload = JsonSerializer.Serialize(payload, Json),
            ProposedBy = user.UserName ?? "system", ProposedAt = clock.UtcNow,
        };
        db.MicrodistrictProposals.Add(proposal);
        return proposal;
    }

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Json) ?? throw new RuleViolation("BAD_PROPOSAL", "The proposal cannot be read.");

    public async Task<Guid> ApplySaveRuleAsync(School school, SaveMicrodistrictRule command, CancellationToken ct)
    {
        MicrodistrictRule rule;
        if (command.RuleId is Guid id)
        {
            rule = await db.MicrodistrictRules.FirstOrDefaultAsync(r => r.Id == id && r.SchoolCode == school.Code, ct)
                ?? throw new NotFound("Micro-district rule", id.ToString());
            var before = RuleJson(rule);
            rule.SettlementCode = command.SettlementCode;
            rule.Street = command.Street;
            rule.HouseSet = command.HouseSet;
            Record(school, MicrodistrictChangeKinds.RuleChanged, rule.Id, before, RuleJson(rule));
        }
        else
        {
            rule = new MicrodistrictRule { Id = Guid.NewGuid(), SchoolCode = school.Code, SettlementCode = command.SettlementCode, Street = command.Street, HouseSet = command.HouseSet };
            db.MicrodistrictRules.Add(rule);
            Record(school, MicrodistrictChangeKinds.RuleAdded, rule.Id, "", RuleJson(rule));
        }

        return rule.Id;
    }

    public async Task ApplyDeleteRuleAsync(School school, Guid ruleId, CancellationToken ct)
    {
        var rule = await db.MicrodistrictRules.FirstOrDefaultAsync(r => r.Id == ruleId && r.SchoolCode == school.Code, ct)
            ?? throw new NotFound("Micro-district rule", ruleId.ToString());
        db.MicrodistrictRules.Remove(rule);
        Record(school, MicrodistrictChangeKinds.RuleDeleted, rule.Id, RuleJson(rule), "");
    }

    public async Task<bool> ApplySavePolygonAsync(School school, string? geoJson, CancellationToken ct)
    {
        var existing = await db.MicrodistrictPolygons.FirstOrDefaultAsync(p => p.SchoolCode == school.Code, ct);
        var before = existing?.GeoJson ?? "";
        if (geoJson is null)
        {
            if (existing is null)
            {
                return false;
            }

            db.MicrodistrictPolygons.Remove(existing);
            Record(school, MicrodistrictChangeKinds.PolygonDeleted, null, before, "");
            return true;
        }

        if (existing is null)
        {
            db.MicrodistrictPolygons.Add(new MicrodistrictPolygon { SchoolCode = school.Code, GeoJson = geoJson });
        }
        else
        {
            existing.GeoJson = geoJson;
        }

        Record(school, MicrodistrictChangeKinds.PolygonSaved, null, before, geoJson);
        return true;
    }

    /// <summary>History and proposal JSON keeps Cyrillic readable (no \u escapes); pages HTML-encode it when shown.</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

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

        if (RuleTextProblem(street, houseSet) is { } problem)
        {
            throw problem;
        }
    }

    /// <summary>What is wrong with a rule's street or house set, or null.</summary>
    public static RuleViolation? RuleTextProblem(string street, string houseSet)
    {
        if (StreetNameNormalizer.Normalize(street).Length == 0)
        {
            return new RuleViolation("INVALID_STREET", "The street name has no letters or digits.");
        }

        return HouseNumberSet.TryParse(houseSet, out _, out var error) ? null : new RuleViolation("INVALID_HOUSE_SET", error);
    }

    public static void CheckPolygon(string geoJson)
    {
        if (PolygonProblem(geoJson) is { } problem)
        {
            throw new RuleViolation("INVALID_POLYGON", problem);
        }
    }

    /// <summary>Why a GeoJSON geometry is not a valid micro-district polygon, or null.</summary>
    public static string? PolygonProblem(string geoJson)
    {
        if (!GeoJsonPolygon.TryParse(geoJson, out var polygon, out var error))
        {
            return error;
        }

        var problems = polygon.Validate();
        return problems.Count > 0 ? string.Join(" ", problems.Select(p => p.Message)) : null;
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

internal sealed class SaveMicrodistrictRuleHandler(MicrodistrictEditor editor) : ICommandHandler<SaveMicrodistrictRule, MicrodistrictEditResult>
{
    public async ValueTask<MicrodistrictEditResult> Handle(SaveMicrodistrictRule command, CancellationToken ct)
    {
        var school = await editor.EditableSchoolAsync(command.SchoolCode, ct);
        var normalized = command with { Street = command.Street.Trim(), HouseSet = command.HouseSet.Trim() };
        await editor.CheckRuleAsync(school, normalized.SettlementCode, normalized.Street, normalized.HouseSet, ct);
        if (await editor.NeedsApprovalAsync(ct))
        {
            return await editor.ProposeAsync(school, MicrodistrictProposalKinds.SaveRule, normalized, ct);
        }

        var id = await editor.ApplySaveRuleAsync(school, normalized, ct);
        await editor.SaveAsync(ct);
        return new MicrodistrictEditResult(true, id, null);
    }
}

internal sealed class DeleteMicrodistrictRuleHandler(SchoolsDbContext db, MicrodistrictEditor editor) : ICommandHandler<DeleteMicrodistrictRule, MicrodistrictEditResult>
{
    public async ValueTask<MicrodistrictEditResult> Handle(DeleteMicrodistrictRule command, CancellationToken ct)
    {
        var rule = await db.MicrodistrictRules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == command.RuleId, ct)
            ?? throw new NotFound("Micro-district rule", command.RuleId.ToString());
        var school = await editor.EditableSchoolAsync(rule.SchoolCode, ct);
        if (await editor.NeedsApprovalAsync(ct))
        {
            return await editor.ProposeAsync(school, MicrodistrictProposalKinds.DeleteRule, command, ct);
        }

        await editor.ApplyDeleteRuleAsync(school, command.RuleId, ct);
        await editor.SaveAsync(ct);
        return new MicrodistrictEditResult(true, command.RuleId, null);
    }
}

internal sealed class SaveMicrodistrictPolygonHandler(MicrodistrictEditor editor) : ICommandHandler<SaveMicrodistrictPolygon, MicrodistrictEditResult>
{
    public async ValueTask<MicrodistrictEditResult> Handle(SaveMicrodistrictPolygon command, CancellationToken ct)
    {
        var school = await editor.EditableSchoolAsync(command.SchoolCode, ct);
        var geoJson = string.IsNullOrWhiteSpace(command.GeoJson) ? null : command.GeoJson.Trim();
        if (geoJson is not null)
        {
            MicrodistrictEditor.CheckPolygon(geoJson);
        }

        if (await editor.NeedsApprovalAsync(ct))
        {
            return await editor.ProposeAsync(school, MicrodistrictProposalKinds.SavePolygon, command with { GeoJson = geoJson }, ct);
        }

        var changed = await editor.ApplySavePolygonAsync(school, geoJson, ct);
        await editor.SaveAsync(ct);
        return new MicrodistrictEditResult(changed, null, null);
    }
}

/// <summary>Ministry only: applies a pending proposal (versioned like a direct edit) or rejects it.</summary>
internal sealed record DecideMicrodistrictProposal(long ProposalId, bool Approve) : ICommand<MicrodistrictEditResult>;

internal sealed class DecideMicrodistrictProposalHandler(SchoolsDbContext db, MicrodistrictEditor editor, ICurrentUser user, IClock clock)
    : ICommandHandler<DecideMicrodistrictProposal, MicrodistrictEditResult>
{
    public async ValueTask<MicrodistrictEditResult> Handle(DecideMicrodistrictProposal command, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.MinistryAdmin))
        {
            throw new AccessDenied("Only a ministry administrator approves micro-district proposals.");
        }

        var proposal = await db.MicrodistrictProposals.FirstOrDefaultAsync(p => p.Id == command.ProposalId, ct)
            ?? throw new NotFound("Micro-district proposal", command.ProposalId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (proposal.Status != MicrodistrictProposalStatus.Pending)
        {
            throw new RuleViolation("PROPOSAL_DECIDED", $"The proposal was already {proposal.Status.ToLowerInvariant()}.");
        }

        proposal.Status = command.Approve ? MicrodistrictProposalStatus.Approved : MicrodistrictProposalStatus.Rejected;
        proposal.DecidedBy = user.UserName;
        proposal.DecidedAt = clock.UtcNow;
        Guid? ruleId = null;
        if (command.Approve)
        {
            var school = await editor.EditableSchoolAsync(proposal.SchoolCode, ct);
            switch (proposal.Kind)
            {
                case MicrodistrictProposalKinds.SaveRule:
                    var save = MicrodistrictEditor.Read<SaveMicrodistrictRule>(proposal.Payload);
                    await editor.CheckRuleAsync(school, save.SettlementCode, save.Street, save.HouseSet, ct);
                    ruleId = await editor.ApplySaveRuleAsync(school, save, ct);
                    break;
                case MicrodistrictProposalKinds.DeleteRule:
                    ruleId = MicrodistrictEditor.Read<DeleteMicrodistrictRule>(proposal.Payload).RuleId;
                    await editor.ApplyDeleteRuleAsync(school, ruleId.Value, ct);
                    break;
                default:
                    await editor.ApplySavePolygonAsync(school, MicrodistrictEditor.Read<SaveMicrodistrictPolygon>(proposal.Payload).GeoJson, ct);
                    break;
            }
        }

        await editor.SaveAsync(ct);
        return new MicrodistrictEditResult(command.Approve, ruleId, proposal.Id);
    }
}

internal sealed class RevertMicrodistrictChangeHandler(SchoolsDbContext db, MicrodistrictEditor editor, ICurrentUser user, IClock clock)
    : ICommandHandler<RevertMicrodistrictChange, bool>
{
    public async ValueTask<bool> Handle(RevertMicrodistrictChange command, CancellationToken ct)
    {
        var change = await db.MicrodistrictChanges.AsNoTracking().FirstOrDefaultAsync(c => c.Id == command.ChangeId, ct)
            ?? throw new NotFound("Micro-district change", command.ChangeId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (change.Kind is MicrodistrictChangeKinds.SchoolAdded or MicrodistrictChangeKinds.SchoolChanged)
        {
            return await RevertSchoolAsync(change, ct);
        }

        var school = await editor.EditableSchoolAsync(change.SchoolCode, ct);
        if (await editor.NeedsApprovalAsync(ct))
        {
            throw new RuleViolation("APPROVAL_REQUIRED", "While the campaign runs, only a ministry administrator reverts micro-district changes; propose the change instead.");
        }

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

    /// <summary>
    /// Restores a school's own data (names, address, type, languages, participation) as it was: the ministry any school,
    /// a district officer a school of their district that stays in their district.
    /// </summary>
    private async Task<bool> RevertSchoolAsync(MicrodistrictChange change, CancellationToken ct)
    {
        var before = Features.SchoolList.SchoolCsv.ReadJson(change.Before)
            ?? throw new RuleViolation("NOT_REVERTIBLE", "An added school is not removed by a revert; set it not to participate instead.");
        var school = await db.Schools.FirstOrDefaultAsync(s => s.Code == change.SchoolCode, ct) ?? throw new NotFound("School", change.SchoolCode);
        if (!DistrictScope.CanEdit(user, school.DistrictCode) || !DistrictScope.CanEdit(user, before.DistrictCode))
        {
            throw new AccessDenied("District officers revert only changes of their own district's schools.");
        }

        var current = Features.SchoolList.SchoolCsv.Json(school);
        Features.SchoolList.SchoolDraft.From(before).ApplyTo(school, before.RegionCode);
        db.MicrodistrictChanges.Add(new MicrodistrictChange
        {
            SchoolCode = school.Code, DistrictCode = school.DistrictCode, Kind = MicrodistrictChangeKinds.SchoolChanged, Before = current,
            After = change.Before, ChangedBy = user.UserName ?? "system", ChangedAt = clock.UtcNow, RevertsChangeId = change.Id,
        });
        await editor.SaveAsync(ct);
        return true;
    }
}
