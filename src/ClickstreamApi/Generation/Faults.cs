using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using ClickstreamApi.Events;

namespace ClickstreamApi.Generation;

/// <summary>
/// Test-data faults, as fractions of generated events (0 to 1 each, all off by default).
/// </summary>
/// <param name="Malformed">Share of events followed by an extra message that is not a valid event (garbage text, or an event cut short).</param>
/// <param name="Duplicate">Share of events sent twice (same bytes, same eventId and seq).</param>
/// <param name="Late">Share of events whose occurredAt (and Kafka timestamp) lies in the past, out of order.</param>
/// <param name="LateMaxSeconds">How far in the past a late event may be: uniformly up to this many seconds.</param>
public sealed record FaultSettings(double Malformed = 0, double Duplicate = 0, double Late = 0, double LateMaxSeconds = 60)
{
    public const double MaxLateSeconds = 86_400;

    public static readonly FaultSettings None = new();

    [JsonIgnore]
    public bool Any => Malformed > 0 || Duplicate > 0 || Late > 0;
}

/// <summary>Counts of injected faults; read them to reconcile what a downstream consumer saw.</summary>
public sealed class FaultCounters
{
    private long _malformed;
    private long _duplicate;
    private long _late;

    /// <summary>Extra messages sent that are not valid events (expect them as rejected).</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Events sent a second time (expect them as duplicate seqs).</summary>
    public long Duplicate => Interlocked.Read(ref _duplicate);

    /// <summary>Events sent with an occurredAt in the past.</summary>
    public long Late => Interlocked.Read(ref _late);

    internal void CountMalformed() => Interlocked.Increment(ref _malformed);

    internal void CountDuplicate() => Interlocked.Increment(ref _duplicate);

    internal void CountLate() => Interlocked.Increment(ref _late);
}

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
