namespace Enrollment.Host;

/// <summary>
/// Marker for the Host's UI strings in Resources/SharedResource.*.resx (ResourcesPath "Resources"). Like the modules'
/// markers it lives in the root namespace and outside the Resources folder: the localizer looks the strings up as
/// "Enrollment.Host.Resources.SharedResource", which is the manifest name the resx files get from their folder.
/// </summary>
internal sealed class SharedResource;
