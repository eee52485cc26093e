using System.Security.Cryptography;
using System.Text;
using Enrollment.Allocation.Contracts;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Enrollment.Registry.Data;
using Enrollment.Registry.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Enrollment.Registry.Features.Applications;

/// <summary>Offers live in Allocation: Registry reaches them only through its Contracts (a seam for handler tests).</summary>
internal interface IOfferDesk
{
    Task<OfferDto> ConfirmAsync(Guid applicationId, CancellationToken ct);

    Task ReleaseAsync(Guid applicationId, string reason, CancellationToken ct);
}

internal sealed class MediatorOfferDesk(ISender sender) : IOfferDesk
{
    public async Task<OfferDto> ConfirmAsync(Guid applicationId, CancellationToken ct) => await sender.Send(new ConfirmOffer(applicationId), ct);

    public async Task ReleaseAsync(Guid applicationId, string reason, CancellationToken ct) => await sender.Send(new ReleaseOffer(applicationId, reason), ct);
}

/// <summary>The current campaign, its stage and what is allowed now (Quotas Contracts), read once per request.</summary>
internal sealed record CampaignNow(CampaignDto Campaign, StageInfoDto Stage, AllowedNowDto Allowed)
{
    public static async Task<CampaignNow> LoadAsync(ISender sender, CancellationToken ct)
    {
        var campaign = await sender.Send(new GetCurrentCampaign(), ct)
            ?? throw new RuleViolation(ApplicationErrors.NoCampaign, "No admission campaign exists yet.");
        var stage = await sender.Send(new GetCurrentStage(), ct)
            ?? throw new RuleViolation(ApplicationErrors.NoCampaign, "No admission campaign exists yet.");
        var allowed = await sender.Send(new GetAllowedNow(), ct)
            ?? throw new RuleViolation(ApplicationErrors.NoCampaign, "No admission campaign exists yet.");
        return new CampaignNow(campaign, stage, allowed);
    }

    /// <summary>Null when no campaign exists yet (for read-only views).</summary>
    public static async Task<CampaignNow?> TryLoadAsync(ISender sender, CancellationToken ct)
    {
        try
        {
            return await LoadAsync(sender, ct);
        }
        catch (RuleViolation)
        {
            return null;
        }
    }

    /// <summary>UNKNOWN_PRIORITY_CATEGORY unless the category is empty or one of the list.</summary>
    public static void EnsurePriorityCategory(string? category)
    {
        if (category is { Length: > 0 } && !ApplicationLists.PriorityCategories.Contains(category))
        {
            throw new RuleViolation(ApplicationErrors.UnknownPriorityCategory,
                $"Unknown priority category; one of: {string.Join(", ", ApplicationLists.PriorityCategories)}.");
        }
    }

    /// <summary>The announced cancellation switches (in force or later), for the error message and the parent's view.</summary>
    public string CancellationSwitchPeriods() => string.Join("; ", Allowed.Switches.Where(s => s.Kind == SwitchKind.CancellationDisabled)
        .Select(s => $"{Bishkek.ToLocal(s.StartsAt):yyyy-MM-dd HH:mm} – {Bishkek.ToLocal(s.EndsAt):yyyy-MM-dd HH:mm} (Asia/Bishkek)"));
}

/// <summary>Who may see or act on an application: the applicant (parent), or staff whose school/district one of its choices names.</summary>
internal static class ApplicationAccess
{
    public static string Actor(this ICurrentUser user) => user.UserName ?? user.UserId ?? "system";

    public static string RequireParentPin(this ICurrentUser user) =>
        user.IsInRole(Roles.Parent) && user.Pin is { Length: > 0 } pin ? pin : throw new AccessDenied("Only a signed-in parent may do this.");

    public static bool IsMinistry(this ICurrentUser user) => user.IsInRole(Roles.MinistryAdmin);

    /// <summary>Restricts a query to what the caller may read (the scope is in the query, not only in the UI).</summary>
    public static IQueryable<Application> Visible(this IQueryable<Application> query, ICurrentUser user)
    {
        if (user.IsMinistry())
        {
            return query;
        }

        if (user.IsInRole(Roles.DistrictOfficer) && user.DistrictCode is { } district)
        {
            return query.Where(a => a.Choices.Any(c => c.DistrictCode == district));
        }

        if (user.IsInRole(Roles.SchoolAdmin) && user.SchoolCode is { } school)
        {
            return query.Where(a => a.Choices.Any(c => c.SchoolCode == school) || a.EnrolledSchoolCode == school);
        }

        if (user.IsInRole(Roles.Parent) && user.Pin is { } pin)
        {
            return query.Where(a => a.ApplicantPin == pin);
        }

        return query.Where(_ => false);
    }

    /// <summary>Loads one application the caller may act on (as staff, or as the applicant when <paramref name="parent"/>).</summary>
    public static async Task<Application> LoadAsync(this RegistryDbContext db, ICurrentUser user, Guid id, bool parent, CancellationToken ct)
    {
        var query = db.Applications.Include(a => a.Choices).Include(a => a.History).AsSplitQuery();
        var application = parent
            ? await query.FirstOrDefaultAsync(a => a.Id == id && a.ApplicantPin == user.RequireParentPin(), ct)
            : await query.Visible(user).FirstOrDefaultAsync(a => a.Id == id, ct);
        return application ?? throw new NotFound("Application", id.ToString());
    }
}

/// <summary>Keyed hash of a child's PIN for pseudonymous facts (Reporting): stable, not reversible without the key.</summary>
internal sealed class ChildKeyHasher
{
    private readonly byte[] _key;

    public ChildKeyHasher(IConfiguration configuration, DatabaseOptions database)
    {
        var configured = configuration["Registry:ChildKeySecret"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _key = Encoding.UTF8.GetBytes(configured);
            return;
        }

        // No configured secret: one random key kept beside the data-protection keys (backed up with them), so
        // child keys stay stable across restarts and restores.
        var folder = Path.Combine(database.DataDirectory, "keys");
        var path = Path.Combine(folder, "registry-child-key.bin");
        Directory.CreateDirectory(folder);
        if (!File.Exists(path))
        {
            try
            {
                using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                file.Write(RandomNumberGenerator.GetBytes(32));
            }
            catch (IOException) when (File.Exists(path))
            {
            }
        }

        _key = File.ReadAllBytes(path);
    }

    public string Hash(string childPin) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(childPin)))[..32];
}

/// <summary>Saves the changed applications in one transaction, then publishes one <see cref="ApplicationStatusChanged"/> per new history entry.</summary>
internal sealed partial class ApplicationEvents(RegistryDbContext db, IPublisher publisher, ChildKeyHasher hasher, ILogger<ApplicationEvents> logger)
{
    public async Task SaveAndPublishAsync(IReadOnlyList<Application> applications, CancellationToken ct)
    {
        foreach (var application in applications)
        {
            if (db.Entry(application).State != EntityState.Added)
            {
                application.Version++;
            }
        }

        await db.SaveChangesAsync(ct);
        await PublishAsync(applications, ct);
    }

    public async Task PublishAsync(IReadOnlyList<Application> applications, CancellationToken ct)
    {
        foreach (var application in applications)
        {
            foreach (var change in Changes(application, hasher))
            {
                try
                {
                    await publisher.Publish(change, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The transition is committed; a failing listener must not turn it into an error for the caller.
                    LogListenerFailed(logger, e, application.Id, change.To.ToString());
                }
            }
        }
    }

    /// <summary>The events of the application's history entries not published yet (taken: a second call gives none).</summary>
    public static List<ApplicationStatusChanged> Changes(Application application, ChildKeyHasher hasher)
    {
        var entries = application.NewHistory.ToList();
        application.NewHistory.Clear();
        if (entries.Count == 0)
        {
            return [];
        }

        var fact = application.ToFact(hasher);
        return [.. entries.Select(entry => new ApplicationStatusChanged(entry.Id, fact, entry.From, entry.To, entry.At, entry.Actor, entry.Reason, entry.Sequence))];
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A listener of ApplicationStatusChanged failed for application {ApplicationId} ({Status})")]
    private static partial void LogListenerFailed(ILogger logger, Exception e, Guid applicationId, string status);
}

internal static class ApplicationFacts
{
    public static ProgramKeyDto? EnrolledProgram(this Application a) =>
        a.EnrolledSchoolCode is null ? null : new ProgramKeyDto(a.EnrolledSchoolCode, a.EnrolledLanguage!, a.EnrolledGrade ?? 1);

    public static ApplicationFactDto ToFact(this Application a, ChildKeyHasher hasher) => new(
        a.Id, a.CampaignId, hasher.Hash(a.AnonymizedAt is null ? a.ChildPin : "anonymized:" + a.Id), a.ChildBirthDate.Year, a.ChildSex, a.Status, a.SubmittedInStage, a.SubmittedAt,
        [.. a.Choices.OrderBy(c => c.Rank).Select(c => new ProgramKeyDto(c.SchoolCode, c.Language, c.Grade))],
        a.PriorityCategory, a.PriorityStatus == PriorityClaimStatus.Verified, a.EnrolledProgram(), a.UpdatedAt);
}
