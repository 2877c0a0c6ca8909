namespace Breachline.Common;

/// <summary>A clock stopped at one instant: what `--as-of` gives every command that computes time.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
}
