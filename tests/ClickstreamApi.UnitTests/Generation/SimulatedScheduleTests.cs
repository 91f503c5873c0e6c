using ClickstreamApi.Generation;
using ClickstreamApi.Generation.Pacing;
using Microsoft.Extensions.Time.Testing;

namespace ClickstreamApi.UnitTests.Generation;

public sealed class SimulatedScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 6, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero));

    [Fact]
    public void As_fast_as_possible_everything_is_due_and_times_follow_the_profile_not_the_machine()
    {
        var schedule = new SimulatedSchedule(new SimulatedClock(Start, AsFastAsPossible: true), RateProfile.Constant(4), new Random(1), _time);

        Assert.Equal(1_000, schedule.Due(1_000));
        Assert.Equal(TimeSpan.Zero, schedule.UntilNext());
        var times = Enumerable.Range(0, 8).Select(_ => schedule.Take().At).ToList();

        Assert.Equal(Enumerable.Range(0, 8).Select(i => Start.AddSeconds(i * 0.25)), times);
        Assert.Equal(Start.AddSeconds(1.75), schedule.Now);
    }

    [Fact]
    public void At_a_speed_events_are_due_when_the_scaled_clock_reaches_them()
    {
        var schedule = new SimulatedSchedule(new SimulatedClock(Start, Speed: 60), RateProfile.Constant(1), new Random(1), _time);

        Assert.Equal(1, schedule.Due(100));
        schedule.Take();
        Assert.Equal(0, schedule.Due(100));
        Assert.Equal(TimeSpan.FromSeconds(1.0 / 60), schedule.UntilNext());

        // One real second is a simulated minute: 60 more events are due.
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(60, schedule.Due(100));
        Assert.Equal(Start.AddSeconds(1), schedule.Take().At);
    }

    [Fact]
    public void At_a_speed_an_event_was_due_where_its_simulated_time_falls_on_the_wall_clock()
    {
        var wallStart = _time.GetUtcNow();
        var schedule = new SimulatedSchedule(new SimulatedClock(Start, Speed: 60), RateProfile.Constant(1), new Random(1), _time);
        Assert.Equal(wallStart, schedule.Take().ScheduledAt);

        // One real second later, simulated seconds 1 to 60 are due: second 1 was due 1/60 s after the start.
        _time.Advance(TimeSpan.FromSeconds(1));
        var taken = Enumerable.Range(0, (int)schedule.Due(100)).Select(_ => schedule.Take()).ToList();

        Assert.Equal(60, taken.Count);
        Assert.Equal(Start.AddSeconds(1), taken[0].At);
        Assert.Equal(wallStart + TimeSpan.FromSeconds(1.0 / 60), taken[0].ScheduledAt!.Value, TimeSpan.FromTicks(1));
        Assert.Equal(wallStart + TimeSpan.FromSeconds(0.5), taken[29].ScheduledAt!.Value, TimeSpan.FromTicks(1));
        Assert.Equal(_time.GetUtcNow(), taken[^1].ScheduledAt);
    }

    [Fact]
    public void A_paced_run_that_falls_behind_keeps_its_due_times_on_the_wall_clock()
    {
        var wallStart = _time.GetUtcNow();
        var schedule = new SimulatedSchedule(new SimulatedClock(Start, Speed: 10), RateProfile.Constant(1), new Random(1), _time);
        _time.Advance(TimeSpan.FromSeconds(30));

        var taken = Enumerable.Range(0, 5).Select(_ => schedule.Take()).ToList();

        // Nothing is skipped: the events are 30 s, 29.9 s, ... late.
        Assert.Equal(Enumerable.Range(0, 5).Select(i => Start.AddSeconds(i)), taken.Select(t => t.At));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => wallStart.AddSeconds(i / 10.0)), taken.Select(t => t.ScheduledAt!.Value));
    }

    [Fact]
    public void As_fast_as_possible_no_event_has_a_scheduled_time()
    {
        var schedule = new SimulatedSchedule(new SimulatedClock(Start, AsFastAsPossible: true), RateProfile.Constant(4), new Random(1), _time);

        Assert.All(Enumerable.Range(0, 100).Select(_ => schedule.Take()), t => Assert.Null(t.ScheduledAt));
    }

    [Fact]
    public void A_run_ends_before_its_first_event_at_endAt()
    {
        var schedule = new SimulatedSchedule(new SimulatedClock(Start, AsFastAsPossible: true, EndAt: Start.AddSeconds(10)), RateProfile.Constant(2), new Random(1), _time);
        var taken = 0;
        while (!schedule.Ended)
        {
            Assert.True(schedule.Take().At < Start.AddSeconds(10));
            taken++;
        }

        Assert.Equal(20, taken);
        Assert.Equal(0, schedule.Due(100));
    }

    [Fact]
    public void Poisson_gaps_come_from_the_run_s_timing_stream_so_a_replay_has_the_same_times()
    {
        List<DateTimeOffset> Times()
        {
            var schedule = new SimulatedSchedule(new SimulatedClock(Start, AsFastAsPossible: true), new RateProfile(RateProfileKind.Poisson, 50), new Random(42), _time);
            return [.. Enumerable.Range(0, 5_000).Select(_ => schedule.Take().At)];
        }

        var first = Times();
        Assert.Equal(first, Times());
        Assert.InRange((first[^1] - first[0]).TotalSeconds, 95, 105);
        Assert.True(first.Zip(first.Skip(1)).All(p => p.First <= p.Second));
    }

    [Fact]
    public void A_new_profile_begins_where_the_run_s_clock_is()
    {
        var schedule = new SimulatedSchedule(new SimulatedClock(Start, AsFastAsPossible: true), RateProfile.Constant(1), new Random(1), _time);
        for (var i = 0; i < 10; i++)
        {
            schedule.Take();
        }

        schedule.Change(RateProfile.Constant(10));

        Assert.Equal(Start.AddSeconds(9.1), schedule.Take().At, TimeSpan.FromTicks(1));
        Assert.Equal(Start.AddSeconds(9.2), schedule.Take().At, TimeSpan.FromTicks(1));
    }
}
