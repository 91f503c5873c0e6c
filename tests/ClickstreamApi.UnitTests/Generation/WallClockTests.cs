using ClickstreamApi.Generation.Pacing;
using Microsoft.Extensions.Time.Testing;

namespace ClickstreamApi.UnitTests.Generation;

/// <summary>Monotonic timestamps placed on the wall clock.</summary>
public sealed class WallClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_timestamp_of_a_nanosecond_clock_is_the_wall_time_it_was_read_at()
    {
        var clock = new NanosecondClock(Start);
        var then = clock.GetTimestamp();
        clock.Advance(TimeSpan.FromMilliseconds(2_500) + TimeSpan.FromTicks(1));

        var wall = WallClock.ToWallTime(clock, then, clock.GetTimestamp(), clock.GetUtcNow());

        Assert.Equal(Start, wall);
    }

    [Fact]
    public void A_timestamp_days_back_converts_to_the_tick()
    {
        // Three days at 10⁹ a second, times TimeSpan's 10⁷ ticks a second, does not fit a long.
        var clock = new NanosecondClock(Start);
        var then = clock.GetTimestamp();
        clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromTicks(7));

        Assert.Equal(Start, WallClock.ToWallTime(clock, then, clock.GetTimestamp(), clock.GetUtcNow()));
    }

    [Fact]
    public void A_timestamp_still_to_come_is_a_later_wall_time()
    {
        var clock = new NanosecondClock(Start);
        var soon = clock.GetTimestamp() + (clock.TimestampFrequency / 4);

        Assert.Equal(Start.AddSeconds(0.25), WallClock.ToWallTime(clock, soon, clock.GetTimestamp(), clock.GetUtcNow()));
    }

    [Fact]
    public void A_due_time_is_the_wall_clock_now_minus_the_monotonic_lateness_across_a_wall_clock_step()
    {
        var clock = new NanosecondClock(Start);
        var due = clock.GetTimestamp();
        clock.Advance(TimeSpan.FromMilliseconds(40));
        clock.StepWallClock(TimeSpan.FromSeconds(-3));

        var scheduled = WallClock.DueAt(clock, due, out var now);

        // The event is 40 ms late on the clock that measures it, whatever the wall clock did meanwhile.
        Assert.Equal(Start.AddMilliseconds(40).AddSeconds(-3), now);
        Assert.Equal(TimeSpan.FromMilliseconds(40), now - scheduled);
    }

    [Fact]
    public void An_event_made_before_its_due_time_was_due_when_it_was_made()
    {
        var clock = new FakeTimeProvider(Start);
        var due = clock.GetTimestamp() + clock.TimestampFrequency;

        var scheduled = WallClock.DueAt(clock, due, out var now);

        Assert.Equal(Start, now);
        Assert.Equal(now, scheduled);
    }
}
