using System.Globalization;
using System.Text;
using ClickstreamApi.Events;

namespace ClickstreamApi.Generation;

/// <summary>
/// Decides, per generated event, which faults to inject. Owned by the generating loop (not
/// thread-safe); its own random numbers (seeded from the run's seed) keep the event sequence
/// itself unchanged whether faults are on or off.
/// </summary>
public sealed class FaultInjector(int seed)
{
    private readonly Random _random = new(seed ^ 0x5EED_FA17);

    /// <summary>The event, moved into the past when it is chosen to be late.</summary>
    public ClickEvent MaybeLate(ClickEvent clickEvent, FaultSettings settings, out bool late)
    {
        late = settings.Late > 0 && _random.NextDouble() < settings.Late;
        if (!late)
        {
            return clickEvent;
        }

        var delay = TimeSpan.FromSeconds(_random.NextDouble() * settings.LateMaxSeconds);
        return clickEvent with { OccurredAt = clickEvent.OccurredAt - delay };
    }

    public bool ShouldDuplicate(FaultSettings settings) => settings.Duplicate > 0 && _random.NextDouble() < settings.Duplicate;

    /// <summary>A message that is not a valid event, or null when none is due.</summary>
    public byte[]? MaybeMalformed(FaultSettings settings, ReadOnlySpan<byte> validEvent, long seq)
    {
        if (settings.Malformed <= 0 || _random.NextDouble() >= settings.Malformed)
        {
            return null;
        }

        // Half garbage text, half an event cut off mid-way (broken JSON).
        return _random.NextDouble() < 0.5
            ? Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"#injected malformed event after seq {seq}: not JSON"))
            : validEvent[..Math.Max(1, validEvent.Length / 2)].ToArray();
    }
}
