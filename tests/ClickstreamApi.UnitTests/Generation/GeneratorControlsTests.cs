using ClickstreamApi.Generation;
using ClickstreamApi.Generation.Pacing;
using ClickstreamApi.Schemas;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ClickstreamApi.UnitTests.Generation;

public sealed class GeneratorControlsTests : IDisposable
{
    private readonly GeneratorControls _controls = new(
        Options.Create(new GeneratorOptions { EventsPerSecond = 2, MaxEventsPerSecond = 1_000 }),
        Options.Create(new OutputOptions()),
        new FakeTimeProvider());

    public void Dispose() => _controls.Dispose();

    [Fact]
    public async Task The_loops_wait_returns_at_once_when_the_setpoint_moved_on_and_wakes_on_a_change()
    {
        var seen = _controls.Current.Version;
        _controls.Start();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        _controls.WaitForChange(seen, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(5), $"waited {waited.Elapsed} for a change made before the wait");

        var current = _controls.Current.Version;
        var waiter = Task.Run(() => _controls.WaitForChange(current, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        var first = await Task.WhenAny(waiter, Task.Delay(TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken));
        Assert.NotSame(waiter, first);
        _controls.Stop();
        var woken = await Task.WhenAny(waiter, Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
        Assert.Same(waiter, woken);
    }

    [Fact]
    public void The_loops_wait_ends_after_its_timeout_without_a_change()
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        _controls.WaitForChange(_controls.Current.Version, TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken);
        Assert.InRange(waited.Elapsed, TimeSpan.FromMilliseconds(45), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void It_starts_stopped_at_the_configured_rate()
    {
        Assert.False(_controls.Current.Running);
        Assert.Equal(2, _controls.Current.Profile.EventsPerSecond);
        Assert.Null(_controls.Current.RunId);
    }

    [Fact]
    public void A_run_writes_the_configured_format_unless_it_names_its_own()
    {
        using var controls = new GeneratorControls(
            Options.Create(new GeneratorOptions()),
            Options.Create(new OutputOptions { Format = "json-schema" }),
            new FakeTimeProvider());

        Assert.Equal(OutputFormat.JsonSchema, controls.Start().Format);
        controls.Stop();
        Assert.Equal(OutputFormat.Avro, controls.Start(new RunOptions(Format: OutputFormat.Avro)).Format);
        controls.Stop();
        Assert.Equal(OutputFormat.JsonSchema, controls.Start(new RunOptions(MaxEvents: 5)).Format);
    }

    [Fact]
    public void Starting_twice_keeps_the_same_run()
    {
        var first = _controls.Start();
        var second = _controls.Start();

        Assert.True(second.Running);
        Assert.NotNull(first.RunId);
        Assert.Equal(first.RunId, second.RunId);
        Assert.Equal(first.Version, second.Version);
    }

    [Fact]
    public void Starting_after_a_stop_begins_a_new_run()
    {
        var first = _controls.Start();
        _controls.Stop();
        _controls.Stop();

        var second = _controls.Start();

        Assert.NotEqual(first.RunId, second.RunId);
    }

    [Fact]
    public void Every_change_completes_the_change_signal()
    {
        var changed = _controls.Changed;
        Assert.False(changed.IsCompleted);

        _controls.SetProfile(RateProfile.Constant(10));

        Assert.True(changed.IsCompleted);
        Assert.False(_controls.Changed.IsCompleted);
        Assert.Equal(10, _controls.Current.Profile.EventsPerSecond);
    }

    [Fact]
    public void A_change_to_the_same_value_is_not_a_change()
    {
        var before = _controls.Current;
        var changed = _controls.Changed;

        _controls.SetFaults(FaultSettings.None);
        _controls.Stop();

        Assert.Same(before, _controls.Current);
        Assert.False(changed.IsCompleted);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(0.001)]
    [InlineData(1_000.5)]
    [InlineData(double.NaN)]
    public void Rates_outside_the_allowed_range_are_refused(double rate) =>
        Assert.Throws<ArgumentException>(() => _controls.SetProfile(RateProfile.Constant(rate)));

    [Fact]
    public void A_run_gets_a_seed_and_its_options()
    {
        var state = _controls.Start(new RunOptions(MaxEvents: 10, Seed: 99));

        Assert.Equal(99, state.Seed);
        Assert.Equal(10, state.MaxEvents);
    }

    [Fact]
    public void A_run_without_a_seed_gets_one_that_can_replay_it()
    {
        var first = _controls.Start();
        _controls.Stop();
        var second = _controls.Start();

        Assert.NotNull(first.Seed);
        Assert.NotNull(second.Seed);
        Assert.Null(second.MaxEvents);
    }

    [Fact]
    public void Completing_an_old_run_does_not_stop_the_current_one()
    {
        var old = _controls.Start();
        _controls.Stop();
        var current = _controls.Start();

        _controls.Complete(old.RunNumber);
        Assert.True(_controls.Current.Running);

        _controls.Complete(current.RunNumber);
        Assert.False(_controls.Current.Running);
    }

    [Fact]
    public void A_replayed_simulated_run_has_the_same_id_but_is_a_new_run()
    {
        var clock = new SimulatedClock(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), AsFastAsPossible: true);
        var first = _controls.Start(new RunOptions(MaxEvents: 10, Seed: 3, Clock: clock));
        _controls.Stop();
        var replay = _controls.Start(new RunOptions(MaxEvents: 10, Seed: 3, Clock: clock));

        Assert.Equal(first.RunId, replay.RunId);
        Assert.Equal(first.RunNumber + 1, replay.RunNumber);

        // The first run completing late cannot end its replay.
        _controls.Complete(first.RunNumber);
        Assert.True(_controls.Current.Running);
    }

    [Fact]
    public void A_profile_applies_with_its_parameters_and_an_invalid_one_is_refused()
    {
        var burst = new RateProfile(RateProfileKind.Burst, 100, BurstSeconds: 1, PauseSeconds: 4);

        Assert.Equal(burst, _controls.SetProfile(burst).Profile);
        Assert.Throws<ArgumentException>(() => _controls.SetProfile(new RateProfile(RateProfileKind.Burst, 100)));
        Assert.Equal(burst, _controls.Current.Profile);
    }

    [Fact]
    public void Faults_can_be_set_and_cleared()
    {
        var faults = new FaultSettings(Malformed: 0.1, Duplicate: 0.2, Late: 0.3, LateMaxSeconds: 5);

        Assert.Equal(faults, _controls.SetFaults(faults).Faults);
        Assert.Equal(FaultSettings.None, _controls.SetFaults(FaultSettings.None).Faults);
    }
}
