namespace ClickstreamApi.Consumption;

/// <summary>What the first message read on a partition after joining it tells about a run.</summary>
/// <param name="IsMarker">The message is the last one before the join point, read only for what it says: not consumed again.</param>
/// <param name="RunId">The run whose seqs below <paramref name="FirstCheckedSeq"/> may lie before the join point on this partition.</param>
/// <param name="FirstCheckedSeq">The lowest seq of that run this consumer is sure to read if it is on this partition.</param>
internal readonly record struct JoinObservation(bool IsMarker, string? RunId, long FirstCheckedSeq);

/// <summary>
/// Where this consumer joined each partition in the middle (resuming from a committed offset, or a
/// new group on a topic whose oldest messages are gone), and what that means for the runs on it.
/// A generator run's seqs grow with the offset within a partition, so the message just before the
/// join point (the <em>marker</em>, read once and not consumed again) holds the highest seq of its
/// run that this consumer will never read on that partition. When the marker cannot be read (it was
/// evicted), the first event read is the bound instead: seqs of its run below it may be before the
/// join. Pure bookkeeping for the consumer thread; no Kafka in here.
/// </summary>
internal sealed class PartitionJoins
{
    private readonly Dictionary<int, long?> _pending = [];

    /// <summary>Partitions whose join point has not been read yet.</summary>
    public int Pending => _pending.Count;

    /// <summary>
    /// Reading starts in the middle of <paramref name="partition"/>: at <paramref name="markerOffset"/>
    /// (the message just before the join point) when it is still held, otherwise (null) at the join point.
    /// </summary>
    public void JoinedMidway(int partition, long? markerOffset) => _pending[partition] = markerOffset;

    /// <summary>Reading starts at the partition's very beginning, or continues what this consumer read before.</summary>
    public void JoinedAtStart(int partition) => _pending.Remove(partition);

    /// <summary>The partition is no longer read by this consumer.</summary>
    public void Left(int partition) => _pending.Remove(partition);

    /// <summary>
    /// Looks at a message read at <paramref name="offset"/> of <paramref name="partition"/>, carrying
    /// run <paramref name="runId"/> and <paramref name="seq"/> when it is a generator event.
    /// </summary>
    public JoinObservation Observe(int partition, long offset, string? runId, long? seq)
    {
        if (!_pending.TryGetValue(partition, out var marker))
        {
            return default;
        }

        var isEvent = runId is not null && seq is > 0;
        if (marker is { } markerOffset && offset == markerOffset)
        {
            if (isEvent)
            {
                _pending.Remove(partition);
                return new JoinObservation(true, runId, seq!.Value + 1);
            }

            // Not an event of a run: the first event after it bounds its run instead.
            _pending[partition] = null;
            return new JoinObservation(true, null, 0);
        }

        if (marker is not null)
        {
            // The marker was not read (gone by the time of the fetch): fall back to the first event.
            _pending[partition] = null;
        }

        if (!isEvent)
        {
            return default;
        }

        _pending.Remove(partition);
        return new JoinObservation(false, runId, seq!.Value);
    }
}
