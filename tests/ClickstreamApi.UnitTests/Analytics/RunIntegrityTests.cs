using ClickstreamApi.Analytics;
using Microsoft.Extensions.Time.Testing;

namespace ClickstreamApi.UnitTests.Analytics;

public sealed class RunIntegrityTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_run_of_10000_seqs_in_shuffled_order_has_nothing_missing_or_duplicated()
    {
        var integrity = new RunIntegrity(_time);

        foreach (var seq in Shuffled(1, 10_000, seed: 1))
        {
            integrity.Record("run-a", seq);
        }

        var run = Assert.Single(integrity.Snapshot().Runs);
        Assert.Equal(new RunSnapshot("run-a", 1, 10_000, 10_000, 0, 0, 0, 1, 0, 0, _time.GetUtcNow(), _time.GetUtcNow()), run);
    }

    [Fact]
    public void Injected_duplicates_are_counted_exactly()
    {
        var integrity = new RunIntegrity(_time);
        var random = new Random(2);
        var seqs = Shuffled(1, 10_000, seed: 2).ToList();
        for (var i = 0; i < 137; i++)
        {
            // Some right after the original, some thousands of positions later.
            var original = random.Next(seqs.Count);
            seqs.Insert(Math.Min(seqs.Count, original + random.Next(1, 5_000)), seqs[original]);
        }

        foreach (var seq in seqs)
        {
            integrity.Record("run-a", seq);
        }

        var run = Assert.Single(integrity.Snapshot().Runs);
        Assert.Equal(137, run.Duplicates);
        Assert.Equal(10_000, run.Received);
        Assert.Equal(0, run.Missing);
    }

    [Fact]
    public void Injected_gaps_are_counted_exactly()
    {
        var integrity = new RunIntegrity(_time);
        var random = new Random(3);
        var dropped = new HashSet<long>();
        while (dropped.Count < 250)
        {
            dropped.Add(random.Next(1, 10_000));
        }

        foreach (var seq in Shuffled(1, 10_000, seed: 3))
        {
            if (!dropped.Contains(seq))
            {
                integrity.Record("run-a", seq);
            }
        }

        var run = Assert.Single(integrity.Snapshot().Runs);
        Assert.Equal(250, run.Missing);
        Assert.Equal(9_750, run.Received);
        Assert.Equal(0, run.Duplicates);
    }

    [Fact]
    public void Gaps_and_duplicates_stay_exact_while_the_window_slides_many_times()
    {
        // A 1,024-seq window over 200,000 seqs arriving up to 300 positions out of order.
        var integrity = new RunIntegrity(_time, windowSeqs: 1_024, maxTrackedMissing: 1_000_000);
        var random = new Random(4);
        var seqs = RoughlyIncreasing(1, 200_000, spread: 300, random);
        var gaps = new HashSet<long>();
        while (gaps.Count < 500)
        {
            gaps.Add(random.Next(1, 199_999));
        }

        var arrivals = new List<long>();
        foreach (var seq in seqs)
        {
            if (gaps.Contains(seq))
            {
                continue;
            }

            arrivals.Add(seq);

            // Duplicates both near their original and long after the window has passed it.
            if (random.Next(400) == 0)
            {
                arrivals.Add(seq);
            }
        }

        var duplicates = arrivals.Count - (200_000 - gaps.Count);
        for (var i = 0; i < 50; i++)
        {
            arrivals.Add(arrivals[random.Next(arrivals.Count / 2)]);
        }

        foreach (var seq in arrivals)
        {
            integrity.Record("run-a", seq);
        }

        var run = Assert.Single(integrity.Snapshot().Runs);
        Assert.Equal(500, run.Missing);
        Assert.Equal(duplicates + 50, run.Duplicates);
        Assert.Equal(200_000 - 500, run.Received);
        Assert.Equal(0, run.LateArrivals);
    }

    [Fact]
    public void A_missing_seq_arriving_after_the_window_passed_it_moves_from_missing_to_received()
    {
        var integrity = new RunIntegrity(_time, windowSeqs: 1_024, maxTrackedMissing: 1_000_000);
        for (long seq = 1; seq <= 5_000; seq++)
        {
            if (seq != 10)
            {
                integrity.Record("run-a", seq);
            }
        }

        Assert.Equal(1, integrity.Snapshot().Runs[0].Missing);

        integrity.Record("run-a", 10);
        var run = integrity.Snapshot().Runs[0];
        Assert.Equal((0L, 5_000L, 1L, 0L), (run.Missing, run.Received, run.LateArrivals, run.Duplicates));

        integrity.Record("run-a", 10);
        Assert.Equal(1, integrity.Snapshot().Runs[0].Duplicates);
    }

    [Fact]
    public void A_late_arrival_beyond_the_full_size_window_is_received_not_duplicate()
    {
        var integrity = new RunIntegrity(_time);
        const long last = RunIntegrity.WindowSeqs + 1_000L;
        for (long seq = 1; seq <= last; seq++)
        {
            if (seq is not 10 and not 500_000)
            {
                integrity.Record("run-a", seq);
            }
        }

        Assert.Equal(2, integrity.Snapshot().Runs[0].Missing);

        integrity.Record("run-a", 10);
        integrity.Record("run-a", 11);

        var run = integrity.Snapshot().Runs[0];
        Assert.Equal(1, run.Missing);
        Assert.Equal(1, run.LateArrivals);
        Assert.Equal(1, run.Duplicates);
        Assert.Equal(last - 1, run.Received);
    }

    [Fact]
    public void Beyond_the_cap_missing_seqs_are_counted_but_their_late_arrival_looks_like_a_duplicate()
    {
        var integrity = new RunIntegrity(_time, windowSeqs: 64, maxTrackedMissing: 10);

        // Every third seq of 1 to 90 goes missing: 30 gaps, all slid past by seq 1,000.
        for (long seq = 1; seq <= 1_000; seq++)
        {
            if (seq > 90 || seq % 3 != 0)
            {
                integrity.Record("run-a", seq);
            }
        }

        var run = integrity.Snapshot().Runs[0];
        Assert.Equal(30, run.Missing);
        Assert.Equal(20, run.MissingUntracked);
        Assert.Equal(0, integrity.MissingBudgetRemaining);

        integrity.Record("run-a", 3);  // remembered: the first ten gaps
        integrity.Record("run-a", 90); // not remembered

        run = integrity.Snapshot().Runs[0];
        Assert.Equal(29, run.Missing);
        Assert.Equal(1, run.LateArrivals);
        Assert.Equal(1, run.Duplicates);
    }

    [Fact]
    public void A_jump_past_the_whole_window_counts_every_skipped_seq_missing()
    {
        var integrity = new RunIntegrity(_time, windowSeqs: 64, maxTrackedMissing: 1_000);

        integrity.Record("run-a", 1);
        integrity.Record("run-a", 1_000_000);

        var run = integrity.Snapshot().Runs[0];
        Assert.Equal(999_998, run.Missing);
        Assert.Equal(2, run.Received);

        // Of the 999,998: 2 to 64 were in the window when it jumped and are remembered; 65 to
        // 999,936 were never in it and are only counted; 999,937 to 999,999 are in the new window.
        Assert.Equal(63, 1_000 - integrity.MissingBudgetRemaining);
        Assert.Equal(999_872, run.MissingUntracked);
    }

    [Fact]
    public void Joining_a_run_in_the_middle_shows_the_first_seq_seen()
    {
        var integrity = new RunIntegrity(_time);
        for (long seq = 5_001; seq <= 6_000; seq++)
        {
            integrity.Record("run-a", seq);
        }

        var run = integrity.Snapshot().Runs[0];
        Assert.Equal(5_001, run.MinSeq);
        Assert.Equal(5_000, run.Missing);
    }

    [Fact]
    public void Joining_far_into_a_run_counts_the_earlier_seqs_missing_without_remembering_each()
    {
        // A 1,024-seq window looks back half its size, 512 seqs, from the first one seen.
        var integrity = new RunIntegrity(_time, windowSeqs: 1_024, maxTrackedMissing: 1_000);
        for (long seq = 10_000; seq <= 20_000; seq++)
        {
            integrity.Record("run-a", seq);
        }

        integrity.Record("run-a", 9_990); // in flight from another partition: still inside the window
        integrity.Record("run-a", 100);   // far below: cannot be told from a duplicate

        var run = integrity.Snapshot().Runs[0];
        Assert.Equal(100, run.MinSeq);
        Assert.Equal(10_002, run.Received);
        Assert.Equal(20_000 - 10_002, run.Missing);
        Assert.Equal(1, run.Duplicates);

        // 1 to 9,487 only counted; 9,488 to 9,999 were in the window and are remembered, but for 9,990.
        Assert.Equal(9_487, run.MissingUntracked);
        Assert.Equal(511, 1_000 - integrity.MissingBudgetRemaining);
    }

    [Fact]
    public void Seqs_below_the_join_point_that_never_arrive_count_as_before_join_not_missing()
    {
        // A previous life read seqs 1 to 2,194; this one joined every partition just after its commit.
        var integrity = new RunIntegrity(_time);
        foreach (var firstChecked in new long[] { 2_186, 2_191, 2_195, 2_184 })
        {
            integrity.RecordJoin("run-a", firstChecked);
        }

        for (long seq = 2_195; seq <= 6_000; seq++)
        {
            integrity.Record("run-a", seq);
        }

        var run = Assert.Single(integrity.Snapshot().Runs);
        Assert.Equal(2_195, run.JoinSeq);
        Assert.Equal(2_194, run.BeforeJoin);
        Assert.Equal(0, run.Missing);
        Assert.Equal(6_000, run.MaxSeq);
        Assert.Equal(3_806, run.Received);
        Assert.Equal(0, run.MissingUntracked);
    }

    [Fact]
    public void A_gap_after_the_join_point_is_still_missing()
    {
        var integrity = new RunIntegrity(_time);
        integrity.RecordJoin("run-a", 1_001);
        for (long seq = 1_001; seq <= 2_000; seq++)
        {
            if (seq is not 1_500 and not 1_501)
            {
                integrity.Record("run-a", seq);
            }
        }

        var run = integrity.Snapshot().Runs[0];
        Assert.Equal(2, run.Missing);
        Assert.Equal(1_000, run.BeforeJoin);
    }

    [Fact]
    public void Seqs_below_a_join_point_that_arrive_anyway_are_received_and_a_later_join_counts_them()
    {
        var integrity = new RunIntegrity(_time);
        integrity.RecordJoin("run-a", 100);
        for (long seq = 90; seq <= 200; seq++)
        {
            integrity.Record("run-a", seq); // 90 to 99 from a partition joined lower
        }

        // Another partition's join point arrives later and is higher: 100 to 149 were seen, not before the join.
        integrity.RecordJoin("run-a", 150);

        var run = integrity.Snapshot().Runs[0];
        Assert.Equal(150, run.JoinSeq);
        Assert.Equal(89, run.BeforeJoin);
        Assert.Equal(0, run.Missing);
        Assert.Equal(111, run.Received);
        Assert.Equal(200, run.MaxSeq);
    }

    [Fact]
    public void A_run_known_only_from_a_join_point_was_read_entirely_before_the_join()
    {
        var integrity = new RunIntegrity(_time);
        integrity.RecordJoin("run-old", 2_161);

        var run = integrity.Snapshot().Runs[0];
        Assert.Equal(2_160, run.MaxSeq);
        Assert.Equal(2_160, run.BeforeJoin);
        Assert.Equal(0, run.Missing);
        Assert.Equal(0, run.Received);
    }

    [Fact]
    public void A_join_point_far_into_a_run_covers_the_seqs_that_were_never_in_the_window()
    {
        var integrity = new RunIntegrity(_time, windowSeqs: 1_024, maxTrackedMissing: 1_000);
        integrity.RecordJoin("run-a", 10_000);
        for (long seq = 10_000; seq <= 20_000; seq++)
        {
            integrity.Record("run-a", seq);
        }

        var run = integrity.Snapshot().Runs[0];
        Assert.Equal(9_999, run.BeforeJoin);
        Assert.Equal(0, run.Missing);
        Assert.Equal(0, run.MissingUntracked);

        // 9,488 to 9,999 were in the window below the join point: remembered, so a late one still counts as received.
        Assert.Equal(1_000 - 512, integrity.MissingBudgetRemaining);
        integrity.Record("run-a", 9_990);
        run = integrity.Snapshot().Runs[0];
        Assert.Equal(9_998, run.BeforeJoin);
        Assert.Equal(0, run.Duplicates);
    }

    [Fact]
    public void Join_points_only_ever_rise()
    {
        var integrity = new RunIntegrity(_time);
        integrity.RecordJoin("run-a", 500);
        integrity.RecordJoin("run-a", 200);
        integrity.RecordJoin("run-a", 0);

        Assert.Equal(500, integrity.Snapshot().Runs[0].JoinSeq);
    }

    [Fact]
    public void Runs_are_kept_apart_and_listed_most_recently_seen_first_with_their_times()
    {
        var integrity = new RunIntegrity(_time);
        var start = _time.GetUtcNow();
        integrity.Record("run-a", 1);
        _time.Advance(TimeSpan.FromSeconds(1));
        integrity.Record("run-b", 1);
        integrity.Record("run-b", 2);
        _time.Advance(TimeSpan.FromSeconds(1));
        integrity.Record("run-a", 2);
        integrity.Record("run-a", 2);

        var runs = integrity.Snapshot().Runs;

        Assert.Equal(["run-a", "run-b"], runs.Select(r => r.RunId));
        Assert.Equal((2L, 1L, start, start + TimeSpan.FromSeconds(2)), (runs[0].Received, runs[0].Duplicates, runs[0].FirstSeenAt, runs[0].LastSeenAt));
        Assert.Equal((2L, 0L, start + TimeSpan.FromSeconds(1)), (runs[1].Received, runs[1].Duplicates, runs[1].FirstSeenAt));
    }

    [Fact]
    public void More_than_16_runs_keeps_16_evicting_the_least_recently_seen_and_retiring_its_numbers()
    {
        var integrity = new RunIntegrity(_time, windowSeqs: 64, maxTrackedMissing: 1_000);
        for (var run = 0; run < 40; run++)
        {
            // Each run leaves 10 gaps behind its window, which it remembers until evicted.
            for (long seq = 1; seq <= 200; seq++)
            {
                if (seq > 10)
                {
                    integrity.Record($"run-{run}", seq);
                }
            }

            // run-0 stays recently seen, so it is never the one evicted.
            integrity.Record("run-0", 5_000);
        }

        var snapshot = integrity.Snapshot();

        Assert.Equal(RunIntegrity.MaxRuns, snapshot.Runs.Count);
        Assert.Contains(snapshot.Runs, r => r.RunId == "run-0");
        Assert.Equal(["run-0", "run-39", "run-38"], snapshot.Runs.Take(3).Select(r => r.RunId));
        Assert.Equal(39 - 15, snapshot.EvictedRuns);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => $"run-{24 - i}"), snapshot.Retired.Select(r => r.RunId));
        Assert.All(snapshot.Retired, r => Assert.Equal((190L, 10L), (r.Received, r.Missing)));

        // Evicted runs gave their remembered missing seqs back: only the 16 live runs hold any, 10 each.
        Assert.Equal(16 * 10, 1_000 - integrity.MissingBudgetRemaining);
    }

    [Fact]
    public void Seqs_below_1_are_counted_as_invalid_and_ignored()
    {
        var integrity = new RunIntegrity(_time);

        integrity.Record("run-a", 0);
        integrity.Record("run-a", -5);

        var snapshot = integrity.Snapshot();
        Assert.Equal(2, snapshot.InvalidSeqs);
        Assert.Empty(snapshot.Runs);
    }

    [Fact]
    public void Recording_a_run_in_progress_does_not_allocate()
    {
        var integrity = new RunIntegrity(_time);

        // Events bring their own copies of the run id; the first half warms up, the second is measured.
        var firstCopy = new string("run-a".AsSpan());
        var secondCopy = new string("run-a".AsSpan());
        RecordMany(integrity, firstCopy, 1, 100_000);
        var next = 100_001L;
        var allocated = Allocations.LeastPerPass(() =>
        {
            RecordMany(integrity, secondCopy, next, next + 19_999);
            next += 20_000;
        });

        // The bitmap grows by one 32 KB page per 262,144 seqs; these passes stay within the first.
        Assert.Equal(0, allocated);

        static void RecordMany(RunIntegrity integrity, string runId, long from, long to)
        {
            for (var seq = from; seq <= to; seq++)
            {
                integrity.Record(runId, seq);
            }
        }
    }

    private static long[] Shuffled(long from, long to, int seed)
    {
        var seqs = new long[to - from + 1];
        for (var i = 0; i < seqs.Length; i++)
        {
            seqs[i] = from + i;
        }

        new Random(seed).Shuffle(seqs);
        return seqs;
    }

    /// <summary>Seqs in order, then each moved by up to <paramref name="spread"/> positions, as several partitions interleave them.</summary>
    private static long[] RoughlyIncreasing(long from, long to, int spread, Random random)
    {
        var seqs = new long[to - from + 1];
        for (var i = 0; i < seqs.Length; i++)
        {
            seqs[i] = from + i;
        }

        for (var start = 0; start < seqs.Length; start += spread)
        {
            random.Shuffle(seqs.AsSpan(start, Math.Min(spread, seqs.Length - start)));
        }

        return seqs;
    }
}
