namespace Enrollment.BuildingBlocks.Errors;

/// <summary>
/// The service refused an operation before saving any of it because it cannot take it in time (e.g. a submit that waited
/// in the submit queue longer than its bound and was withdrawn). Reaches clients as <see cref="TemporarilyUnavailable"/>.
/// </summary>
public sealed class TemporarilyUnavailableException(string reason) : Exception(reason);
