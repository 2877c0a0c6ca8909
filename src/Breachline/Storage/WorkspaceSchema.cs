namespace Breachline.Storage;

/// <summary>
/// Every stage's schema module. Each stage owns its module (in its own folder) and appends migrations
/// to it; adding a stage means adding one line here.
/// </summary>
public static class WorkspaceSchema
{
    /// <summary>The modules, migrated in this order.</summary>
    public static IReadOnlyList<SchemaModule> Modules { get; } =
    [
        Incidents.IncidentSchema.Module,
        Notification.NotificationStore.Module,
    ];
}
