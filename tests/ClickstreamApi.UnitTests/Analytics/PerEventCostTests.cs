using System.Diagnostics;
using System.Globalization;
using ClickstreamApi.Analytics;
using Microsoft.Extensions.Time.Testing;

namespace ClickstreamApi.UnitTests.Analytics;

/// <summary>
/// A sanity check of what each structure costs the consumer thread per event, printed rather than
/// asserted: timing belongs in benchmarks, and a busy CI machine must not fail the build. See the
/// numbers with <c>--xunit-diagnostics on</c> (and <c>-c Release</c> for representative ones).
/// </summary>
public sealed class PerEventCostTests
{
    private const int Events = 1_000_000;
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_million_records_per_structure_are_timed_and_printed()
    {
        var input = Input.Create();
        var now = input.ConsumedAt[^1];
        var results = new List<string>
        {
            Time("EventRateWindows", () => new EventRateWindows(T0), (rates, i) => rates.Record(input.Types[i], input.ConsumedAt[i]), rates => rates.Snapshot(now)),
            Time("TopPages", () => new TopPages(), (pages, i) => pages.Record(input.Pages[i], input.ConsumedAt[i]), pages => pages.Snapshot(now, 10)),
            Time("ActiveUsers", () => new ActiveUsers(), (users, i) => users.Record(input.Users[i], input.ConsumedAt[i]), users => users.Snapshot(now)),
            Time("TumblingWindows", () => new TumblingWindows(), (windows, i) => windows.Record(input.Pages[i], input.OccurredAt[i], input.ConsumedAt[i]), windows => windows.Snapshot(20, 10)),
            Time("LatencyHistogram", () => new LatencyHistogram(), (latency, i) => latency.Record(input.OccurredAt[i], input.ConsumedAt[i]), latency => latency.Snapshot(now)),
            // The system clock, as in the service: RunIntegrity reads it once per event for LastSeenAt.
            Time("RunIntegrity", () => new RunIntegrity(TimeProvider.System), (integrity, i) => integrity.Record(input.RunIds[i], input.Seqs[i]), integrity => integrity.Snapshot()),
        };

        foreach (var line in results)
        {
            TestContext.Current.SendDiagnosticMessage(line);
        }

        // The run arrived complete, only out of order: nothing missing, nothing twice.
        var integrity = new RunIntegrity(new FakeTimeProvider(T0));
        for (var i = 0; i < Events; i++)
        {
            integrity.Record(input.RunIds[i], input.Seqs[i]);
        }

        var run = Assert.Single(integrity.Snapshot().Runs);
        Assert.Equal((Events, 0L, 0L), (run.Received, run.Missing, run.Duplicates));
    }

    /// <summary>
    /// The fastest of a few rounds of <see cref="Events"/> records on a fresh structure (the first
    /// rounds also run while the JIT is still tiering up), then the average of repeated snapshots.
    /// A fresh structure allocates while its dictionaries grow to size; reused, it does not (the
    /// allocation tests of each structure show that).
    /// </summary>
    private static string Time<T>(string name, Func<T> create, Action<T, int> record, Func<T, object> snapshot)
    {
        const int Rounds = 4;
        const int Snapshots = 50;
        var best = TimeSpan.MaxValue;
        long allocated = 0;
        var structure = create();
        for (var round = 0; round < Rounds; round++)
        {
            structure = create();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < Events; i++)
            {
                record(structure, i);
            }

            stopwatch.Stop();
            if (stopwatch.Elapsed < best)
            {
                best = stopwatch.Elapsed;
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }

        for (var i = 0; i < Snapshots; i++)
        {
            snapshot(structure);
        }

        var snapshots = Stopwatch.StartNew();
        for (var i = 0; i < Snapshots; i++)
        {
            snapshot(structure);
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"{name}: Record {best.TotalNanoseconds / Events:F1} ns/event ({best.TotalMilliseconds:F0} ms per {Events:N0}, {allocated / (double)Events:F2} B/event while a fresh structure grows); Snapshot {snapshots.Elapsed.TotalMicroseconds / Snapshots:F0} µs");
    }

    /// <summary>
    /// A million events as the consumer would see them: 10,000 a second for 100 s, 2,000 pages,
    /// 20,000 users, 5–200 ms of latency with 1 % of events up to two minutes late, seqs of one run
    /// interleaved from several partitions. Each value comes in a few separate string instances,
    /// as after deserialization (so lookups compare contents, not references), from pools small
    /// enough to stay in cache, as a just-parsed event's strings are: the numbers are the
    /// structures' cost, not the cost of fetching a million test strings from memory.
    /// </summary>
    private sealed record Input(
        string[] Types,
        string[] Pages,
        string[] Users,
        string[] RunIds,
        long[] Seqs,
        DateTimeOffset[] OccurredAt,
        DateTimeOffset[] ConsumedAt)
    {
        public static Input Create()
        {
            var random = new Random(11);
            var types = Copies(["page_view", "page_view", "page_view", "click", "click", "search", "add_to_cart", "checkout", "purchase", "scroll"], 4);
            var pages = Copies(Enumerable.Range(0, 2_000).Select(i => $"/product/{i}").ToArray(), 2);
            var users = Copies(Enumerable.Range(1, 20_000).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray(), 2);
            var runIds = Copies([Guid.CreateVersion7(T0).ToString()], 8);
            var input = new Input(
                new string[Events],
                new string[Events],
                new string[Events],
                new string[Events],
                new long[Events],
                new DateTimeOffset[Events],
                new DateTimeOffset[Events]);
            for (var i = 0; i < Events; i++)
            {
                input.Types[i] = types[random.Next(types.Length)];
                input.Pages[i] = pages[random.Next(pages.Length)];
                input.Users[i] = users[random.Next(users.Length)];
                input.RunIds[i] = runIds[random.Next(runIds.Length)];
                input.Seqs[i] = i + 1;
                input.ConsumedAt[i] = T0 + TimeSpan.FromMicroseconds(100L * i);
                var late = random.Next(100) == 0 ? TimeSpan.FromSeconds(random.Next(120)) : TimeSpan.Zero;
                input.OccurredAt[i] = input.ConsumedAt[i] - TimeSpan.FromMilliseconds(random.Next(5, 200)) - late;
            }

            // Several partitions interleave the run: each seq lands up to 64 places from its turn.
            for (var start = 0; start < Events; start += 64)
            {
                random.Shuffle(input.Seqs.AsSpan(start, Math.Min(64, Events - start)));
            }

            return input;
        }

        private static string[] Copies(string[] values, int copies)
        {
            var result = new string[values.Length * copies];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = new string(values[i % values.Length].AsSpan());
            }

            return result;
        }
    }
}
