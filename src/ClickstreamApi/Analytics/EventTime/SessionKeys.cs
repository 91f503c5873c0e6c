using System.Globalization;

namespace ClickstreamApi.Analytics.EventTime;

/// <summary>
/// A session id as 64 bits, so open sessions cost no string each: the generator's ids
/// (<c>s-</c> and 16 hexadecimal digits) are their number exactly; any other id is hashed (64-bit
/// FNV-1a, mixed), where a collision among a few million open sessions is about 1 in 10^6.
/// </summary>
public static class SessionKeys
{
    public static ulong Of(string sessionId)
    {
        if (sessionId.Length == 18 && sessionId.StartsWith("s-", StringComparison.Ordinal)
            && ulong.TryParse(sessionId.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        var hash = 14695981039346656037UL;
        foreach (var c in sessionId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        // SplitMix64's finalizer: FNV alone leaves the low bits weak.
        hash = (hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9UL;
        hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EBUL;
        return hash ^ (hash >> 31);
    }
}
