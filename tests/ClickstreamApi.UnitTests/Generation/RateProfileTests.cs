using ClickstreamApi.Generation;
using ClickstreamApi.Generation.Pacing;

namespace ClickstreamApi.UnitTests.Generation;

public sealed class RateProfileTests
{
    private const double Min = 0.01;
    private const double Max = 1_000;

    [Fact]
    public void Constant_builds_a_constant_profile_with_nothing_else_set()
    {
        var profile = RateProfile.Constant(12.5);

        Assert.Equal(new RateProfile(RateProfileKind.Constant, 12.5), profile);
        Assert.Empty(RateProfile.Validate(profile, Min, Max));
    }

    [Fact]
    public void Constant_and_poisson_rates_do_not_change_over_time()
    {
        foreach (var kind in new[] { RateProfileKind.Constant, RateProfileKind.Poisson })
        {
            var profile = new RateProfile(kind, 40);
            Assert.Equal(40, profile.RateAt(0));
            Assert.Equal(40, profile.RateAt(12_345.6));
            Assert.Equal(40, profile.MeanEventsPerSecond);
        }
    }

    [Fact]
    public void A_burst_is_on_for_its_burst_and_off_for_its_pause()
    {
        var profile = new RateProfile(RateProfileKind.Burst, 100, BurstSeconds: 2, PauseSeconds: 3);

        Assert.Equal(100, profile.RateAt(0));
        Assert.Equal(100, profile.RateAt(1.999));
        Assert.Equal(0, profile.RateAt(2));
        Assert.Equal(0, profile.RateAt(4.999));
        Assert.Equal(100, profile.RateAt(5));
        Assert.Equal(0, profile.RateAt(5_007));
        Assert.Equal(40, profile.MeanEventsPerSecond);
    }

    [Fact]
    public void A_burst_without_a_pause_is_constant()
    {
        var profile = new RateProfile(RateProfileKind.Burst, 100, BurstSeconds: 2, PauseSeconds: 0);

        Assert.Equal(100, profile.RateAt(2));
        Assert.Equal(100, profile.RateAt(3.5));
        Assert.Equal(100, profile.MeanEventsPerSecond);
        Assert.Empty(RateProfile.Validate(profile, Min, Max));
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(50, 100)]
    [InlineData(100, 10)]
    public void A_ramp_is_linear_then_holds_its_target(double from, double to)
    {
        var profile = new RateProfile(RateProfileKind.Ramp, to, RampFromEventsPerSecond: from, RampSeconds: 10);

        Assert.Equal(from, profile.RateAt(0));
        Assert.Equal((from + to) / 2, profile.RateAt(5), 9);
        Assert.Equal(to, profile.RateAt(10));
        Assert.Equal(to, profile.RateAt(1_000));
        Assert.Equal(to, profile.MeanEventsPerSecond);
    }

    [Theory]
    [InlineData(RateProfileKind.Constant, 10, null, null, null, null)]
    [InlineData(RateProfileKind.Poisson, 0.01, null, null, null, null)]
    [InlineData(RateProfileKind.Burst, 1_000, 0.5, 0d, null, null)]
    [InlineData(RateProfileKind.Burst, 5, 86_400d, 86_400d, null, null)]
    [InlineData(RateProfileKind.Ramp, 10, null, null, 0d, 60d)]
    [InlineData(RateProfileKind.Ramp, 10, null, null, 1_000d, 86_400d)]
    public void Valid_profiles_have_no_problems(RateProfileKind kind, double rate, double? burst, double? pause, double? from, double? ramp) =>
        Assert.Empty(RateProfile.Validate(new RateProfile(kind, rate, burst, pause, from, ramp), Min, Max));

    [Theory]
    [InlineData(RateProfileKind.Constant, 0, null, null, null, null, "eventsPerSecond")]
    [InlineData(RateProfileKind.Constant, 0.001, null, null, null, null, "eventsPerSecond")]
    [InlineData(RateProfileKind.Poisson, 1_000.5, null, null, null, null, "eventsPerSecond")]
    [InlineData(RateProfileKind.Poisson, double.NaN, null, null, null, null, "eventsPerSecond")]
    [InlineData(RateProfileKind.Constant, double.PositiveInfinity, null, null, null, null, "eventsPerSecond")]
    [InlineData(RateProfileKind.Constant, 10, 1d, null, null, null, "burstSeconds")]
    [InlineData(RateProfileKind.Poisson, 10, null, 1d, null, null, "pauseSeconds")]
    [InlineData(RateProfileKind.Ramp, 10, null, 1d, 0d, 10d, "pauseSeconds")]
    [InlineData(RateProfileKind.Constant, 10, null, null, 5d, null, "rampFromEventsPerSecond")]
    [InlineData(RateProfileKind.Burst, 10, 1d, 1d, null, 10d, "rampSeconds")]
    [InlineData(RateProfileKind.Burst, 10, null, 1d, null, null, "burstSeconds")]
    [InlineData(RateProfileKind.Burst, 10, 0d, 1d, null, null, "burstSeconds")]
    [InlineData(RateProfileKind.Burst, 10, -1d, 1d, null, null, "burstSeconds")]
    [InlineData(RateProfileKind.Burst, 10, 86_401d, 1d, null, null, "burstSeconds")]
    [InlineData(RateProfileKind.Burst, 10, double.NaN, 1d, null, null, "burstSeconds")]
    [InlineData(RateProfileKind.Burst, 10, 1d, null, null, null, "pauseSeconds")]
    [InlineData(RateProfileKind.Burst, 10, 1d, -0.5, null, null, "pauseSeconds")]
    [InlineData(RateProfileKind.Burst, 10, 1d, 86_401d, null, null, "pauseSeconds")]
    [InlineData(RateProfileKind.Burst, 10, 1d, double.PositiveInfinity, null, null, "pauseSeconds")]
    [InlineData(RateProfileKind.Ramp, 10, null, null, null, 10d, "rampFromEventsPerSecond")]
    [InlineData(RateProfileKind.Ramp, 10, null, null, -1d, 10d, "rampFromEventsPerSecond")]
    [InlineData(RateProfileKind.Ramp, 10, null, null, 1_001d, 10d, "rampFromEventsPerSecond")]
    [InlineData(RateProfileKind.Ramp, 10, null, null, double.NaN, 10d, "rampFromEventsPerSecond")]
    [InlineData(RateProfileKind.Ramp, 10, null, null, 0d, null, "rampSeconds")]
    [InlineData(RateProfileKind.Ramp, 10, null, null, 0d, 0d, "rampSeconds")]
    [InlineData(RateProfileKind.Ramp, 10, null, null, 0d, 86_401d, "rampSeconds")]
    [InlineData(RateProfileKind.Ramp, 0, null, null, 0d, 10d, "eventsPerSecond")]
    [InlineData((RateProfileKind)42, 10, null, null, null, null, "kind")]
    public void Each_invalid_combination_names_its_field(
        RateProfileKind kind, double rate, double? burst, double? pause, double? from, double? ramp, string field)
    {
        var problems = RateProfile.Validate(new RateProfile(kind, rate, burst, pause, from, ramp), Min, Max);

        var problem = Assert.Single(problems);
        Assert.Equal(field, problem.Field);
        Assert.EndsWith(".", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parameters_of_another_profile_say_which_profile_they_belong_to()
    {
        var problems = RateProfile.Validate(new RateProfile(RateProfileKind.Constant, 10, BurstSeconds: 1, RampSeconds: 5), Min, Max);

        Assert.Equal(
            [("burstSeconds", "Only applies to the burst profile."), ("rampSeconds", "Only applies to the ramp profile.")],
            problems);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var problems = RateProfile.Validate(new RateProfile(RateProfileKind.Burst, -5, PauseSeconds: -1, RampSeconds: 3), Min, Max);

        Assert.Equal(["eventsPerSecond", "burstSeconds", "pauseSeconds", "rampSeconds"], problems.Select(p => p.Field));
    }

    [Fact]
    public void Range_messages_name_the_limit()
    {
        var tooLow = Assert.Single(RateProfile.Validate(RateProfile.Constant(0.001), Min, Max));
        var tooHigh = Assert.Single(RateProfile.Validate(RateProfile.Constant(5_000), Min, Max));

        Assert.Equal("Must be at least 0.01.", tooLow.Message);
        Assert.Equal("Must be at most 1000.", tooHigh.Message);
    }
}
