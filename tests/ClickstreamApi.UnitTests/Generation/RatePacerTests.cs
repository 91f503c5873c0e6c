using ClickstreamApi.Generation;
using Microsoft.Extensions.Time.Testing;

namespace ClickstreamApi.UnitTests.Generation;

public sealed class RatePacerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_first_event_is_due_at_once_and_the_next_one_interval_later()
    {
        var pacer = new RatePacer(_time);
        pacer.Start(1);

        Assert.Equal(1, pacer.Due(100));
        pacer.Advance(1);
        Assert.Equal(0, pacer.Due(100));
        Assert.Equal(TimeSpan.FromSeconds(1), pacer.UntilNext());

        _time.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Equal(0, pacer.Due(100));
        Assert.Equal(TimeSpan.FromMilliseconds(600), pacer.UntilNext());

        _time.Advance(TimeSpan.FromMilliseconds(600));
        Assert.Equal(1, pacer.Due(100));
    }

    [Theory]
    [InlineData(0.1, 600)]
    [InlineData(1, 60)]
    [InlineData(7, 60)]
    [InlineData(1_000, 10)]
    [InlineData(100_000, 5)]
    [InlineData(250_000, 2)]
    public void A_loop_that_sleeps_at_least_a_millisecond_produces_exactly_the_target_count(double rate, int seconds)
    {
        var produced = RunLoop(new RatePacer(_time), rate, TimeSpan.FromSeconds(seconds));

        // Events at t = 0, 1/r, 2/r, ... up to and including t = seconds.
        Assert.Equal((long)Math.Floor(rate * seconds) + 1, produced);
    }

    [Fact]
    public void A_rate_change_applies_from_the_moment_it_is_made()
    {
        var pacer = new RatePacer(_time);
        pacer.Start(0.1);
        pacer.Advance(pacer.Due(10));
        _time.Advance(TimeSpan.FromSeconds(1));

        pacer.ChangeRate(10);

        Assert.Equal(0, pacer.Due(10));
        Assert.Equal(TimeSpan.FromMilliseconds(100), pacer.UntilNext());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(10, pacer.Due(100));
    }

    [Fact]
    public void Batches_are_capped()
    {
        var pacer = new RatePacer(_time);
        pacer.Start(1_000);
        _time.Advance(TimeSpan.FromMilliseconds(500));

        Assert.Equal(100, pacer.Due(100));
    }

    [Fact]
    public void Falling_more_than_a_second_behind_restarts_the_schedule_instead_of_bursting()
    {
        var pacer = new RatePacer(_time);
        pacer.Start(100);
        pacer.Advance(pacer.Due(1000));

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(1, pacer.Due(1000));
        Assert.Equal(1, pacer.ScheduleResets);
    }

    [Fact]
    public void Falling_less_than_a_second_behind_catches_up()
    {
        var pacer = new RatePacer(_time);
        pacer.Start(100);
        pacer.Advance(pacer.Due(1000));

        _time.Advance(TimeSpan.FromMilliseconds(500));

        Assert.Equal(50, pacer.Due(1000));
        Assert.Equal(0, pacer.ScheduleResets);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Rates_must_be_positive_numbers(double rate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RatePacer(_time).Start(rate));

    private long RunLoop(RatePacer pacer, double rate, TimeSpan duration)
    {
        var end = _time.GetTimestamp() + (long)(duration.TotalSeconds * _time.TimestampFrequency);
        pacer.Start(rate);
        long produced = 0;
        while (true)
        {
            var due = pacer.Due(4096);
            pacer.Advance(due);
            produced += due;
            var wait = pacer.UntilNext();
            var sleep = wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait;
            if (_time.GetTimestamp() + (long)(sleep.TotalSeconds * _time.TimestampFrequency) > end)
            {
                // Final wake-up exactly at the end of the window.
                _time.Advance(TimeSpan.FromSeconds((end - _time.GetTimestamp()) / (double)_time.TimestampFrequency));
                produced += pacer.Due(long.MaxValue);
                return produced;
            }

            _time.Advance(sleep);
        }
    }
}
