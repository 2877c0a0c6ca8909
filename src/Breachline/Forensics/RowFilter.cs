namespace Breachline.Forensics;

/// <summary>
/// Decides from a row's client address and session keys, before the row becomes an event, whether it is
/// wanted: the hunt's second pass reads only the suspects' rows, and skipping the rest costs no allocation.
/// </summary>
/// <param name="ip">The client address (SOURCE_IP where CLIENT_IP is "Salesforce.com IP"); empty when none.</param>
/// <param name="loginKey">LOGIN_KEY; empty when none.</param>
/// <param name="sessionKey">SESSION_KEY; empty when none.</param>
public delegate bool RowFilter(ReadOnlySpan<char> ip, ReadOnlySpan<char> loginKey, ReadOnlySpan<char> sessionKey);
