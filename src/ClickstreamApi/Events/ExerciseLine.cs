using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ClickstreamApi.Events;

/// <summary>
/// The original exercise's text format, <c>User 42 clicked on /page3 at 1732480000.123</c> (epoch
/// seconds), accepted as a click so the exercise's own Python producer can feed the service.
/// </summary>
public static partial class ExerciseLine
{
    private static readonly byte[] Prefix = "User "u8.ToArray();

    /// <summary>Whether the bytes could be an exercise line at all (cheap check before parsing).</summary>
    public static bool LooksLikeOne(ReadOnlySpan<byte> data) => data.StartsWith(Prefix);

    public static bool TryRead(ReadOnlySpan<byte> data, [NotNullWhen(true)] out ClickEvent? clickEvent)
    {
        clickEvent = null;
        var text = Encoding.UTF8.GetString(data).Trim();
        var match = Pattern().Match(text);
        if (!match.Success
            || !decimal.TryParse(match.Groups["epoch"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || seconds > 253_402_300_799m)
        {
            return false;
        }

        var ticks = (long)(seconds * TimeSpan.TicksPerSecond);
        clickEvent = new ClickEvent
        {
            // The line carries no id: derive one from its bytes (a name-based UUIDv8 from SHA-256), so
            // a message read twice gets the same id and can be recognised as a duplicate.
            EventId = NameBasedId(data),
            SchemaVersion = 1,
            UserId = match.Groups["user"].Value,
            EventType = EventTypes.Click,
            Page = match.Groups["page"].Value,
            OccurredAt = DateTimeOffset.UnixEpoch.AddTicks(ticks),
        };
        return true;
    }

    private static Guid NameBasedId(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        var bytes = hash[..16];
        bytes[6] = (byte)(0x80 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    [GeneratedRegex(@"^User (?<user>\S{1,128}) clicked on (?<page>\S{1,2048}) at (?<epoch>\d{1,12}(\.\d{1,9})?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
