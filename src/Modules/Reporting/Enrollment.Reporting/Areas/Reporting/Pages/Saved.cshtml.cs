using System.Text.Json;
using System.Text.Json.Nodes;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Reporting.Features.Export;
using Enrollment.Reporting.Features.SavedQueries;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Reporting.Areas.Reporting.Pages;

/// <summary>Saved analytics queries: save, list, re-run (as the signed-in user, through the GraphQL executer), export CSV/.xlsx.</summary>
[Authorize(Roles = Roles.Analyst + "," + Roles.MinistryAdmin)]
internal sealed class SavedModel(IMediator mediator) : PageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Query { get; set; }
    [BindProperty] public string? Variables { get; set; }

    public IReadOnlyList<SavedQueryDto> Queries { get; private set; } = [];
    public SavedQueryDto? Ran { get; private set; }
    public Table? Result { get; private set; }
    public string? ResultJson { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? run, string? format, CancellationToken ct)
    {
        Queries = await mediator.Send(new GetSavedQueries(), ct);
        Ran = Queries.FirstOrDefault(q => q.Id == run);
        if (Ran is null)
        {
            return Page();
        }

        var json = await SavedQueryRunner.RunAsync(HttpContext.RequestServices, User, Ran, ct);
        Result = SavedQueryRunner.ToTable(json);
        var file = string.Concat(Ran.Name.Select(ch => char.IsLetterOrDigit(ch) ? ch : '-'));
        return format switch
        {
            "csv" => File(Result.ToCsv(), Table.CsvType, file + ".csv"),
            "xlsx" => File(Result.ToXlsx("Query"), Table.XlsxType, file + ".xlsx"),
            _ => Show(json),
        };
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        try
        {
            var saved = await mediator.Send(new SaveQuery(Name ?? "", Query ?? "", Variables), ct);
            return RedirectToPage(new { run = saved.Id });
        }
        catch (ValidationFailed e)
        {
            foreach (var error in e.Errors) ModelState.AddModelError(error.Field switch { "name" => nameof(Name), "query" => nameof(Query), _ => nameof(Variables) }, error.Message);
        }
        catch (RuleViolation e)
        {
            ModelState.AddModelError(nameof(Query), e.Message);
        }

        Queries = await mediator.Send(new GetSavedQueries(), ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        await mediator.Send(new DeleteSavedQuery(id), ct);
        return RedirectToPage();
    }

    private PageResult Show(JsonNode json)
    {
        ResultJson = json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        return Page();
    }
}
