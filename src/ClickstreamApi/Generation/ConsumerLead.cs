namespace ClickstreamApi.Generation;

/// <summary>
/// Whether a producer that is <c>produced - read</c> messages ahead of a consumer should wait for
/// it: only while the consumer holds every partition (one that is off or shares its group reads
/// only part of the topic) and keeps reading; after <see cref="StallLimit"/> without progress it
/// is no longer waited for, until it reads again. Not thread-safe: the generating loop owns it.
/// </summary>
internal sealed class ConsumerLead(long maxLead, int partitions, TimeProvider time)
{
    /// <summary>How long the consumer may read nothing before the producer goes on without it.</summary>
    public static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(10);

    private long _lastRead = -1;
    private long _lastProgressAt;
    private bool _givenUp;

    public enum Decision
    {
        /// <summary>Close enough, or nothing to wait for.</summary>
        Go,

        /// <summary>Too far ahead of a consumer that is reading.</summary>
        Wait,

        /// <summary>Too far ahead, but the consumer has read nothing for the stall limit: go on (said once per stall).</summary>
        GiveUp,
    }

    public Decision Decide(long produced, long read, int partitionsHeld)
    {
        if (maxLead <= 0 || partitionsHeld < partitions || produced - read <= maxLead)
        {
            return Decision.Go;
        }

        var now = time.GetTimestamp();
        if (read != _lastRead)
        {
            _lastRead = read;
            _lastProgressAt = now;
            _givenUp = false;
            return Decision.Wait;
        }

        if (time.GetElapsedTime(_lastProgressAt, now) < StallLimit)
        {
            return Decision.Wait;
        }

        if (_givenUp)
        {
            return Decision.Go;
        }

        _givenUp = true;
        return Decision.GiveUp;
    }
}
