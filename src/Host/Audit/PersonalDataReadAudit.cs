using System.Text.Json;
using Enrollment.BuildingBlocks.Audit;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;

namespace Enrollment.Host.Audit;

/// <summary>
/// Writes the staff reads of personal data a request recorded (<see cref="PersonalDataReads"/>) as one audit entry
/// on the hash chain — module <see cref="Module"/>, action <see cref="Action"/>, entity the entity names, key the id
/// when exactly one entity was read — just before the response starts, so the data is not delivered unless the read
/// is on record. One insert per request however long the list page.
/// </summary>
internal sealed class PersonalDataReadAudit(PersonalDataReads reads, ICurrentUser user, AuditContext audit, AuditDbContext db, IClock clock)
{
    public const string Module = "reads";
    public const string Action = "Read";

    public async Task FlushAsync(string path, CancellationToken ct)
    {
        var recorded = reads.Drain();
        if (recorded.Count == 0 || !reads.IsAudited)
        {
            return;
        }

        var entities = string.Join(",", recorded.Select(r => r.Entity).Distinct(StringComparer.Ordinal));
        var ids = recorded.SelectMany(r => r.Ids).Distinct(StringComparer.Ordinal).ToList();
        var after = JsonSerializer.Serialize(new
        {
            Path = path,
            Reads = recorded.Select(r => new { r.Module, r.Entity, r.What, r.Count, r.Ids }),
        });
        var data = new AuditEntryData(clock.UtcNow, user.UserId ?? "unknown", user.UserName ?? "unknown", string.Join(",", user.Roles),
            user.DistrictCode, user.SchoolCode, audit.RequestId, Module, Truncate(entities, 128), ids.Count == 1 ? ids[0] : "",
            Action, null, after, null);
        await AuditLog.AppendExplicitAsync(db, data, ct);
    }

    private static string Truncate(string s, int length) => s.Length <= length ? s : s[..length];
}

/// <summary>Puts the read-audit flush first in the pipeline: it runs when the response is about to start.</summary>
internal sealed class PersonalDataReadAuditStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var flushed = false;
            async Task FlushAsync()
            {
                if (flushed)
                {
                    return;
                }

                flushed = true;
                await context.RequestServices.GetRequiredService<PersonalDataReadAudit>().FlushAsync(context.Request.Path, context.RequestAborted);
            }

            context.Response.OnStarting(FlushAsync);
            await nextMiddleware();
            await FlushAsync(); // a response without a body (204, redirects that never started) still gets its entry
        });
        next(app);
    };
}
