using ClickstreamApi.Generation;
using ClickstreamApi.Generation.Pacing;

namespace ClickstreamApi.UnitTests.Generation;

/// <summary>The wall-clock schedule: events carry the time they are made and the time they were due.</summary>
public sealed class RealTimeScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly NanosecondClock _clock = new(Start);

    [Fact]
    public void An_event_made_on_time_was_scheduled_when_it_was_made()
    {
        var schedule = new RealTimeSchedule(RateProfile.Constant(10), new Random(1), _clock);
        schedule.Take();
        _clock.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal(1, schedule.Due(100));
        var taken = schedule.Take();

        Assert.Equal(Start.AddMilliseconds(100), taken.At);
        Assert.Equal(taken.At, taken.ScheduledAt);
    }

    [Fact]
    public void Events_made_late_carry_their_due_times_while_occurredAt_moves_on()
    {
        var schedule = new RealTimeSchedule(RateProfile.Constant(10), new Random(1), _clock);
        _clock.Advance(TimeSpan.FromMilliseconds(350));

        Assert.Equal(4, schedule.Due(100));
        var taken = Enumerable.Range(0, 4).Select(_ => schedule.Take()).ToList();

        Assert.All(taken, t => Assert.Equal(Start.AddMilliseconds(350), t.At));
        Assert.Equal([Start, Start.AddMilliseconds(100), Start.AddMilliseconds(200), Start.AddMilliseconds(300)], taken.Select(t => t.ScheduledAt!.Value));
    }

    [Fact]
    public void After_skipping_a_backlog_the_kept_event_carries_its_own_due_time_not_the_debt_s()
    {
        var schedule = new RealTimeSchedule(RateProfile.Constant(4), new Random(1), _clock);
        schedule.Take();
        _clock.Advance(TimeSpan.FromSeconds(10.1));

        Assert.Equal(1, schedule.Due(100));
        var kept = schedule.Take();

        // The latest event due at 10.1 s is the one at 10.0 s; the 39 before it were skipped (counted, never sent).
        Assert.Equal(39, schedule.SkippedEvents);
        Assert.Equal(Start.AddSeconds(10), kept.ScheduledAt);
        Assert.Equal(Start + TimeSpan.FromSeconds(10.1), kept.At);
    }

    [Fact]
    public void Each_poisson_event_of_a_batch_carries_its_own_due_time()
    {
        var schedule = new RealTimeSchedule(new RateProfile(RateProfileKind.Poisson, 1_000), new Random(7), _clock);
        _clock.Advance(TimeSpan.FromMilliseconds(200));

        var due = schedule.Due(4096);
        var times = Enumerable.Range(0, (int)due).Select(_ => schedule.Take().ScheduledAt!.Value).ToList();

        Assert.InRange(due, 100, 300);
        Assert.Equal(Start, times[0]);
        Assert.All(times, t => Assert.InRange(t, Start, Start.AddMilliseconds(200)));
        Assert.Equal(times.Order(), times);

        // Exponential gaps: no two events of the batch share a due time.
        Assert.Equal(times.Count, times.Distinct().Count());
    }

    [Fact]
    public void The_rest_of_a_poisson_batch_taken_after_a_pause_keeps_its_due_times()
    {
        var schedule = new RealTimeSchedule(new RateProfile(RateProfileKind.Poisson, 1_000), new Random(11), _clock);
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        var due = schedule.Due(4096);
        var first = Enumerable.Range(0, (int)(due / 2)).Select(_ => schedule.Take().ScheduledAt!.Value).ToList();

        _clock.Advance(TimeSpan.FromMilliseconds(300));
        var rest = Enumerable.Range(0, (int)(due - (due / 2))).Select(_ => schedule.Take()).ToList();

        Assert.All(rest, t => Assert.InRange(t.ScheduledAt!.Value, first[^1], Start.AddMilliseconds(100)));
        Assert.All(rest, t => Assert.Equal(Start.AddMilliseconds(400), t.At));
    }
}
