using System.Numerics;

namespace ClickstreamApi.Analytics;

/// <summary>How many missing seqs all runs together may still remember one by one.</summary>
internal sealed class MissingSeqBudget(int capacity)
{
    public int Remaining { get; set; } = capacity;
}

/// <summary>
/// Gap and duplicate detection for one run's seqs (1, 2, 3, … with no gaps). Arrival across Kafka
/// partitions is only roughly in order, so seqs within a sliding window of <c>windowSeqs</c>
/// above a base are marked in a bitmap; when a seq beyond the window arrives, the window slides
/// and every seq it leaves behind unmarked is declared missing and remembered in a set (as far as
/// the shared budget allows), so a late arrival below the window can still tell "missing, now
/// received" from "duplicate". The bitmap is a ring allocated in 32 KB pages as seqs reach them,
/// so a short run costs one page and a long one at most <c>windowSeqs</c> / 8 bytes.
/// <para>
/// A run first seen in the middle (the service restarted, or the run was evicted and came back)
/// starts its window 65,536 seqs below its first seq: the seqs before that are never remembered one
/// by one (millions of them would stall the consumer and use up the shared budget).
/// </para>
/// <para>
/// The join point: when the consumer joined a partition in the middle, the seqs of this run below
/// <see cref="JoinSeq"/> may have been read before it joined (by an earlier life of this service, or
/// before the broker evicted them). Those not seen are counted in <see cref="BeforeJoin"/>, never in
/// the missing ones; from <see cref="JoinSeq"/> on, every seq not seen is missing.
/// </para>
/// </summary>
internal sealed class RunTracker
{
    private const int MaxPageBits = 18;

    // How far below the first seq of a run joined mid-way the window starts: events of the run
    // still in flight on other partitions arrive at most this far behind (else they count as duplicates).
    private const int JoinLookback = 65_536;

    private readonly long _windowMask;
    private readonly long _joinLookback;
    private readonly int _pageBits;
    private readonly int _wordsPerPage;
    private readonly ulong[]?[] _pages;
    private readonly MissingSeqBudget _budget;
    private HashSet<long>? _missing;

    // Seqs below the base have left the bitmap; the window is [base, base + windowSeqs).
    private long _base = 1;

    // Seqs below this were never in the window (the run was first seen far from seq 1).
    private long _initialGapEnd = 1;
    private bool _started;
    private long _receivedBelowJoin;
    private long _untracked;

    public RunTracker(string runId, DateTimeOffset firstSeenAt, int windowSeqs, MissingSeqBudget budget)
    {
        RunId = runId;
        FirstSeenAt = firstSeenAt;
        LastSeenAt = firstSeenAt;
        MinSeq = long.MaxValue;
        _windowMask = windowSeqs - 1;
        _joinLookback = Math.Min(JoinLookback, windowSeqs / 2);
        _pageBits = Math.Min(MaxPageBits, BitOperations.Log2((uint)windowSeqs));
        _wordsPerPage = (1 << _pageBits) / 64;
        _pages = new ulong[]?[windowSeqs >> _pageBits];
        _budget = budget;
    }

    public string RunId { get; }

    public DateTimeOffset FirstSeenAt { get; }

    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>Order of last use among all runs, for evicting the least recently seen.</summary>
    public long LastTouched { get; set; }

    public long MinSeq { get; private set; }

    public long MaxSeq { get; private set; }

    public long Received { get; private set; }

    public long Duplicates { get; private set; }

    public long LateArrivals { get; private set; }

    /// <summary>Seqs from this one on are checked: below it, a seq not seen may have been read before the consumer joined.</summary>
    public long JoinSeq { get; private set; } = 1;

    /// <summary>Seqs below <see cref="JoinSeq"/> not seen (read before the join, or evicted before it).</summary>
    public long BeforeJoin => Math.Max(0, JoinSeq - 1 - _receivedBelowJoin);

    /// <summary>Seqs from <see cref="JoinSeq"/> to <see cref="MaxSeq"/> not seen.</summary>
    public long Missing => Math.Max(0, MaxSeq - Received - BeforeJoin);

    /// <summary>Missing seqs that are counted but not remembered one by one (a late arrival of one looks like a duplicate).</summary>
    public long MissingUntracked => _untracked + Math.Max(0, _initialGapEnd - JoinSeq);

    /// <summary>Missing seqs remembered one by one (they go back to the budget when the run is evicted).</summary>
    public int MissingTracked => _missing?.Count ?? 0;

    /// <summary>Counts one arrival of <paramref name="seq"/> (at least 1).</summary>
    public void Record(long seq)
    {
        StartAt(seq);
        MinSeq = Math.Min(MinSeq, seq);
        MaxSeq = Math.Max(MaxSeq, seq);
        if (seq > _base + _windowMask)
        {
            Slide(seq - _windowMask);
        }

        if (seq < _base)
        {
            if (_missing is not null && _missing.Remove(seq))
            {
                _budget.Remaining++;
                CountReceived(seq);
                LateArrivals++;
            }
            else
            {
                // Seen before; or, once MissingUntracked > 0, possibly a missing seq the set had no room for.
                Duplicates++;
            }

            return;
        }

        var position = seq & _windowMask;
        var page = _pages[position >> _pageBits] ??= new ulong[_wordsPerPage];
        ref var word = ref page[(position >> 6) & (_wordsPerPage - 1)];
        var bit = 1UL << (int)(position & 63);
        if ((word & bit) != 0)
        {
            Duplicates++;
            return;
        }

        word |= bit;
        CountReceived(seq);
    }

    /// <summary>
    /// Seqs below <paramref name="firstCheckedSeq"/> may have been read before the consumer joined a
    /// partition; the join point only ever rises.
    /// </summary>
    public void RecordJoin(long firstCheckedSeq)
    {
        StartAt(firstCheckedSeq);
        if (firstCheckedSeq <= JoinSeq)
        {
            return;
        }

        _receivedBelowJoin += ReceivedIn(JoinSeq, firstCheckedSeq);
        JoinSeq = firstCheckedSeq;
        // The seqs before the join point exist, seen or not.
        MaxSeq = Math.Max(MaxSeq, firstCheckedSeq - 1);
    }

    /// <summary>On the first seq or join point of the run: a run first met far from seq 1 starts its window a little below.</summary>
    private void StartAt(long seq)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        if (seq > _joinLookback + 1)
        {
            // The bitmap is empty, so just move the base.
            _base = _initialGapEnd = seq - _joinLookback;
        }
    }

    private void CountReceived(long seq)
    {
        Received++;
        if (seq < JoinSeq)
        {
            _receivedBelowJoin++;
        }
    }

    /// <summary>
    /// Distinct seqs seen in [<paramref name="from"/>, <paramref name="to"/>). Exact inside the window
    /// and the initial gap; below the window it trusts the remembered missing seqs (a join point raised
    /// that late, millions of seqs into a run, only comes from a rebalance in a shared group).
    /// </summary>
    private long ReceivedIn(long from, long to)
    {
        long received = 0;
        var low = Math.Max(from, _base);
        var high = Math.Min(to, _base + _windowMask + 1);
        for (var seq = low; seq < high;)
        {
            var position = seq & _windowMask;
            var offset = (int)(position & 63);
            var bits = (int)Math.Min(64 - offset, high - seq);
            var mask = (bits == 64 ? ulong.MaxValue : (1UL << bits) - 1) << offset;
            var page = _pages[position >> _pageBits];
            if (page is not null)
            {
                received += BitOperations.PopCount(page[(int)((position >> 6) & (_wordsPerPage - 1))] & mask);
            }

            seq += bits;
        }

        var slidLow = Math.Max(from, _initialGapEnd);
        var slidHigh = Math.Min(to, _base);
        if (slidLow < slidHigh)
        {
            var missing = 0L;
            if (_missing is not null)
            {
                foreach (var seq in _missing)
                {
                    if (seq >= slidLow && seq < slidHigh)
                    {
                        missing++;
                    }
                }
            }

            received += slidHigh - slidLow - missing;
        }

        return received;
    }

    /// <summary>Releases the remembered missing seqs back to the shared budget.</summary>
    public void Release()
    {
        _budget.Remaining += MissingTracked;
        _missing = null;
    }

    /// <summary>Moves the window up to start at <paramref name="newBase"/>, declaring unmarked seqs below it missing.</summary>
    private void Slide(long newBase)
    {
        var windowEnd = _base + _windowMask + 1;
        var end = Math.Min(newBase, windowEnd);

        // Word by word: the common case, a full word, costs one comparison and one store.
        for (var seq = _base; seq < end;)
        {
            var position = seq & _windowMask;
            var offset = (int)(position & 63);
            var bits = (int)Math.Min(64 - offset, end - seq);
            var mask = (bits == 64 ? ulong.MaxValue : (1UL << bits) - 1) << offset;
            var page = _pages[position >> _pageBits];
            var wordIndex = (int)((position >> 6) & (_wordsPerPage - 1));
            var word = page is null ? 0 : page[wordIndex];
            var missing = ~word & mask;
            if (missing != 0)
            {
                DeclareMissing(seq - offset, missing);
            }

            if (page is not null)
            {
                page[wordIndex] = word & ~mask;
            }

            seq += bits;
        }

        // A jump further than the whole window skips seqs that were never in it: they are missing
        // too, but too many to list, so they are only counted.
        if (newBase > windowEnd)
        {
            _untracked += Math.Max(0, newBase - Math.Max(windowEnd, JoinSeq));
        }

        _base = newBase;
    }

    /// <summary>Declares missing each seq <paramref name="wordStart"/> + i for the set bits i of <paramref name="bits"/>.</summary>
    private void DeclareMissing(long wordStart, ulong bits)
    {
        while (bits != 0)
        {
            if (_budget.Remaining == 0)
            {
                _untracked += BitOperations.PopCount(bits);
                return;
            }

            _missing ??= [];
            _missing.Add(wordStart + BitOperations.TrailingZeroCount(bits));
            _budget.Remaining--;
            bits &= bits - 1;
        }
    }
}
