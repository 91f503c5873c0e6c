using ClickstreamApi.Generation;

namespace ClickstreamApi.UnitTests.Generation;

public class GeneratorCountersTests
{
    [Fact]
    public void A_run_the_loop_has_not_taken_in_yet_shows_no_events_not_the_previous_runs()
    {
        var counters = new GeneratorCounters(TimeProvider.System);
        counters.BeginRun(runNumber: 1);
        counters.CountEvents(22);

        // POST start has made run 2 current; the loop still counts run 1.
        Assert.Equal(0, counters.RunEventsOf(2));
        Assert.Equal(22, counters.RunEventsOf(1));

        counters.BeginRun(runNumber: 2);
        counters.CountEvents(5);
        Assert.Equal(5, counters.RunEventsOf(2));
    }

    [Fact]
    public void Before_any_run_there_are_no_run_events()
    {
        Assert.Equal(0, new GeneratorCounters(TimeProvider.System).RunEventsOf(0));
    }
}
