using ClickstreamApi.Fleet;
using ClickstreamApi.Generation;
using ClickstreamApi.Generation.Pacing;

namespace ClickstreamApi.UnitTests.Fleet;

public sealed class FleetStateTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    private static FleetCommand Command(string id, FleetCommandKind kind) => new(id, kind, At, "member-a");

    [Fact]
    public void Every_member_folding_the_same_log_reaches_the_same_state()
    {
        var log = new[]
        {
            Command("1", FleetCommandKind.Rate) with { Rate = RateProfile.Constant(3_000) },
            Command("2", FleetCommandKind.Start) with { Seed = 16 },
            Command("3", FleetCommandKind.Faults) with { Faults = new FaultSettings(Duplicate: 0.01) },
            Command("4", FleetCommandKind.Start) with { Seed = 99 },
        };

        var state = log.Aggregate(FleetState.Initial(1), (s, c) => s.Apply(c));

        Assert.True(state.Running);
        Assert.Equal("2", state.RunId);
        Assert.Equal(16, state.Seed);
        Assert.Equal(3_000, state.Rate.EventsPerSecond);
        Assert.Equal(0.01, state.Faults.Duplicate);
        Assert.Equal("4", state.LastCommandId);
        Assert.Equal(4, state.CommandsApplied);
    }

    [Fact]
    public void A_stop_ends_the_fleet_run_and_the_next_start_begins_another()
    {
        var state = FleetState.Initial(1)
            .Apply(Command("a", FleetCommandKind.Start) with { Seed = 1 })
            .Apply(Command("b", FleetCommandKind.Stop));
        Assert.False(state.Running);
        Assert.Equal("a", state.RunId);

        state = state.Apply(Command("c", FleetCommandKind.Start) with { Seed = 2 });

        Assert.True(state.Running);
        Assert.Equal("c", state.RunId);
        Assert.Equal(2, state.Seed);
    }

    [Fact]
    public void A_member_s_share_scales_every_rate_of_the_profile_within_the_generator_s_bounds()
    {
        var ramp = new RateProfile(RateProfileKind.Ramp, 3_000, RampFromEventsPerSecond: 300, RampSeconds: 60);

        var share = FleetSteering.Scale(ramp, 21.0 / 64, 1_000_000);

        Assert.Equal(3_000 * 21.0 / 64, share.EventsPerSecond, 9);
        Assert.Equal(300 * 21.0 / 64, share.RampFromEventsPerSecond!.Value, 9);
        Assert.Equal(60, share.RampSeconds);
        Assert.Equal(GeneratorOptions.MinEventsPerSecond, FleetSteering.Scale(RateProfile.Constant(0.1), 1.0 / 64, 1_000_000).EventsPerSecond);
        Assert.Equal(500, FleetSteering.Scale(RateProfile.Constant(3_000), 0.5, 500).EventsPerSecond);
    }

    [Fact]
    public void Members_derive_different_seeds_from_the_fleet_run_s_and_the_same_one_each_time()
    {
        Assert.Equal(FleetSteering.MemberSeed(16, "member-a"), FleetSteering.MemberSeed(16, "member-a"));
        Assert.NotEqual(FleetSteering.MemberSeed(16, "member-a"), FleetSteering.MemberSeed(16, "member-b"));
        Assert.NotEqual(FleetSteering.MemberSeed(16, "member-a"), FleetSteering.MemberSeed(17, "member-a"));
    }

    [Fact]
    public void A_start_with_a_simulated_clock_gives_the_fleet_run_that_clock_and_a_later_start_keeps_it()
    {
        var clock = new SimulatedClock(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), AsFastAsPossible: true, EndAt: new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero));
        var state = FleetState.Initial(1)
            .Apply(Command("1", FleetCommandKind.Start) with { Clock = clock })
            .Apply(Command("2", FleetCommandKind.Start) with { Clock = null });

        Assert.Equal("1", state.RunId);
        Assert.Equal(clock, state.Clock);

        var next = state.Apply(Command("3", FleetCommandKind.Stop)).Apply(Command("4", FleetCommandKind.Start));
        Assert.Equal("4", next.RunId);
        Assert.Null(next.Clock);
    }
}
