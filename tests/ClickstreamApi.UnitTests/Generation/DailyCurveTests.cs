using ClickstreamApi.Generation;
using ClickstreamApi.Generation.Pacing;

namespace ClickstreamApi.UnitTests.Generation;

public sealed class DailyCurveTests
{
    // 2026-11-02 is a Monday; 2026-11-07 a Saturday.
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    private static RateProfile Daily(double rate = 100, double peak = 20, double trough = 4, double ratio = 6, double weekend = 1.2) =>
        new(RateProfileKind.Daily, rate, PeakHour: peak, TroughHour: trough, PeakToTroughRatio: ratio, WeekendFactor: weekend);

    [Fact]
    public void A_weekday_holds_the_rate_times_a_day_and_a_weekend_day_the_factor_more()
    {
        var curve = Daily().CurveFrom(Monday);

        Assert.Equal(8_640_000, curve.CumulativeEvents(86_400), 3);
        var saturday = 5 * 86_400;
        Assert.Equal(8_640_000 * 1.2, curve.CumulativeEvents(saturday + 86_400) - curve.CumulativeEvents(saturday), 3);
        Assert.Equal(8_640_000 * (5 + (2 * 1.2)), curve.CumulativeEvents(7 * 86_400), 2);
        Assert.Equal(100 * (5 + (2 * 1.2)) / 7, Daily().MeanEventsPerSecond, 9);
    }

    [Fact]
    public void The_rate_is_lowest_at_the_trough_and_the_ratio_higher_at_the_peak()
    {
        var curve = Daily().CurveFrom(Monday);

        // Trough 2r/(1+ratio), peak ratio times that.
        Assert.Equal(200.0 / 7, curve.RateAt(4 * 3_600), 9);
        Assert.Equal(1_200.0 / 7, curve.RateAt(20 * 3_600), 9);
        Assert.Equal(1_200.0 / 7 * 1.2, curve.RateAt((5 * 86_400) + (20 * 3_600)), 9);
        for (var second = 0; second < 86_400; second += 60)
        {
            Assert.InRange(curve.RateAt(second), (200.0 / 7) - 1e-9, (1_200.0 / 7) + 1e-9);
        }
    }

    [Theory]
    [InlineData(20, 4)]
    [InlineData(3, 22)]
    [InlineData(12.5, 0)]
    public void N_is_the_integral_of_the_rate_whatever_the_hours(double peak, double trough)
    {
        var origin = Monday.AddHours(7.3);
        var curve = Daily(peak: peak, trough: trough, ratio: 9, weekend: 0.5).CurveFrom(origin);

        // Midpoint sums over a week in ten-second steps (their own error: about 0.1 events a week, shrinking with the square of the step).
        var integral = 0.0;
        for (var t = 0.0; t < 7 * 86_400; t += 10)
        {
            if ((int)t % 21_600 == 0)
            {
                Assert.InRange(curve.CumulativeEvents(t) - integral, -0.5, 0.5);
            }

            integral += curve.RateAt(t + 5) * 10;
        }

        Assert.InRange(curve.CumulativeEvents(7 * 86_400) - integral, -0.5, 0.5);
    }

    [Fact]
    public void Event_times_invert_N_exactly_enough_and_never_go_back()
    {
        var curve = Daily().CurveFrom(Monday.AddHours(23.99));
        var previous = -1.0;
        for (var index = 0L; index < 10_000_000; index += 9_973)
        {
            var seconds = curve.SecondsUntilEvent(index);
            Assert.True(seconds > previous, $"event {index} at {seconds} s, after {previous}");
            Assert.Equal(index, curve.CumulativeEvents(seconds), 4);
            previous = seconds;
        }
    }

    [Fact]
    public void The_default_shape_peaks_in_the_evening_with_six_times_the_night()
    {
        var profile = new RateProfile(RateProfileKind.Daily, 10);
        var curve = profile.CurveFrom(Monday);

        Assert.Equal(6, curve.RateAt(RateProfile.DefaultPeakHour * 3_600) / curve.RateAt(RateProfile.DefaultTroughHour * 3_600), 9);
        Assert.Empty(RateProfile.Validate(profile, 0.01, 1_000));
    }
}
