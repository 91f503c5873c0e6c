using ClickstreamApi.Analytics;

namespace ClickstreamApi.UnitTests.Analytics;

/// <summary>The ring of scheduled send times: found by run and seq while it holds them, never guessed.</summary>
public sealed class ScheduledSendTimesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_recorded_event_is_found_by_its_run_and_seq()
    {
        var times = new ScheduledSendTimes(8);
        times.BeginRun("run-a");
        times.Record(1, T0);
        times.Record(2, T0.AddMilliseconds(5));

        Assert.Equal(T0, times.Find("run-a", 1));
        Assert.Equal(T0.AddMilliseconds(5), times.Find("run-a", 2));
        Assert.Equal(TimeSpan.Zero, times.Find("run-a", 2)!.Value.Offset);
    }

    [Fact]
    public void After_wrapping_around_the_newest_capacity_events_are_found_and_the_older_ones_are_not()
    {
        var times = WithRun("run-a", events: 20);

        Assert.All(Enumerable.Range(13, 8), seq => Assert.Equal(At(seq), times.Find("run-a", seq)));
        Assert.All(Enumerable.Range(1, 12), seq => Assert.Null(times.Find("run-a", seq)));
    }

    [Fact]
    public void A_stale_entry_in_the_slot_of_a_later_seq_is_not_matched()
    {
        var times = new ScheduledSendTimes(8);
        times.BeginRun("run-a");
        times.Record(3, T0);

        // Seq 11 shares seq 3's slot and has not been made yet.
        Assert.Null(times.Find("run-a", 11));
        Assert.Equal(T0, times.Find("run-a", 3));
    }

    [Fact]
    public void Events_of_unknown_runs_and_events_without_run_or_seq_are_not_found()
    {
        var times = new ScheduledSendTimes(8);
        Assert.Null(times.Find("run-a", 1));

        times.BeginRun("run-a");
        times.Record(1, T0);

        Assert.Null(times.Find("another-instance-s-run", 1));
        Assert.Null(times.Find(null, 1));
        Assert.Null(times.Find("run-a", null));
        Assert.Null(times.Find("run-a", 0));
        Assert.Null(times.Find("run-a", -7));
    }

    [Fact]
    public void A_run_that_records_nothing_matches_nothing_even_under_an_earlier_run_s_id()
    {
        // A simulated run as fast as possible has no schedule; a replay of a paced run has its id.
        var times = new ScheduledSendTimes(8);
        times.BeginRun("simulated");
        times.Record(1, T0);
        times.BeginRun("simulated");

        Assert.Null(times.Find("simulated", 1));
    }

    [Fact]
    public void A_replayed_run_id_finds_only_the_replay_s_entries()
    {
        var times = WithRun("replayed", events: 5);

        times.BeginRun("replayed");
        times.Record(1, T0.AddHours(1));

        Assert.Equal(T0.AddHours(1), times.Find("replayed", 1));
        Assert.Null(times.Find("replayed", 2));
    }

    [Fact]
    public void The_last_runs_are_still_found_after_a_new_one_begins_and_older_ones_are_forgotten()
    {
        var times = new ScheduledSendTimes(64);
        times.BeginRun("first");
        times.Record(1, T0);
        times.BeginRun("second");
        times.Record(2, T0.AddSeconds(1));

        Assert.Equal(T0, times.Find("first", 1));
        Assert.Equal(T0.AddSeconds(1), times.Find("second", 2));

        times.BeginRun("third");
        times.BeginRun("fourth");
        Assert.Equal(T0, times.Find("first", 1));
        times.BeginRun("fifth");
        Assert.Null(times.Find("first", 1));
        Assert.Equal(T0.AddSeconds(1), times.Find("second", 2));
    }

    [Fact]
    public void The_capacity_must_be_a_power_of_two()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScheduledSendTimes(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScheduledSendTimes(1000));
        Assert.Equal(ScheduledSendTimes.DefaultCapacity, new ScheduledSendTimes().Capacity);
    }

    [Fact]
    public async Task A_reader_racing_the_writer_never_pairs_a_seq_with_another_event_s_time()
    {
        // A small ring overwritten all the time: every slot changes under the reader.
        const long Events = 3_000_000;
        var times = new ScheduledSendTimes(64);
        times.BeginRun("raced");
        long written = 0;
        var writer = Task.Factory.StartNew(
            () =>
            {
                for (long seq = 1; seq <= Events; seq++)
                {
                    times.Record(seq, At(seq));
                    Volatile.Write(ref written, seq);
                }
            },
            TestContext.Current.CancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        long found = 0;
        var wrong = new List<string>();
        while (!writer.IsCompleted)
        {
            var newest = Volatile.Read(ref written);
            for (var back = 0L; back < 80 && newest - back >= 1; back++)
            {
                var seq = newest - back;
                if (times.Find("raced", seq) is { } at)
                {
                    found++;
                    if (at != At(seq) && wrong.Count < 5)
                    {
                        wrong.Add($"seq {seq} found with {at:O}, recorded with {At(seq):O}");
                    }
                }
            }
        }

        await writer;
        Assert.Empty(wrong);
        Assert.True(found > 0, "the reader found nothing at all");
    }

    private static DateTimeOffset At(long seq) => T0.AddTicks(seq * 37);

    /// <summary>A ring of 8 with run <paramref name="runId"/> begun and its seqs 1 to <paramref name="events"/> recorded.</summary>
    private static ScheduledSendTimes WithRun(string runId, int events)
    {
        var times = new ScheduledSendTimes(8);
        times.BeginRun(runId);
        for (var seq = 1; seq <= events; seq++)
        {
            times.Record(seq, At(seq));
        }

        return times;
    }
}
