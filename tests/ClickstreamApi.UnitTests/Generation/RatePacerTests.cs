using ClickstreamApi.Generation;
using ClickstreamApi.Generation.Pacing;
using Microsoft.Extensions.Time.Testing;

namespace ClickstreamApi.UnitTests.Generation;

public sealed class RatePacerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_first_event_is_due_at_once_and_the_next_one_interval_later()
    {
        var pacer = new RatePacer(_time);
        pacer.Start(RateProfile.Constant(1), new Random(1));

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
        var pacer = new RatePacer(_time);
        pacer.Start(RateProfile.Constant(rate), new Random(1));

        var produced = RunFor(pacer, TimeSpan.FromSeconds(seconds));

        // Events at t = 0, 1/r, 2/r, ... up to and including t = seconds.
        Assert.Equal((long)Math.Floor(rate * seconds) + 1, produced);
    }

    [Fact]
    public void A_rate_change_applies_from_the_moment_it_is_made()
    {
        var pacer = new RatePacer(_time);
        pacer.Start(RateProfile.Constant(0.1), new Random(1));
        pacer.Advance(pacer.Due(10));
        _time.Advance(TimeSpan.FromSeconds(1));

        pacer.Change(RateProfile.Constant(10), new Random(1));

        Assert.Equal(0, pacer.Due(10));
        Assert.Equal(TimeSpan.FromMilliseconds(100), pacer.UntilNext());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(10, pacer.Due(100));
    }

    [Fact]
    public void Batches_are_capped()
    {
        var pacer = new RatePacer(_time);
        pacer.Start(RateProfile.Constant(1_000), new Random(1));
        _time.Advance(TimeSpan.FromMilliseconds(500));

        Assert.Equal(100, pacer.Due(100));
    }

    [Fact]
    public void Falling_more_than_a_second_behind_restarts_the_schedule_instead_of_bursting()
    {
        var pacer = new RatePacer(_time);
        pacer.Start(RateProfile.Constant(100), new Random(1));
        pacer.Advance(pacer.Due(1000));

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(1, pacer.Due(1000));
        Assert.Equal(1, pacer.ScheduleResets);
    }

    [Fact]
    public void Falling_less_than_a_second_behind_catches_up()
    {
        var pacer = new RatePacer(_time);
        pacer.Start(RateProfile.Constant(100), new Random(1));
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
        Assert.ThrowsAny<ArgumentException>(() => new RatePacer(_time).Start(RateProfile.Constant(rate), new Random(1)));

    [Theory]
    [InlineData(0.1, 600)]
    [InlineData(1, 60)]
    [InlineData(7, 60)]
    [InlineData(1_000, 10)]
    [InlineData(100_000, 5)]
    [InlineData(250_000, 2)]
    public void A_constant_profile_produces_exactly_the_target_count(double rate, int seconds)
    {
        var pacer = new RatePacer(_time);
        pacer.Start(RateProfile.Constant(rate), new Random(1));

        var produced = RunFor(pacer, TimeSpan.FromSeconds(seconds));

        Assert.Equal((long)Math.Floor(rate * seconds) + 1, produced);
    }

    [Fact]
    public void A_long_constant_run_does_not_drift()
    {
        // 300 million events: due times come from k/r, not from a sum of gaps.
        const double Rate = 250_000;
        var pacer = new RatePacer(_time);
        pacer.Start(RateProfile.Constant(Rate), new Random(1));
        pacer.Advance(pacer.Due(1));

        for (var second = 1; second <= 1_200; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(0.5));
            pacer.Advance(pacer.Due(long.MaxValue));
            _time.Advance(TimeSpan.FromSeconds(0.5));
            pacer.Advance(pacer.Due(long.MaxValue));
        }

        Assert.Equal(0, pacer.ScheduleResets);
        Assert.Equal(TimeSpan.FromTicks(40), pacer.UntilNext());
        _time.Advance(TimeSpan.FromTicks(40));
        Assert.Equal(1, pacer.Due(long.MaxValue));
    }

    [Theory]
    [InlineData(RateProfileKind.Constant)]
    [InlineData(RateProfileKind.Poisson)]
    [InlineData(RateProfileKind.Burst)]
    [InlineData(RateProfileKind.Ramp)]
    public void Every_profile_has_its_first_event_due_at_once(RateProfileKind kind)
    {
        var pacer = new RatePacer(_time);
        pacer.Start(Profile(kind), new Random(7));

        Assert.Equal(TimeSpan.Zero, pacer.UntilNext());
        Assert.Equal(1, pacer.Due(1));
        Assert.Equal(kind, pacer.Profile.Kind);
    }

    [Fact]
    public void A_seeded_poisson_profile_produces_about_the_mean_count()
    {
        const double Rate = 1_000;
        const int Seconds = 100;
        var pacer = new RatePacer(_time);
        pacer.Start(new RateProfile(RateProfileKind.Poisson, Rate), new Random(12345));

        var produced = RunFor(pacer, TimeSpan.FromSeconds(Seconds));

        // A Poisson count has variance equal to its mean: allow four standard deviations.
        var expected = Rate * Seconds;
        Assert.InRange(produced, expected - (4 * Math.Sqrt(expected)), expected + (4 * Math.Sqrt(expected)));
        Assert.Equal(0, pacer.ScheduleResets);
    }

    [Fact]
    public void Poisson_gaps_average_one_over_the_rate_and_vary_like_an_exponential()
    {
        const double Rate = 50;
        var pacer = new RatePacer(_time);
        pacer.Start(new RateProfile(RateProfileKind.Poisson, Rate), new Random(2024));

        var times = EventTimes(pacer, TimeSpan.FromSeconds(400));

        var gaps = new double[times.Count - 1];
        for (var i = 1; i < times.Count; i++)
        {
            gaps[i - 1] = times[i] - times[i - 1];
        }

        var mean = gaps.Average();
        var sd = Math.Sqrt(gaps.Sum(g => (g - mean) * (g - mean)) / (gaps.Length - 1));

        // ~20,000 gaps: the mean's standard error is 0.7 %; an exponential's sd equals its mean.
        Assert.InRange(mean, 0.97 / Rate, 1.03 / Rate);
        Assert.InRange(sd, 0.95 / Rate, 1.05 / Rate);
    }

    [Fact]
    public void The_same_seed_gives_the_same_poisson_schedule()
    {
        var first = new RatePacer(_time);
        first.Start(new RateProfile(RateProfileKind.Poisson, 200), new Random(99));
        var a = EventTimes(first, TimeSpan.FromSeconds(5));

        var second = new RatePacer(_time);
        second.Start(new RateProfile(RateProfileKind.Poisson, 200), new Random(99));
        var b = EventTimes(second, TimeSpan.FromSeconds(5));

        Assert.Equal(a.Count, b.Count);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i] - a[0], b[i] - b[0], 6);
        }
    }

    [Theory]
    [InlineData(100, 0.5, 1.5, 50)]
    [InlineData(10, 0.25, 0.75, 2.5)]
    [InlineData(1_000, 0.1, 0.9, 100)]
    [InlineData(30, 0.1, 0.2, 3)]
    [InlineData(0.5, 1, 1, 0.5)]
    public void A_burst_profile_produces_events_only_during_bursts(double rate, double burst, double pause, double perCycle)
    {
        const int Cycles = 20;
        var period = burst + pause;
        var pacer = new RatePacer(_time);
        pacer.Start(new RateProfile(RateProfileKind.Burst, rate, BurstSeconds: burst, PauseSeconds: pause), new Random(1));

        // Stop just before the next cycle's first event.
        var times = EventTimes(pacer, TimeSpan.FromSeconds((Cycles * period) - 1e-6));

        var counts = new int[Cycles];
        foreach (var t in times)
        {
            // Event times are whole ticks: 0.3 s is the start of a 0.1 + 0.2 s cycle.
            var cycle = (int)Math.Floor((t + 1e-9) / period);
            Assert.True(t - (cycle * period) < burst, $"Event at {t} s falls in a pause.");
            counts[cycle]++;
        }

        Assert.Equal(Cycles * perCycle, times.Count);
        foreach (var count in counts)
        {
            // A fractional count per burst alternates between its floor and ceiling.
            Assert.InRange(count, Math.Floor(perCycle), Math.Ceiling(perCycle));
        }
    }

    [Fact]
    public void During_a_burst_pause_the_next_event_is_the_next_burst()
    {
        var pacer = new RatePacer(_time);
        pacer.Start(new RateProfile(RateProfileKind.Burst, 10, BurstSeconds: 1, PauseSeconds: 2), new Random(1));
        pacer.Advance(pacer.Due(100));
        _time.Advance(TimeSpan.FromSeconds(0.95));
        Assert.Equal(9, pacer.Due(100));
        pacer.Advance(9);

        _time.Advance(TimeSpan.FromSeconds(0.5));

        Assert.Equal(0, pacer.CurrentRate);
        Assert.Equal(0, pacer.Due(100));
        Assert.Equal(TimeSpan.FromSeconds(1.55), pacer.UntilNext());
        _time.Advance(TimeSpan.FromSeconds(1.55));
        Assert.Equal(10, pacer.CurrentRate);
        Assert.Equal(1, pacer.Due(100));
        Assert.Equal(0, pacer.ScheduleResets);
    }

    [Theory]
    [InlineData(0, 1_000, 10)]
    [InlineData(100, 1_000, 5)]
    [InlineData(1_000, 100, 4)]
    [InlineData(7, 7, 3)]
    [InlineData(0, 250_000, 2)]
    public void A_ramp_produces_its_integral_then_holds_the_target_rate(double from, double to, double rampSeconds)
    {
        var pacer = new RatePacer(_time);
        pacer.Start(new RateProfile(RateProfileKind.Ramp, to, RampFromEventsPerSecond: from, RampSeconds: rampSeconds), new Random(1));

        var duringRamp = RunFor(pacer, TimeSpan.FromSeconds(rampSeconds));

        Assert.InRange(duringRamp, ((from + to) / 2 * rampSeconds) - 1, ((from + to) / 2 * rampSeconds) + 1);
        Assert.Equal(to, pacer.CurrentRate);

        var afterRamp = RunFor(pacer, TimeSpan.FromSeconds(2));
        Assert.InRange(afterRamp, (to * 2) - 1, (to * 2) + 1);
    }

    [Fact]
    public void A_ramp_rate_rises_linearly()
    {
        var pacer = new RatePacer(_time);
        pacer.Start(new RateProfile(RateProfileKind.Ramp, 1_000, RampFromEventsPerSecond: 0, RampSeconds: 10), new Random(1));

        // Produce what is due at 0, 0.5, 1, 1.5 and 2 s; stop at 2.5 s.
        for (var step = 0; step < 5; step++)
        {
            pacer.Advance(pacer.Due(long.MaxValue));
            _time.Advance(TimeSpan.FromSeconds(0.5));
        }

        Assert.Equal(250, pacer.CurrentRate, 9);

        // N(t) = 50 t²: events 0..200 were due by 2 s, 201..312 by 2.5 s.
        Assert.Equal(112, pacer.Due(long.MaxValue));
        Assert.Equal(0, pacer.ScheduleResets);
    }

    [Theory]
    [InlineData(RateProfileKind.Constant, 0.1)]
    [InlineData(RateProfileKind.Burst, 0.05)]
    [InlineData(RateProfileKind.Ramp, 0.1)]
    public void A_profile_change_applies_from_the_moment_it_is_made(RateProfileKind kind, double firstEventSeconds)
    {
        var pacer = new RatePacer(_time);
        pacer.Start(RateProfile.Constant(0.1), new Random(1));
        pacer.Advance(pacer.Due(10));
        _time.Advance(TimeSpan.FromSeconds(3.3));

        // Constant 10/s; burst 20/s; ramp 0 -> 200/s over 1 s, so N(t) = 100 t² reaches 1 at 0.1 s.
        var profile = kind switch
        {
            RateProfileKind.Constant => RateProfile.Constant(10),
            RateProfileKind.Burst => new RateProfile(kind, 20, BurstSeconds: 0.5, PauseSeconds: 0.5),
            _ => new RateProfile(kind, 200, RampFromEventsPerSecond: 0, RampSeconds: 1),
        };
        pacer.Change(profile, new Random(1));

        Assert.Same(profile, pacer.Profile);
        Assert.Equal(0, pacer.Due(10));
        Assert.Equal(TimeSpan.FromSeconds(firstEventSeconds), pacer.UntilNext());
        _time.Advance(TimeSpan.FromSeconds(firstEventSeconds));
        Assert.Equal(1, pacer.Due(10));
    }

    [Fact]
    public void A_change_to_poisson_waits_one_exponential_gap()
    {
        const double Rate = 5;
        var pacer = new RatePacer(_time);
        pacer.Start(RateProfile.Constant(1), new Random(1));
        pacer.Advance(pacer.Due(10));

        pacer.Change(new RateProfile(RateProfileKind.Poisson, Rate), new Random(3));

        var gap = -Math.Log(1 - new Random(3).NextDouble()) / Rate;
        Assert.Equal(0, pacer.Due(10));
        Assert.Equal(gap, pacer.UntilNext().TotalSeconds, 6);
    }

    [Fact]
    public void Skipping_a_backlog_keeps_the_ramp_clock_and_counts_the_skipped_events()
    {
        var pacer = new RatePacer(_time);
        pacer.Start(new RateProfile(RateProfileKind.Ramp, 1_000, RampFromEventsPerSecond: 0, RampSeconds: 10), new Random(1));

        // N(t) = 50 t²: events 0..200 by 2 s, 0..1250 by 5 s.
        Assert.Equal(201, RunFor(pacer, TimeSpan.FromSeconds(2)));
        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(1, pacer.Due(long.MaxValue));
        Assert.Equal(1, pacer.ScheduleResets);
        Assert.Equal(1_049, pacer.SkippedEvents);
        pacer.Advance(1);

        // Still 5 s into the ramp (500/s), not back at its start.
        Assert.Equal(500, pacer.CurrentRate, 9);
        Assert.InRange(pacer.UntilNext(), TimeSpan.FromMilliseconds(1.9), TimeSpan.FromMilliseconds(2.1));
        Assert.InRange(RunFor(pacer, TimeSpan.FromSeconds(1)), 549, 551);
    }

    [Fact]
    public void Skipping_a_constant_backlog_keeps_to_the_original_grid()
    {
        var pacer = new RatePacer(_time);
        pacer.Start(RateProfile.Constant(4), new Random(1));
        pacer.Advance(pacer.Due(10));

        _time.Advance(TimeSpan.FromSeconds(10.1));

        Assert.Equal(1, pacer.Due(10));
        pacer.Advance(1);
        Assert.Equal(39, pacer.SkippedEvents);
        Assert.Equal(TimeSpan.FromSeconds(0.15), pacer.UntilNext());
    }

    [Fact]
    public void Skipping_a_poisson_backlog_counts_about_the_expected_events()
    {
        var pacer = new RatePacer(_time);
        pacer.Start(new RateProfile(RateProfileKind.Poisson, 1_000), new Random(5));
        pacer.Advance(pacer.Due(long.MaxValue));

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(1, pacer.Due(long.MaxValue));
        Assert.Equal(1, pacer.ScheduleResets);
        Assert.InRange(pacer.SkippedEvents, 5_000 - 300, 5_000 + 300);
        pacer.Advance(1);
        Assert.InRange(RunFor(pacer, TimeSpan.FromSeconds(10)), 10_000 - 400, 10_000 + 400);
        Assert.Equal(1, pacer.ScheduleResets);
    }

    [Fact]
    public void A_burst_pause_is_not_a_backlog()
    {
        var pacer = new RatePacer(_time);
        pacer.Start(new RateProfile(RateProfileKind.Burst, 100, BurstSeconds: 1, PauseSeconds: 30), new Random(1));

        var produced = RunFor(pacer, TimeSpan.FromSeconds(62));

        // Bursts at 0, 31 and 62 s: 100, 100 and the one due at the window's end.
        Assert.Equal(201, produced);
        Assert.Equal(0, pacer.ScheduleResets);
        Assert.Equal(0, pacer.SkippedEvents);
    }

    [Fact]
    public void Skipping_a_backlog_into_a_burst_pause_drops_every_stale_event()
    {
        var pacer = new RatePacer(_time);
        pacer.Start(new RateProfile(RateProfileKind.Burst, 100, BurstSeconds: 1, PauseSeconds: 5), new Random(1));
        pacer.Advance(pacer.Due(10));

        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(0, pacer.Due(1000));
        Assert.Equal(1, pacer.ScheduleResets);
        Assert.Equal(99, pacer.SkippedEvents);
        Assert.Equal(TimeSpan.FromSeconds(3), pacer.UntilNext());
    }

    [Fact]
    public void A_microscopic_rate_in_short_bursts_waits_rather_than_overflowing()
    {
        var pacer = new RatePacer(_time);
        pacer.Start(new RateProfile(RateProfileKind.Burst, 1e-6, BurstSeconds: 0.001, PauseSeconds: 86_400), new Random(1));
        pacer.Advance(pacer.Due(10));

        _time.Advance(TimeSpan.FromDays(30));

        Assert.Equal(0, pacer.Due(10));
        Assert.True(pacer.UntilNext() > TimeSpan.FromDays(365 * 100));
    }

    [Fact]
    public void Using_the_pacer_before_starting_it_fails()
    {
        var pacer = new RatePacer(_time);

        Assert.Equal(0, pacer.CurrentRate);
        Assert.Throws<InvalidOperationException>(() => pacer.Due(1));
        Assert.Throws<InvalidOperationException>(() => pacer.UntilNext());
        Assert.Throws<InvalidOperationException>(() => pacer.Profile);
    }

    [Fact]
    public void Invalid_profiles_are_refused()
    {
        var pacer = new RatePacer(_time);

        var error = Assert.Throws<ArgumentException>(() =>
            pacer.Start(new RateProfile(RateProfileKind.Constant, 10, BurstSeconds: 1), new Random(1)));
        Assert.Contains("burstSeconds", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => pacer.Change(new RateProfile(RateProfileKind.Ramp, 10), new Random(1)));
    }

    [Theory]
    [InlineData(RateProfileKind.Constant)]
    [InlineData(RateProfileKind.Poisson)]
    [InlineData(RateProfileKind.Burst)]
    [InlineData(RateProfileKind.Ramp)]
    public void Pacing_calls_do_not_allocate(RateProfileKind kind)
    {
        var pacer = new RatePacer(_time);
        pacer.Start(Profile(kind), new Random(3));

        PaceFor(pacer, 20_000);
        var allocated = Allocations.LeastPerPass(() => PaceFor(pacer, 4_000));

        Assert.Equal(0, allocated);
    }

    // Fully optimized from the first call: tiered compilation and on-stack replacement allocate on
    // the calling thread while they switch code (Allocations.LeastPerPass also discounts such one-offs).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void PaceFor(RatePacer pacer, int iterations)
    {
        for (var i = 0; i < iterations; i++)
        {
            pacer.Advance(pacer.Due(4096));
            _ = pacer.UntilNext();
            _ = pacer.CurrentRate;
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }
    }

    private static RateProfile Profile(RateProfileKind kind) => kind switch
    {
        RateProfileKind.Burst => new RateProfile(kind, 10, BurstSeconds: 1, PauseSeconds: 1),
        RateProfileKind.Ramp => new RateProfile(kind, 10, RampFromEventsPerSecond: 0, RampSeconds: 10),
        _ => new RateProfile(kind, 10),
    };

    /// <summary>
    /// The generator's loop on the fake clock: produce what is due, sleep until the next event but
    /// at least a millisecond, for <paramref name="duration"/>. Returns the events produced, counting
    /// those due at the window's last instant.
    /// </summary>
    private long RunFor(RatePacer pacer, TimeSpan duration)
    {
        var end = _time.GetTimestamp() + (long)(duration.TotalSeconds * _time.TimestampFrequency);
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
                _time.Advance(TimeSpan.FromSeconds((end - _time.GetTimestamp()) / (double)_time.TimestampFrequency));
                var last = pacer.Due(long.MaxValue);
                pacer.Advance(last);
                return produced + last;
            }

            _time.Advance(sleep);
        }
    }

    /// <summary>Wakes exactly when each event is due, for <paramref name="duration"/>; returns the events' times in seconds.</summary>
    private List<double> EventTimes(RatePacer pacer, TimeSpan duration)
    {
        var origin = _time.GetTimestamp();
        var end = origin + (long)(duration.TotalSeconds * _time.TimestampFrequency);
        var times = new List<double>();
        while (true)
        {
            var due = pacer.Due(long.MaxValue);
            pacer.Advance(due);
            for (var i = 0; i < due; i++)
            {
                times.Add((_time.GetTimestamp() - origin) / (double)_time.TimestampFrequency);
            }

            var wait = pacer.UntilNext();
            if (_time.GetTimestamp() + wait.Ticks > end)
            {
                return times;
            }

            _time.Advance(wait);
        }
    }
}
