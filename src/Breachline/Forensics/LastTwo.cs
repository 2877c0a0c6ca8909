using System.Diagnostics.CodeAnalysis;

namespace Breachline.Forensics;

/// <summary>
/// What the last two distinct keys looked up stood for, found by reference. The readers pool their strings,
/// so a value repeated from a recent row is the same instance; logs sorted by time repeat the row before's
/// user, address and session, or alternate between the two clients busy at the moment, and a reference
/// comparison costs less than hashing a key.
/// </summary>
/// <typeparam name="T">What a key stands for.</typeparam>
internal struct LastTwo<T>
{
    private string? _key;
    private T _value;
    private string? _olderKey;
    private T _olderValue;

    /// <summary>True when <paramref name="key"/> is one of the last two remembered; it becomes the latest.</summary>
    public bool TryGet(string key, [MaybeNullWhen(false)] out T value)
    {
        if (ReferenceEquals(key, _key))
        {
            value = _value;
            return true;
        }

        if (ReferenceEquals(key, _olderKey))
        {
            (_key, _value, _olderKey, _olderValue) = (_olderKey, _olderValue, _key, _value);
            value = _value;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Remembers <paramref name="key"/> as the latest; the one before becomes the older.</summary>
    public void Remember(string key, T value) => (_olderKey, _olderValue, _key, _value) = (_key, _value, key, value);
}
