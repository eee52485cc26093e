namespace Enrollment.BuildingBlocks.Admin;

/// <summary>
/// One entry of the admin navigation. Modules register theirs in DI; the Host's layout shows those the
/// signed-in user's roles allow, with <see cref="TitleKey"/> looked up in <see cref="Resources"/>
/// (the module's resource class) for the current UI culture.
/// </summary>
public sealed record AdminMenuItem(string Url, string TitleKey, Type Resources, IReadOnlyList<string> Roles, int Order);
