using Enrollment.BuildingBlocks.Persistence;
using Enrollment.DemoData;
using Enrollment.Host.Auth;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Enrollment.Schools.Contracts;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Host.Seeding;

/// <summary>
/// Start-up: applies every module's migrations, then (when <c>DemoData:Profile</c> is Tiny or National and the
/// database is empty) loads the deterministic demo dataset through each module's Contracts commands.
/// </summary>
internal static class DemoSeeder
{
    public static async Task MigrateAndSeedAsync(this IServiceProvider services, IConfiguration configuration, CancellationToken ct)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Enrollment.Seeding");
        await using (var scope = services.CreateAsyncScope())
        {
            foreach (var migrator in scope.ServiceProvider.GetServices<IModuleMigrator>())
            {
                await migrator.MigrateAsync(scope.ServiceProvider, ct);
            }
        }

        var profileName = configuration["DemoData:Profile"] ?? "None";
        if (!Enum.TryParse<DemoProfile>(profileName, ignoreCase: true, out var profile))
        {
            return;
        }

        await using var seedScope = services.CreateAsyncScope();
        var sp = seedScope.ServiceProvider;
        if (await sp.GetRequiredService<AuthDbContext>().Users.AnyAsync(ct))
        {
            return; // not a fresh database: never seed over real data
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        var seed = configuration.GetValue("DemoData:Seed", 2026);
        var data = DemoDataGenerator.Generate(profile, seed);
        logger.LogInformation("Generated the {Profile} demo dataset in {Elapsed} ms", profile, started.ElapsedMilliseconds);

        var mediator = sp.GetRequiredService<IMediator>();
        var regionOfDistrict = data.Districts.ToDictionary(d => d.Code, d => d.RegionCode, StringComparer.Ordinal);
        await mediator.Send(new SeedSchools(
            [.. data.Regions.Select(r => new RegionDto(r.Code, r.NameKy, r.NameRu, r.IsCity))],
            [.. data.Districts.Select(d => new DistrictDto(d.Code, d.RegionCode, d.NameKy, d.NameRu))],
            [.. data.Settlements.Select(s => new SettlementDto(s.Code, s.DistrictCode, s.NameKy, s.NameRu, s.Kind, s.Latitude, s.Longitude))],
            [.. data.Schools.Select(s => new SchoolDto(s.Code, regionOfDistrict[s.DistrictCode], s.DistrictCode, s.SettlementCode, s.NameKy, s.NameRu,
                s.Address, s.Latitude, s.Longitude, s.Type, s.Languages, s.ParticipatesInEnrollment, s.NonParticipationReason))],
            [.. data.MicrodistrictRules.Select(r => new MicrodistrictRuleDto(r.SchoolCode, r.SettlementCode, r.Street, r.HouseSet))],
            [.. data.MicrodistrictPolygons.Select(p => new MicrodistrictPolygonDto(p.SchoolCode, p.GeoJson))],
            [.. data.Streets.Select(s => new StreetAliasDto(s.SettlementCode, s.NameRu, s.NameKy))],
            [.. data.Addresses.GroupBy(a => (a.SettlementCode, a.Street, a.House, a.Latitude, a.Longitude))
                .Select(g => new RegistryAddressDto(g.Key.SettlementCode, g.Key.Street, g.Key.House, g.Key.Latitude, g.Key.Longitude, g.Count()))]), ct);

        await mediator.Send(new SeedPopulation(
            [.. data.Persons.Select(p => new PersonRecord(p.Pin, p.LastName, p.FirstName, p.Patronymic, p.Sex, p.BirthDate,
                p.BirthCertificateNumber, p.PassportNumber, p.Phone, p.Email))],
            [.. data.Addresses.Select(a => new RegisteredAddressRecord(a.Pin, a.SettlementCode, a.Street, a.House, a.Apartment, a.Latitude, a.Longitude))],
            [.. data.ParentLinks.Select(l => new ParentLinkRecord(l.ParentPin, l.ChildPin, l.Relation))],
            [.. data.PriorityDocuments.Select(d => new PriorityDocumentRecord(d.ChildPin, d.Category, d.DocumentNumber))]), ct);

        var campaignYear = configuration.GetValue("DemoData:CampaignYear", 2026);
        await mediator.Send(new SeedCampaign(campaignYear), ct);
        await mediator.Send(new SeedQuotas(campaignYear, [.. data.Schools.Where(s => s.ParticipatesInEnrollment).Select(s =>
            new SeedQuotaSchool(s.Code, s.DistrictCode, regionOfDistrict[s.DistrictCode], s.Languages, s.ExpectedFirstGradeSeats))]), ct);
        await SeedAccountsAsync(sp, data.Accounts);
        logger.LogInformation("Seeded the {Profile} demo dataset ({Schools} schools, {Persons} persons) in {Elapsed} s",
            profile, data.Schools.Count, data.Persons.Count, started.Elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
        DemoAccounts = data.Accounts;
    }

    /// <summary>The demo accounts created on this start (printed in development).</summary>
    public static IReadOnlyList<DemoAccount> DemoAccounts { get; private set; } = [];

    private static async Task SeedAccountsAsync(IServiceProvider sp, IReadOnlyList<DemoAccount> accounts)
    {
        var roles = sp.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Enrollment.BuildingBlocks.Security.Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), role);
            }
        }

        var users = sp.GetRequiredService<UserManager<AppUser>>();
        var now = DateTimeOffset.UtcNow;
        foreach (var account in accounts)
        {
            var user = new AppUser
            {
                UserName = account.UserName, DisplayName = account.UserName, DistrictCode = account.DistrictCode,
                SchoolCode = account.SchoolCode, Pin = account.Pin, CreatedAt = now,
            };
            Check(await users.CreateAsync(user, account.Password), account.UserName);
            Check(await users.AddToRoleAsync(user, account.Role), account.UserName);
        }
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Seeding {what} failed: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}
