using ClickstreamApi.Generation;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ClickstreamApi.UnitTests.Generation;

public sealed class GeneratorControllerTests
{
    private readonly GeneratorController _controller = new(
        Options.Create(new GeneratorOptions { EventsPerSecond = 2, MaxEventsPerSecond = 1_000 }),
        new FakeTimeProvider());

    [Fact]
    public void It_starts_stopped_at_the_configured_rate()
    {
        Assert.False(_controller.Current.Running);
        Assert.Equal(2, _controller.Current.EventsPerSecond);
        Assert.Null(_controller.Current.RunId);
    }

    [Fact]
    public void Starting_twice_keeps_the_same_run()
    {
        var first = _controller.Start();
        var second = _controller.Start();

        Assert.True(second.Running);
        Assert.NotNull(first.RunId);
        Assert.Equal(first.RunId, second.RunId);
        Assert.Equal(first.Version, second.Version);
    }

    [Fact]
    public void Starting_after_a_stop_begins_a_new_run()
    {
        var first = _controller.Start();
        _controller.Stop();
        _controller.Stop();

        var second = _controller.Start();

        Assert.NotEqual(first.RunId, second.RunId);
    }

    [Fact]
    public void Every_change_completes_the_change_signal()
    {
        var changed = _controller.Changed;
        Assert.False(changed.IsCompleted);

        _controller.SetRate(10);

        Assert.True(changed.IsCompleted);
        Assert.False(_controller.Changed.IsCompleted);
        Assert.Equal(10, _controller.Current.EventsPerSecond);
    }

    [Fact]
    public void A_change_to_the_same_value_is_not_a_change()
    {
        var before = _controller.Current;
        var changed = _controller.Changed;

        _controller.SetRate(2);
        _controller.Stop();

        Assert.Same(before, _controller.Current);
        Assert.False(changed.IsCompleted);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(0.001)]
    [InlineData(1_000.5)]
    [InlineData(double.NaN)]
    public void Rates_outside_the_allowed_range_are_refused(double rate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _controller.SetRate(rate));
}
