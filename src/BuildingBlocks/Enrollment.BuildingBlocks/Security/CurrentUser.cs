using System.Security.Claims;

namespace Enrollment.BuildingBlocks.Security;

/// <summary>Role names, the same for admin pages, GraphQL fields and jobs.</summary>
public static class Roles
{
    public const string Parent = "Parent";
    public const string SchoolAdmin = "SchoolAdmin";
    public const string DistrictOfficer = "DistrictOfficer";
    public const string MinistryAdmin = "MinistryAdmin";
    public const string Analyst = "Analyst";

    public static readonly IReadOnlyList<string> All = [Parent, SchoolAdmin, DistrictOfficer, MinistryAdmin, Analyst];
    public static readonly IReadOnlyList<string> Staff = [SchoolAdmin, DistrictOfficer, MinistryAdmin, Analyst];
}

/// <summary>Claim types that carry a user's scope.</summary>
public static class ScopeClaims
{
    public const string District = "enrollment:district";
    public const string School = "enrollment:school";
    public const string Pin = "enrollment:pin";
}

/// <summary>
/// Who is calling, with the scope handlers must apply in their queries
/// (a school admin's list query filters by <see cref="SchoolCode"/>, not only the UI).
/// </summary>
public interface ICurrentUser
{
    bool IsAuthenticated { get; }
    string? UserId { get; }
    string? UserName { get; }
    IReadOnlyList<string> Roles { get; }
    string? DistrictCode { get; }
    string? SchoolCode { get; }
    string? Pin { get; }
    bool IsInRole(string role);
}

public sealed class ClaimsCurrentUser(ClaimsPrincipal? principal) : ICurrentUser
{
    private readonly ClaimsPrincipal _principal = principal ?? new ClaimsPrincipal(new ClaimsIdentity());

    public bool IsAuthenticated => _principal.Identity?.IsAuthenticated == true;
    public string? UserId => _principal.FindFirstValue(ClaimTypes.NameIdentifier);
    public string? UserName => _principal.Identity?.Name;
    public IReadOnlyList<string> Roles => [.. _principal.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct()];
    public string? DistrictCode => _principal.FindFirstValue(ScopeClaims.District);
    public string? SchoolCode => _principal.FindFirstValue(ScopeClaims.School);
    public string? Pin => _principal.FindFirstValue(ScopeClaims.Pin);
    public bool IsInRole(string role) => _principal.IsInRole(role);
}
