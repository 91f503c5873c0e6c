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
/// starts its window 65,536 seqs below its first seq: the seqs before that are missing from this
/// tracker's point of view, but remembering millions of them one by one would stall the consumer
/// and use up the shared budget, so they are only counted as untracked.
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

    public long MissingUntracked { get; private set; }

    /// <summary>Missing seqs remembered one by one (they go back to the budget when the run is evicted).</summary>
    public int MissingTracked => _missing?.Count ?? 0;

    /// <summary>Counts one arrival of <paramref name="seq"/> (at least 1).</summary>
    public void Record(long seq)
    {
        if (MaxSeq == 0 && seq > _joinLookback + 1)
        {
            // First event, far from seq 1: joining mid-run. The bitmap is empty, so just move the base.
            _base = seq - _joinLookback;
            MissingUntracked += _base - 1;
        }

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
                Received++;
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
        Received++;
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
            MissingUntracked += newBase - windowEnd;
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
                MissingUntracked += BitOperations.PopCount(bits);
                return;
            }

            _missing ??= [];
            _missing.Add(wordStart + BitOperations.TrailingZeroCount(bits));
            _budget.Remaining--;
            bits &= bits - 1;
        }
    }
}
