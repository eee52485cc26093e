namespace Enrollment.Host;

/// <summary>Marker for the Host's UI strings (Resources/SharedResource.*.resx via ResourcesPath "Resources").</summary>
internal sealed class SharedResource;
