namespace ClickstreamApi.Analytics;

/// <summary>Gap and duplicate counts of one generator run.</summary>
/// <param name="RunId">The run.</param>
/// <param name="MinSeq">Lowest seq seen; above 1 when consumption began in the middle of the run.</param>
/// <param name="MaxSeq">Highest seq seen (or known to exist from a join point).</param>
/// <param name="Received">Distinct seqs seen.</param>
/// <param name="Duplicates">Arrivals of a seq already seen.</param>
/// <param name="Missing">Seqs from <see cref="JoinSeq"/> up to <see cref="MaxSeq"/> not seen yet: gaps once the run is quiet, gaps plus events in flight while it runs.</param>
/// <param name="BeforeJoin">Seqs below <see cref="JoinSeq"/> not seen: this consumer joined a partition of the run in the middle, and these may have been read before (by an earlier life of the service) or evicted before it joined. Never counted as missing.</param>
/// <param name="JoinSeq">Where checking starts: 1 when the consumer read the run's partitions from their start; otherwise the highest join point over the partitions it joined in the middle (see docs/reliability.md).</param>
/// <param name="LateArrivals">Seqs that arrived after the window had passed them, found among the missing and moved to received.</param>
/// <param name="MissingUntracked">Missing seqs that are counted but not remembered one by one: those below the first seq of a run joined mid-way (more than 65,536 below it), those skipped by a jump over a whole window, and any beyond the shared cap. A late arrival of one of them counts as a duplicate, so while this is above 0, <see cref="Duplicates"/> and <see cref="Missing"/> may each be too high by the same amount.</param>
/// <param name="FirstSeenAt">When the first event of the run was recorded.</param>
/// <param name="LastSeenAt">When the latest event of the run was recorded.</param>
public sealed record RunSnapshot(
    string RunId,
    long MinSeq,
    long MaxSeq,
    long Received,
    long Duplicates,
    long Missing,
    long BeforeJoin,
    long JoinSeq,
    long LateArrivals,
    long MissingUntracked,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset LastSeenAt);

/// <summary>Sequence integrity of the recent runs, at one moment.</summary>
/// <param name="Runs">The runs tracked, most recently seen first.</param>
/// <param name="Retired">Final numbers of the most recently evicted runs, most recently evicted first.</param>
/// <param name="EvictedRuns">Runs evicted to make room for newer ones; since start.</param>
/// <param name="InvalidSeqs">Events with a seq below 1, ignored; since start.</param>
public sealed record RunIntegritySnapshot(
    IReadOnlyList<RunSnapshot> Runs,
    IReadOnlyList<RunSnapshot> Retired,
    long EvictedRuns,
    long InvalidSeqs);

/// <summary>
/// Gap and duplicate detection for events carrying (runId, seq), over the most recent
/// <see cref="MaxRuns"/> runs. Memory stays bounded however long the service runs and whatever
/// producers send: at most <see cref="MaxRuns"/> runs with a bitmap of <see cref="WindowSeqs"/>
/// bits each (512 KB at most per run, allocated in 32 KB pages as it is reached), plus at most
/// <see cref="MaxTrackedMissing"/> remembered missing seqs shared by all runs (some 20–40 MB at
/// worst; beyond it missing seqs are only counted, see <see cref="RunSnapshot.MissingUntracked"/>).
/// A new run beyond <see cref="MaxRuns"/> evicts the least recently seen one, whose final numbers
/// move to a list of the last <see cref="MaxRuns"/> retired runs; if the evicted run shows up
/// again, it starts afresh. Single-threaded: the consumer thread records and takes snapshots.
/// </summary>
public sealed class RunIntegrity
{
    public const int MaxRuns = 16;

    /// <summary>Seqs above the window base that are tracked in the bitmap: 2^22, far more than are ever in flight at once.</summary>
    public const int WindowSeqs = 1 << 22;

    /// <summary>Missing seqs, across all runs, remembered one by one so a late arrival counts as received rather than duplicate.</summary>
    public const int MaxTrackedMissing = 1_000_000;

    private readonly TimeProvider _time;
    private readonly int _windowSeqs;
    private readonly MissingSeqBudget _budget;
    private readonly Dictionary<string, RunTracker> _runs = new(MaxRuns, StringComparer.Ordinal);
    private readonly RunSnapshot?[] _retired = new RunSnapshot?[MaxRuns];
    private RunTracker? _last;
    private long _touches;
    private long _evicted;
    private long _invalid;

    public RunIntegrity(TimeProvider time)
        : this(time, WindowSeqs, MaxTrackedMissing)
    {
    }

    /// <summary>Smaller windows and caps let tests cross them without millions of events.</summary>
    internal RunIntegrity(TimeProvider time, int windowSeqs, int maxTrackedMissing)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (windowSeqs < 64 || !int.IsPow2(windowSeqs))
        {
            throw new ArgumentOutOfRangeException(nameof(windowSeqs), windowSeqs, "The window must be a power of two of at least 64 seqs.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(maxTrackedMissing);
        _time = time;
        _windowSeqs = windowSeqs;
        _budget = new MissingSeqBudget(maxTrackedMissing);
    }

    /// <summary>Missing seqs all runs may still remember one by one.</summary>
    internal int MissingBudgetRemaining => _budget.Remaining;

    /// <summary>Counts one arrival of <paramref name="seq"/> of run <paramref name="runId"/>.</summary>
    public void Record(string runId, long seq)
    {
        ArgumentNullException.ThrowIfNull(runId);
        if (seq < 1)
        {
            _invalid++;
            return;
        }

        var now = _time.GetUtcNow();

        // Events mostly come from one run at a time: skip the lookup when it is the same one.
        var run = _last is not null && string.Equals(_last.RunId, runId, StringComparison.Ordinal)
            ? _last
            : Find(runId, now);
        run.LastSeenAt = now;
        run.LastTouched = ++_touches;
        run.Record(seq);
        _last = run;
    }

    /// <summary>
    /// The consumer joined a partition of run <paramref name="runId"/> in the middle: the run's seqs
    /// below <paramref name="firstCheckedSeq"/> may have been read before it joined, and count as
    /// before-join rather than missing when they do not arrive.
    /// </summary>
    public void RecordJoin(string runId, long firstCheckedSeq)
    {
        ArgumentNullException.ThrowIfNull(runId);
        if (firstCheckedSeq < 1)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var run = _last is not null && string.Equals(_last.RunId, runId, StringComparison.Ordinal) ? _last : Find(runId, now);
        run.LastTouched = ++_touches;
        run.RecordJoin(firstCheckedSeq);
        _last = run;
    }

    /// <summary>The numbers of every tracked run and of the recently retired ones.</summary>
    public RunIntegritySnapshot Snapshot()
    {
        var runs = new RunTracker[_runs.Count];
        _runs.Values.CopyTo(runs, 0);
        Array.Sort(runs, static (a, b) => b.LastTouched.CompareTo(a.LastTouched));
        var current = new RunSnapshot[runs.Length];
        for (var i = 0; i < runs.Length; i++)
        {
            current[i] = ToSnapshot(runs[i]);
        }

        var retired = new RunSnapshot[Math.Min(_evicted, MaxRuns)];
        for (var i = 0; i < retired.Length; i++)
        {
            retired[i] = _retired[(_evicted - 1 - i) % MaxRuns]!;
        }

        return new RunIntegritySnapshot(current, retired, _evicted, _invalid);
    }

    private RunTracker Find(string runId, DateTimeOffset now)
    {
        if (_runs.TryGetValue(runId, out var run))
        {
            return run;
        }

        if (_runs.Count >= MaxRuns)
        {
            Evict();
        }

        run = new RunTracker(runId, now, _windowSeqs, _budget);
        _runs.Add(runId, run);
        return run;
    }

    private void Evict()
    {
        RunTracker? oldest = null;
        foreach (var run in _runs.Values)
        {
            if (oldest is null || run.LastTouched < oldest.LastTouched)
            {
                oldest = run;
            }
        }

        _runs.Remove(oldest!.RunId);
        oldest.Release();
        if (ReferenceEquals(_last, oldest))
        {
            _last = null;
        }

        _retired[_evicted % MaxRuns] = ToSnapshot(oldest);
        _evicted++;
    }

    private static RunSnapshot ToSnapshot(RunTracker run) => new(
        run.RunId,
        run.MinSeq == long.MaxValue ? 0 : run.MinSeq,
        run.MaxSeq,
        run.Received,
        run.Duplicates,
        run.Missing,
        run.BeforeJoin,
        run.JoinSeq,
        run.LateArrivals,
        run.MissingUntracked,
        run.FirstSeenAt,
        run.LastSeenAt);
}
