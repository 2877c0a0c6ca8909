using Breachline.Incidents;
using Breachline.Storage;

namespace Breachline.Pipeline;

/// <summary>
/// Every deadline source beyond the protocol's own, as the workspace stands: what `incident update` must
/// recompute so law and contract deadlines move with the awareness time. Each stage with deadlines adds its
/// sources here.
/// </summary>
public static class DeadlineSources
{
    /// <summary>The sources for <paramref name="workspace"/>.</summary>
    public static IReadOnlyList<IDeadlineSource> For(Workspace workspace) =>
    [
        .. Notification.NotificationDeadlineSource.ForWorkspace(workspace),
    ];
}
