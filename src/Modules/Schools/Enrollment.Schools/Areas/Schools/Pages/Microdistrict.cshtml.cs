using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Schools.Features.Microdistricts;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Configuration;

namespace Enrollment.Schools.Areas.Schools.Pages;

/// <summary>
/// A school's micro-district: the map (Leaflet + Geoman) and the address-rule table, with the change history.
/// District officers edit their district's schools, the ministry all; others see it read-only.
/// </summary>
[Authorize(Roles = Roles.MinistryAdmin + "," + Roles.DistrictOfficer + "," + Roles.Analyst + "," + Roles.SchoolAdmin)]
internal sealed class MicrodistrictModel(IMediator mediator, IConfiguration configuration) : PageModel
{
    [BindProperty(SupportsGet = true)] public string School { get; set; } = "";

    public MicrodistrictView? View { get; private set; }
    public IReadOnlyList<Domain.MicrodistrictProposal> Proposals { get; private set; } = [];
    public bool CanDecide => User.IsInRole(Roles.MinistryAdmin);
    public string MapJson { get; private set; } = "{}";

    [TempData] public string? Message { get; set; }
    [TempData] public string? Error { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        try
        {
            View = await mediator.Send(new GetMicrodistrictView(School), ct);
        }
        catch (AccessDenied)
        {
            return Forbid();
        }
        catch (NotFound)
        {
            return NotFound();
        }

        if (!User.IsInRole(Roles.SchoolAdmin) || User.IsInRole(Roles.MinistryAdmin) || User.IsInRole(Roles.DistrictOfficer) || User.IsInRole(Roles.Analyst))
        {
            Proposals = [.. (await mediator.Send(new GetMicrodistrictProposals(View.School.DistrictCode, Domain.MicrodistrictProposalStatus.Pending), ct))
                .Where(p => p.SchoolCode == View.School.Code)];
        }

        MapJson = BuildMapJson(View, configuration["Schools:TileUrl"], configuration["Schools:TileAttribution"]);
        return Page();
    }

    public Task<IActionResult> OnPostSaveRuleAsync(Guid? ruleId, string? settlementCode, string? street, string? houseSet, CancellationToken ct) =>
        RunAsync(() => mediator.Send(new SaveMicrodistrictRule(ruleId, School, settlementCode ?? "", street ?? "", houseSet ?? ""), ct), "RuleSaved");

    public Task<IActionResult> OnPostDeleteRuleAsync(Guid ruleId, CancellationToken ct) =>
        RunAsync(() => mediator.Send(new DeleteMicrodistrictRule(ruleId), ct), "RuleDeleted");

    public Task<IActionResult> OnPostSavePolygonAsync(string? geoJson, CancellationToken ct) =>
        RunAsync(() => mediator.Send(new SaveMicrodistrictPolygon(School, geoJson), ct), "PolygonSaved");

    public Task<IActionResult> OnPostRevertAsync(long changeId, CancellationToken ct) =>
        RunAsync(async () => new MicrodistrictEditResult(await mediator.Send(new RevertMicrodistrictChange(changeId), ct), null, null), "ChangeReverted");

    public Task<IActionResult> OnPostDecideAsync(long proposalId, bool approve, CancellationToken ct) =>
        RunAsync(() => mediator.Send(new DecideMicrodistrictProposal(proposalId, approve), ct), approve ? "ProposalApproved" : "ProposalRejected");

    private async Task<IActionResult> RunAsync(Func<ValueTask<MicrodistrictEditResult>> action, string messageKey)
    {
        try
        {
            var result = await action();
            Message = result.ProposalId is not null && !result.Applied && messageKey is not "ProposalRejected" ? "ProposalSent" : messageKey;
        }
        catch (AccessDenied)
        {
            return Forbid();
        }
        catch (RuleViolation e)
        {
            Error = e.Code + ": " + e.Message;
        }

        return RedirectToPage(new { school = School });
    }

    private static string BuildMapJson(MicrodistrictView view, string? tileUrl, string? tileAttribution)
    {
        static JsonNode? Parse(string? geoJson)
        {
            try
            {
                return string.IsNullOrWhiteSpace(geoJson) ? null : JsonNode.Parse(geoJson);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        var points = view.DistrictSchools.Select(s => (s.Latitude, s.Longitude))
            .Concat(view.Settlements.Select(s => (s.Latitude, s.Longitude)))
            .Where(p => p.Latitude != 0 || p.Longitude != 0).ToList();
        JsonArray? outline = null;
        if (points.Count > 0)
        {
            // No district boundaries in the data: the outline is the district's extent (settlements and schools, padded).
            const double pad = 0.01;
            double minLat = points.Min(p => p.Latitude) - pad, maxLat = points.Max(p => p.Latitude) + pad;
            double minLon = points.Min(p => p.Longitude) - pad, maxLon = points.Max(p => p.Longitude) + pad;
            outline = [new JsonArray(minLat, minLon), new JsonArray(minLat, maxLon), new JsonArray(maxLat, maxLon), new JsonArray(maxLat, minLon)];
        }

        var ru = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName != "ky";
        var data = new JsonObject
        {
            ["schoolCode"] = view.School.Code,
            ["canEdit"] = view.CanEdit,
            ["tileUrl"] = tileUrl ?? "",
            ["tileAttribution"] = tileAttribution ?? "",
            ["center"] = new JsonObject { ["lat"] = view.School.Latitude, ["lon"] = view.School.Longitude },
            ["polygon"] = Parse(view.PolygonGeoJson),
            ["outline"] = outline,
            ["schools"] = new JsonArray([.. view.DistrictSchools.Select(s => (JsonNode)new JsonObject
            {
                ["code"] = s.Code, ["name"] = ru ? s.NameRu : s.NameKy, ["lat"] = s.Latitude, ["lon"] = s.Longitude,
            })]),
            ["others"] = new JsonArray([.. view.DistrictPolygons.Where(p => p.SchoolCode != view.School.Code)
                .Select(p => Parse(p.GeoJson)).Where(g => g is not null)
                .Select(g => (JsonNode)new JsonObject { ["geoJson"] = g })]),
        };
        return data.ToJsonString();
    }
}
