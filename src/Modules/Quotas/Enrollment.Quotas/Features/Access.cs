using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Schools.Contracts;
using Mediator;

namespace Enrollment.Quotas.Features;

/// <summary>The schools this module needs, read through the Schools Contracts (a seam so handler tests need no Schools module).</summary>
internal interface ISchoolDirectory
{
    Task<IReadOnlyList<SchoolDto>> FindAsync(IReadOnlyList<string> codes, CancellationToken ct);
}

internal sealed class MediatorSchoolDirectory(ISender sender) : ISchoolDirectory
{
    public async Task<IReadOnlyList<SchoolDto>> FindAsync(IReadOnlyList<string> codes, CancellationToken ct) =>
        await sender.Send(new GetSchoolsByCodes(codes), ct);
}

/// <summary>Who may do what to which school's quotas.</summary>
internal static class Access
{
    public static string Name(this ICurrentUser user) => user.UserName ?? user.UserId ?? "system";

    public static bool IsMinistry(this ICurrentUser user) => user.IsInRole(Roles.MinistryAdmin);

    public static void RequireMinistry(this ICurrentUser user)
    {
        if (!user.IsMinistry())
        {
            throw new AccessDenied("Only a ministry administrator may do this.");
        }
    }

    /// <summary>School admins: their own school; district officers: their district's schools; the ministry: all.</summary>
    public static void RequireSchoolScope(this ICurrentUser user, string schoolCode, string districtCode)
    {
        if (user.IsMinistry()
            || (user.IsInRole(Roles.DistrictOfficer) && user.DistrictCode == districtCode)
            || (user.IsInRole(Roles.SchoolAdmin) && user.SchoolCode == schoolCode))
        {
            return;
        }

        throw new AccessDenied($"School {schoolCode} is outside your school or district.");
    }

    /// <summary>Deciding on quotas: the district officer of the school's district, or the ministry.</summary>
    public static void RequireDistrictScope(this ICurrentUser user, string districtCode)
    {
        if (user.IsMinistry() || (user.IsInRole(Roles.DistrictOfficer) && user.DistrictCode == districtCode))
        {
            return;
        }

        throw new AccessDenied($"District {districtCode} is not yours.");
    }

    public static async Task<SchoolDto> SchoolAsync(this ISchoolDirectory schools, string code, CancellationToken ct) =>
        await schools.FindAsync([code], ct) is [var school, ..] ? school : throw new NotFound("School", code);
}
