using ClickstreamApi.Events;
using ClickstreamApi.Generation.Model;

namespace ClickstreamApi.Benchmarks;

/// <summary>
/// A generator run as the service would drive it at 10,000 events/s: the same simulator settings,
/// an increasing seq, and a clock that moves 100 µs per event. The clock is simulated so the
/// figures exclude reading the system clock and stay repeatable; session timeouts still behave
/// as at the real rate.
/// </summary>
internal sealed class SimulatedRun
{
    public const int Users = 10_000;
    public const double BotShare = 0.02;
    public const int Seed = 42;
    public const double EventsPerSecond = 10_000;
    public const string RunId = "0199e4c2-7b1a-7c3e-9d4f-2a6b8c0d1e2f";

    // Enough to fill every human and crawler session slot and recycle them many times, so the
    // measured events come from the steady state rather than the first sessions of a run.
    private const int WarmUpEvents = 1_000_000;

    private static readonly long TicksPerEvent = (long)(TimeSpan.TicksPerSecond / EventsPerSecond);

    private readonly ClickSimulator _simulator = new(Users, BotShare, Seed);
    private DateTimeOffset _now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private long _seq;

    public SimulatedRun()
    {
        _simulator.SetRate(EventsPerSecond);
        for (var i = 0; i < WarmUpEvents; i++)
        {
            Next();
        }
    }

    public (ClickEvent Event, byte[] Key) Next()
    {
        _seq++;
        _now = _now.AddTicks(TicksPerEvent);
        return _simulator.Next(RunId, _seq, _now);
    }

    /// <summary>The next <paramref name="count"/> events: a realistic mix of types, sessions and optional fields.</summary>
    public ClickEvent[] Take(int count)
    {
        var events = new ClickEvent[count];
        for (var i = 0; i < count; i++)
        {
            events[i] = Next().Event;
        }

        return events;
    }
}
