using ClickstreamApi.Events;
using ClickstreamApi.Generation;
using ClickstreamApi.Generation.Model;
using ClickstreamApi.Generation.Pacing;

namespace ClickstreamApi.Benchmarks.Generation;

/// <summary>
/// A backfill as the service runs it for <c>POST /api/generator/start</c> with
/// <c>{"seed":14,"startAt":"2026-11-02T00:00:00Z","asFastAsPossible":true}</c> after
/// <c>PUT /api/generator/rate {"eventsPerSecond":100,"profile":"daily"}</c>: the simulator with the
/// service's default population (10,000 users, 2% crawlers) and reproducible ids (as on a simulated
/// clock), each event's time taken from the <see cref="SimulatedSchedule"/> of the daily profile.
/// </summary>
internal sealed class BackfillRun
{
    public const int Users = 10_000;
    public const double BotShare = 0.02;
    public const int Seed = 14;
    public const double EventsPerSecond = 100;
    public const string RunId = "01a1998e-4400-79db-b4dc-cafe6a4a0a29";
    public static readonly DateTimeOffset StartAt = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    private readonly ClickSimulator _simulator = new(Users, BotShare, Seed, reproducibleIds: true);
    private readonly SimulatedSchedule _schedule;
    private long _seq;

    public BackfillRun(RateProfileKind kind = RateProfileKind.Daily)
    {
        _simulator.SetRate(EventsPerSecond);
        _schedule = NewSchedule(kind);
    }

    public static SimulatedClock Clock { get; } = new(StartAt, AsFastAsPossible: true);

    /// <summary>The schedule of a backfill from <see cref="StartAt"/> with the profile at 100 events/s.</summary>
    public static SimulatedSchedule NewSchedule(RateProfileKind kind) =>
        new(Clock, new RateProfile(kind, EventsPerSecond), new Random(Seed), TimeProvider.System);

    public ClickEvent Next()
    {
        _seq++;
        return _simulator.Next(RunId, _seq, _schedule.Take().At).Event;
    }

    /// <summary>The next <paramref name="count"/> events, in the order (and with the times) the generator hands them over.</summary>
    public ClickEvent[] Take(int count)
    {
        var events = new ClickEvent[count];
        for (var i = 0; i < count; i++)
        {
            events[i] = Next();
        }

        return events;
    }
}
