using ClickstreamApi.Analytics.EventTime;

namespace ClickstreamApi.UnitTests.Analytics.EventTime;

public sealed class ReconcilerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly WindowOptions Options = new() { WindowSeconds = 15, AllowedLatenessSeconds = 0 };

    private static TalliedEvent At(double seconds, string page, string user = "1") =>
        new(T0.AddSeconds(seconds), page, "page_view", user, "s-" + user, null, null);

    private static (RunWindows Truth, RunWindows Duplicates, RunWindows Consumer) Run(IEnumerable<TalliedEvent> events, IEnumerable<TalliedEvent> copies, Func<TalliedEvent, bool> consumed)
    {
        var truth = new RunWindows("run", Options);
        var duplicates = new RunWindows("run", Options);
        var consumer = new RunWindows("run", Options);
        foreach (var e in events)
        {
            truth.Record(e);
            if (consumed(e))
            {
                consumer.Record(e);
            }
        }

        foreach (var copy in copies)
        {
            duplicates.Record(copy);
            consumer.Record(copy);
        }

        truth.Finish();
        duplicates.Finish();
        return (truth, duplicates, consumer);
    }

    private static ReconcileReport Compare((RunWindows Truth, RunWindows Duplicates, RunWindows Consumer) run) =>
        Reconciler.Compare(run.Truth, run.Duplicates, _ => default, 0, 0, run.Consumer, includeEqual: false, limit: 100);

    private static List<TalliedEvent> Events() =>
        [.. Enumerable.Range(0, 300).Select(i => At(i * 0.5, i % 3 == 0 ? "/" : "/cart", user: (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture)))];

    [Fact]
    public void The_same_events_are_equal_in_every_closed_window()
    {
        var report = Compare(Run(Events(), [], _ => true));

        Assert.Equal(0, report.Summary.Unexplained);
        Assert.Equal(0, report.Summary.Explained);
        Assert.Equal(report.Summary.Compared, report.Summary.Equal);
        Assert.True(report.Summary.Compared >= 9);
        Assert.Empty(report.Windows);
    }

    [Fact]
    public void Copies_the_consumer_counts_again_are_explained_by_the_duplicates()
    {
        var events = Events();
        var report = Compare(Run(events, [events[3], events[4]], _ => true));

        Assert.Equal(0, report.Summary.Unexplained);
        var window = Assert.Single(report.Windows);
        Assert.Equal("explained", window.Status);
        Assert.Contains(window.Differences, d => d.Field == "events" && d.Difference == 2 && d.Explained == 2 && d.ExplainedBy == "duplicates");
        Assert.All(window.Differences, d => Assert.Equal(0, d.Unexplained));
    }

    [Fact]
    public void An_event_the_consumer_never_counted_is_unexplained_naming_page_and_window()
    {
        var events = Events();
        var lost = events[40];
        var report = Compare(Run(events, [], e => e != lost));

        Assert.Equal(1, report.Summary.Unexplained);
        var window = Assert.Single(report.Windows);
        Assert.Equal("unexplained", window.Status);
        Assert.Equal(T0.AddSeconds(15), window.Start);
        Assert.Contains(window.Differences, d => d.Field == "byPage" && d.Key == lost.Page && d.Difference == -1 && d.Unexplained == -1);
    }

    [Fact]
    public void Without_any_consumed_window_nothing_is_compared()
    {
        var run = Run(Events(), [], _ => false);
        var report = Reconciler.Compare(run.Truth, run.Duplicates, _ => default, 0, 0, consumer: null, includeEqual: false, limit: 100);

        Assert.Equal(0, report.Summary.Compared);
        Assert.True(report.Summary.Open > 0);
    }
}
