namespace Breachline.Common;

/// <summary>The user asked for something that cannot be done as asked (exit code 2), e.g. no incident open yet.</summary>
public sealed class UsageException(string message) : Exception(message);
