using System.Globalization;
using BenchmarkDotNet.Attributes;
using ClickstreamApi.Analytics;

namespace ClickstreamApi.Benchmarks.Analytics;

/// <summary>
/// What each structure of the live analytics costs the consumer thread per event, one at a time
/// (StreamAnalyticsBenchmarks measures them all together): 10,000 events a second of steady
/// traffic, time moving forward 100 µs per event so buckets and windows roll over as in the
/// service, 2,000 pages, 20,000 users, the six event types and an unknown one, one run's seqs
/// interleaved as from several partitions. Values come in several string instances each, as after
/// deserialization, so lookups compare contents. Each structure is warmed with a minute of traffic.
/// </summary>
[MemoryDiagnoser]
public class AnalyticsStructureBenchmarks
{
    private const int PerInvoke = 4096;
    private const int WarmUpEvents = 600_000;
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(40);

    private readonly int[] _interleave = [.. Enumerable.Range(0, 64).OrderBy(i => (i * 37) % 64)];
    private string[] _types = null!;
    private string[] _pages = null!;
    private string[] _users = null!;
    private string _runId = null!;
    private long _n;
    private EventRateWindows _rates = null!;
    private TopPages _topPages = null!;
    private ActiveUsers _activeUsers = null!;
    private TumblingWindows _windows = null!;
    private LatencyHistogram _latency = null!;
    private RunIntegrity _integrity = null!;

    [GlobalSetup]
    public void Setup()
    {
        _types = Copies(["page_view", "page_view", "page_view", "click", "click", "search", "add_to_cart", "checkout", "purchase", "scroll"], 4);
        _pages = Copies([.. Enumerable.Range(0, 2_000).Select(i => $"/product/{i}")], 2);
        _users = Copies([.. Enumerable.Range(1, 20_000).Select(i => i.ToString(CultureInfo.InvariantCulture))], 2);
        _runId = Guid.CreateVersion7(T0).ToString();
        _rates = new EventRateWindows(T0);
        _topPages = new TopPages();
        _activeUsers = new ActiveUsers();
        _windows = new TumblingWindows();
        _latency = new LatencyHistogram();
        _integrity = new RunIntegrity(TimeProvider.System);
        for (_n = 0; _n < WarmUpEvents; _n++)
        {
            var at = At(_n);
            _rates.Record(Type(_n), at);
            _topPages.Record(Page(_n), at);
            _activeUsers.Record(User(_n), at);
            _windows.Record(Page(_n), at - Latency, at);
            _latency.Record(at - Latency, at);
            _integrity.Record(_runId, Seq(_n));
        }
    }

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public void EventRateWindowsRecord()
    {
        for (var i = 0; i < PerInvoke; i++, _n++)
        {
            _rates.Record(Type(_n), At(_n));
        }
    }

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public void TopPagesRecord()
    {
        for (var i = 0; i < PerInvoke; i++, _n++)
        {
            _topPages.Record(Page(_n), At(_n));
        }
    }

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public void ActiveUsersRecord()
    {
        for (var i = 0; i < PerInvoke; i++, _n++)
        {
            _activeUsers.Record(User(_n), At(_n));
        }
    }

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public void TumblingWindowsRecord()
    {
        for (var i = 0; i < PerInvoke; i++, _n++)
        {
            var at = At(_n);
            _windows.Record(Page(_n), at - Latency, at);
        }
    }

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public void LatencyHistogramRecord()
    {
        for (var i = 0; i < PerInvoke; i++, _n++)
        {
            var at = At(_n);
            _latency.Record(at - Latency, at);
        }
    }

    /// <summary>With the system clock, as in the service: RunIntegrity reads it once per event.</summary>
    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public void RunIntegrityRecord()
    {
        for (var i = 0; i < PerInvoke; i++, _n++)
        {
            _integrity.Record(_runId, Seq(_n));
        }
    }

    private static DateTimeOffset At(long n) => T0 + TimeSpan.FromTicks(n * 1_000);

    private string Type(long n) => _types[(int)(n % _types.Length)];

    private string Page(long n) => _pages[(int)((n * 7_919) % _pages.Length)];

    private string User(long n) => _users[(int)((n * 104_729) % _users.Length)];

    /// <summary>Seqs 1, 2, 3, ... each up to 63 places from its turn, as when several partitions interleave.</summary>
    private long Seq(long n) => (n & ~63L) + _interleave[(int)(n & 63)] + 1;

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
