using System.Data.Common;
using System.Text;
using System.Text.Json;
using Enrollment.Appeals.Data;
using Enrollment.Host.Audit;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Notifications.Data;
using Enrollment.Notifications.Features.Delivery;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Enrollment.Registry.Data;
using Enrollment.Registry.Features.Proofs;
using Enrollment.Reporting.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Registry;

public sealed class RetentionErasureFactory() : ApplicationsFactory(StageTwoNoon);

/// <summary>
/// Data retention end to end (issue #8): after the period, the personal data of non-enrolled applications is gone from
/// Notifications, Appeals and the audit snapshots too — enrolled ones untouched, report counts unchanged, the audit
/// chain still verifies and still catches a redacted entry edited in the database; a rerun changes nothing.
/// </summary>
public sealed class RetentionErasureTests(RetentionErasureFactory factory) : IClassFixture<RetentionErasureFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static readonly string School = Tiny.Account("SchoolAdmin").SchoolCode!;

    private async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> run)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await run(scope.ServiceProvider);
    }

    /// <summary>Every text cell of every table of the context, as read from the database.</summary>
    private static async Task<List<string>> RawCellsAsync(DbContext db, Func<DbDataReader, bool>? include = null)
    {
        var cells = new List<string>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        foreach (var table in db.Model.GetEntityTypes().Where(t => t.GetTableName() is not null)
            .Select(t => t.GetSchema() is { } schema ? $"\"{schema}\".\"{t.GetTableName()}\"" : $"\"{t.GetTableName()}\"").Distinct())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                if (include is not null && !include(reader))
                {
                    continue;
                }

                var row = new StringBuilder(table).Append(": ");
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row.Append(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append(" | ");
                }

                cells.Add(row.ToString());
            }
        }

        return cells;
    }

    private sealed record Personal(Guid Id, string ChildPin, string ApplicantPin, string ChildLastName, string ChildFirstName);

    [Fact]
    public async Task Retention_erases_notifications_appeals_and_audit_snapshots_of_non_enrolled_applications_and_keeps_the_chain_verifiable()
    {
        var program = (await _client.ProgramsAsync([School])).First();
        var families = Families.Eligible.Skip(10).Take(3).ToList();
        var tokens = new List<string>();
        var ids = new List<Guid>();
        foreach (var family in families)
        {
            var token = await _client.SignUpAsync(family);
            tokens.Add(token);
            var (_, body) = await _client.PostAsync(Families.Submit, Families.SubmitInput(family, [program]), token);
            Assert.True(body["errors"] is null, body.ToJsonString());
            ids.Add(Guid.Parse(body["data"]!["submitApplication"]!["id"]!.GetValue<string>()));
        }

        // The first is rejected and its parent appeals; the second stays submitted; the third is enrolled.
        var admin = await _client.LoginAsync("school", "Demo-School-2026!");
        var (_, rejected) = await _client.PostAsync("mutation($id: ID!) { rejectApplication(applicationId: $id, reasonCode: \"DOCUMENTS_NOT_CONFIRMED\") { status } }",
            new { id = ids[0] }, admin);
        Assert.True(rejected["errors"] is null, rejected.ToJsonString());
        var (_, appeal) = await _client.PostAsync("mutation($a: ID!) { fileAppeal(applicationId: $a, kind: REJECTION, text: \"Our documents are fine, please look again.\") { id } }",
            new { a = ids[0] }, tokens[0]);
        Assert.True(appeal["errors"] is null, appeal.ToJsonString());

        factory.Clock.Set(ApplicationsFactory.LateEnrollment);
        var (_, enrolled) = await _client.PostAsync(
            "mutation($s: String!, $ids: [ID!]!) { enrollChildren(schoolCode: $s, orderNumber: \"9-r\", orderDate: \"2026-08-20\", applicationIds: $ids) { status } }",
            new { s = School, ids = new[] { ids[2] } }, admin);
        Assert.True(enrolled["errors"] is null, enrolled.ToJsonString());
        await WithScopeAsync(async sp =>
        {
            await sp.GetRequiredService<NotificationDeliveryJob>().RunAsync(CancellationToken.None);
            return 0;
        });

        var people = await WithScopeAsync(async sp => await sp.GetRequiredService<RegistryDbContext>().Applications.AsNoTracking()
            .Where(a => ids.Contains(a.Id)).Select(a => new Personal(a.Id, a.ChildPin, a.ApplicantPin, a.ChildLastName, a.ChildFirstName)).ToListAsync());
        var gone = people.Where(p => p.Id != ids[2]).ToList();
        var kept = people.Single(p => p.Id == ids[2]);
        var goneValues = gone.SelectMany(p => new[] { p.ChildPin, p.ApplicantPin, p.ChildLastName + " " + p.ChildFirstName })
            .Append(gone[0].ChildFirstName).Where(v => !new[] { kept.ChildPin, kept.ApplicantPin, kept.ChildFirstName }.Contains(v)).ToList();
        Assert.True(await WithScopeAsync(async sp => (await RawCellsAsync(sp.GetRequiredService<NotificationsDbContext>())).Any(c => c.Contains(gone[0].ChildFirstName, StringComparison.Ordinal))));
        Assert.True(await WithScopeAsync(async sp => (await RawCellsAsync(sp.GetRequiredService<AuditDbContext>())).Any(c => c.Contains(gone[0].ChildPin, StringComparison.Ordinal))));

        var campaign = (await factory.SendAsync(new GetCurrentCampaign()))!;
        factory.Clock.Set(campaign.Calendar.LateEnrollmentEndsAt.AddDays(366));
        var counts = JsonSerializer.Serialize(await factory.SendAsync(new GetOpenDataApplications(AreaLevel.National)));
        var facts = (await factory.SendAsync(new GetApplicationFacts(campaign.Id))).Count;

        // Through the Hangfire entry of the job.
        await WithScopeAsync(async sp =>
        {
            await sp.GetRequiredService<RetentionJob>().RunAsync(CancellationToken.None);
            return 0;
        });

        var notifications = await WithScopeAsync(async sp => await RawCellsAsync(sp.GetRequiredService<NotificationsDbContext>()));
        var appeals = await WithScopeAsync(async sp => await RawCellsAsync(sp.GetRequiredService<AppealsDbContext>()));
        // Parents' accounts stay (module auth): a parent's user name is their PIN, and so is the actor of their own entries.
        var audit = await WithScopeAsync(async sp => await RawCellsAsync(sp.GetRequiredService<AuditDbContext>(),
            r => r.GetString(r.GetOrdinal("module")) != "auth"));
        foreach (var value in goneValues)
        {
            Assert.DoesNotContain(notifications, c => c.Contains(value, StringComparison.Ordinal));
            Assert.DoesNotContain(appeals, c => c.Contains(value, StringComparison.Ordinal));
        }

        foreach (var value in goneValues.Where(v => !gone.Any(p => p.ApplicantPin == v)))
        {
            Assert.DoesNotContain(audit, c => c.Contains(value, StringComparison.Ordinal));
        }

        var snapshots = await WithScopeAsync(async sp => await sp.GetRequiredService<AuditDbContext>().Entries.AsNoTracking()
            .Where(e => e.Module != "auth").Select(e => (e.BeforeJson ?? "") + (e.AfterJson ?? "")).ToListAsync());
        Assert.DoesNotContain(snapshots, s => gone.Any(p => s.Contains(p.ApplicantPin, StringComparison.Ordinal)));

        // The enrolled child is untouched everywhere.
        Assert.Contains(notifications, c => c.Contains(kept.ChildFirstName, StringComparison.Ordinal));
        Assert.Contains(audit, c => c.Contains(kept.ChildPin, StringComparison.Ordinal));
        Assert.Equal(counts, JsonSerializer.Serialize(await factory.SendAsync(new GetOpenDataApplications(AreaLevel.National))));
        Assert.Equal(facts, (await factory.SendAsync(new GetApplicationFacts(campaign.Id))).Count);
        Assert.Equal(0, await AuditVerifier.RunCommandAsync(factory.Services));
        var confirmed = await WithScopeAsync(async sp => await sp.GetRequiredService<RegistryDbContext>().Applications.AsNoTracking()
            .CountAsync(a => a.AnonymizedAt != null && a.ErasureConfirmedAt == null));
        Assert.Equal(0, confirmed);

        // A rerun changes nothing.
        var entries = await WithScopeAsync(async sp => await sp.GetRequiredService<AuditDbContext>().Entries.CountAsync());
        var again = await WithScopeAsync(async sp => await sp.GetRequiredService<RetentionJob>().RunOnceAsync(CancellationToken.None));
        Assert.False(again.Changed);
        // Every handler again through Mediator (what an unconfirmed chunk gets): nothing is erased or redacted twice.
        await factory.PublishAsync(new ApplicationsAnonymized(campaign.Id, [.. gone.Select(p => p.Id)], Guid.NewGuid()));
        Assert.Equal(0, await AuditVerifier.RunCommandAsync(factory.Services));
        Assert.Equal(appeals, await WithScopeAsync(async sp => await RawCellsAsync(sp.GetRequiredService<AppealsDbContext>())));
        Assert.Equal(entries, await WithScopeAsync(async sp => await sp.GetRequiredService<AuditDbContext>().Entries.CountAsync()));
        Assert.Equal(notifications, await WithScopeAsync(async sp => await RawCellsAsync(sp.GetRequiredService<NotificationsDbContext>())));

        // A redacted entry edited in the database is still caught.
        long tampered = await WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AuditDbContext>();
            var entry = await db.Entries.OrderBy(e => e.Id).FirstAsync(e => e.RedactedAt != null && e.AfterJson != null);
            entry.AfterJson = entry.AfterJson!.Replace("}", ",\"Note\":\"edited\"}", StringComparison.Ordinal);
            await db.SaveChangesAsync();
            return entry.Id;
        });
        Assert.Equal(3, await AuditVerifier.RunCommandAsync(factory.Services));
        var report = await WithScopeAsync(async sp => await sp.GetRequiredService<AuditVerifier>().VerifyAsync(CancellationToken.None));
        Assert.Equal(tampered, report.FirstBrokenEntryId);
    }
}
