namespace Enrollment.Notifications.Contracts;

/// <summary>
/// Notifications has no public messages yet: it listens to Registry, Allocation and Appeals events and keeps its own
/// outbox. Other modules never call it (ADR 0500).
/// </summary>
public static class NotificationsContracts
{
    public const string Module = "notifications";
}
