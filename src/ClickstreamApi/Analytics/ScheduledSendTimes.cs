using System.Numerics;

namespace ClickstreamApi.Analytics;

/// <summary>
/// When each recent event of this instance's generator was due to be sent, by run and <c>seq</c>:
/// the generator records it as it makes the event, the consumer's analytics look it up when the
/// event comes back, so latency can be measured from the schedule without the message carrying it.
/// </summary>
/// <remarks>
/// A ring of <see cref="Capacity"/> entries (16 bytes each, allocated once; nothing per event),
/// indexed by seq: an event is found while fewer than <see cref="Capacity"/> later events of its run
/// have been made (2^19: about 10 s at 50,000 events/s). Each entry holds a key (the run's token and
/// the seq) and the time. The writer blanks the key, writes the time, then the key; the reader reads
/// the key, the time and the key again, and takes the time only if both keys are the one it looks
/// for (a seqlock), so it never pairs one event's key with another's time and neither side locks.
/// Volatile writes are ordered among themselves and volatile reads too, which is all it needs.
/// One writer (the generator loop), one reader (the consumer thread).
/// <para>
/// Runs are told apart by a token per run begun, not by their id: a replayed simulated run repeats
/// its id and seqs, and only the newest run with an id is looked up. What cannot be matched is not
/// found, never guessed: another instance's events, events from before this process or of a run no
/// longer among the last few, a run with no schedule on the wall clock (nothing recorded), an entry
/// already overwritten. The caller counts those.
/// </para>
/// </remarks>
public sealed class ScheduledSendTimes
{
    /// <summary>Entries kept by default: 2^19 (8 MiB).</summary>
    public const int DefaultCapacity = 1 << 19;

    // The run being generated and the ones before it, whose last events may still be in flight.
    private const int RecentRuns = 4;

    // A key is the run's token above 40 bits of seq (a trillion events per run), 0 for an empty entry.
    private const int SeqBits = 40;
    private const long MaxSeq = (1L << SeqBits) - 1;
    private const long MaxToken = (1L << (63 - SeqBits)) - 1;

    private readonly Entry[] _entries;
    private readonly long _mask;

    // Newest first; replaced on a new run, never changed, so the reader takes it as it is.
    private RunToken[] _runs = [];
    private long _token;

    /// <param name="capacity">Entries kept: a power of two.</param>
    public ScheduledSendTimes(int capacity = DefaultCapacity)
    {
        if (capacity < 1 || !BitOperations.IsPow2(capacity))
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "Must be a power of two.");
        }

        _entries = new Entry[capacity];
        _mask = capacity - 1;
    }

    /// <summary>Entries kept: how many events a run may make before its oldest unconsumed one is forgotten.</summary>
    public int Capacity => _entries.Length;

    /// <summary>
    /// Writer only: begins run <paramref name="runId"/>; what <see cref="Record"/> writes from now on
    /// belongs to it. An earlier run with the same id (a replay) is not looked up any more.
    /// </summary>
    public void BeginRun(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);

        // Tokens wrap after 8 million runs; an entry left from the run that had a token before would
        // need the newest run of its id to have the same token to be matched.
        _token = _token == MaxToken ? 1 : _token + 1;
        var runs = new List<RunToken>(RecentRuns) { new(runId, _token) };
        foreach (var run in _runs)
        {
            if (runs.Count < RecentRuns && !string.Equals(run.Id, runId, StringComparison.Ordinal))
            {
                runs.Add(run);
            }
        }

        Volatile.Write(ref _runs, [.. runs]);
    }

    /// <summary>Writer only: event <paramref name="seq"/> of the run begun last was due at <paramref name="scheduledAt"/>.</summary>
    public void Record(long seq, DateTimeOffset scheduledAt)
    {
        if (_token == 0 || seq < 1 || seq > MaxSeq)
        {
            return;
        }

        ref var entry = ref _entries[seq & _mask];
        Volatile.Write(ref entry.Key, 0);
        Volatile.Write(ref entry.UtcTicks, scheduledAt.UtcTicks);
        Volatile.Write(ref entry.Key, Key(_token, seq));
    }

    /// <summary>Reader only: when event <paramref name="seq"/> of <paramref name="runId"/> was due, or null when that is not known.</summary>
    public DateTimeOffset? Find(string? runId, long? seq)
    {
        if (runId is null || seq is not { } number || number < 1 || number > MaxSeq)
        {
            return null;
        }

        var token = TokenOf(runId);
        if (token == 0)
        {
            return null;
        }

        var key = Key(token, number);
        ref var entry = ref _entries[number & _mask];
        if (Volatile.Read(ref entry.Key) != key)
        {
            return null;
        }

        var ticks = Volatile.Read(ref entry.UtcTicks);

        // Overwritten while being read: the time may be the next event's.
        return Volatile.Read(ref entry.Key) == key ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    }

    private long TokenOf(string runId)
    {
        foreach (var run in Volatile.Read(ref _runs))
        {
            if (string.Equals(run.Id, runId, StringComparison.Ordinal))
            {
                return run.Token;
            }
        }

        return 0;
    }

    private static long Key(long token, long seq) => (token << SeqBits) | seq;

    private struct Entry
    {
        public long Key;
        public long UtcTicks;
    }

    private readonly record struct RunToken(string Id, long Token);
}
