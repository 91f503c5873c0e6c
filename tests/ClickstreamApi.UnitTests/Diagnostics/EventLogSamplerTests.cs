using ClickstreamApi.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace ClickstreamApi.UnitTests.Diagnostics;

public sealed class EventLogSamplerTests
{
    [Fact]
    public void At_most_n_lines_pass_per_second_and_the_rest_are_counted()
    {
        var time = new FakeTimeProvider();
        var sampler = new EventLogSampler(3, time);

        var first = Enumerable.Range(0, 10).Count(_ => sampler.TryAcquire());
        time.Advance(TimeSpan.FromMilliseconds(999));
        var stillFirst = sampler.TryAcquire();
        time.Advance(TimeSpan.FromMilliseconds(1));
        var second = Enumerable.Range(0, 10).Count(_ => sampler.TryAcquire());

        Assert.Equal(3, first);
        Assert.False(stillFirst);
        Assert.Equal(3, second);
        Assert.Equal(15, sampler.Suppressed);
    }

    [Fact]
    public void Zero_lines_per_second_suppresses_everything()
    {
        var sampler = new EventLogSampler(0, new FakeTimeProvider());

        Assert.False(sampler.TryAcquire());
        Assert.Equal(1, sampler.Suppressed);
    }
}
