using System.Text.Json.Serialization;

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
