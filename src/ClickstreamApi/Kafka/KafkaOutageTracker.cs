namespace ClickstreamApi.Kafka;

/// <summary>What <see cref="KafkaOutageTracker"/> says to log.</summary>
public enum OutageLineKind
{
    /// <summary>The cluster stopped answering.</summary>
    Started,

    /// <summary>Still no answer: the periodic summary.</summary>
    StillUnreachable,

    /// <summary>It answers again.</summary>
    Recovered,

    /// <summary>The cluster answers, but connections to some broker keep failing.</summary>
    ConnectionFailures,
}

/// <summary>One line to log about Kafka's reachability.</summary>
/// <param name="Kind">Which line.</param>
/// <param name="Duration">How long the outage has lasted (or, for <see cref="OutageLineKind.ConnectionFailures"/>, since the last such line).</param>
/// <param name="Attempts">Failed connection attempts in that time, over all clients.</param>
/// <param name="Reason">librdkafka's words for the latest failure.</param>
public sealed record OutageLine(OutageLineKind Kind, TimeSpan Duration, long Attempts, string? Reason);

/// <summary>
/// Turns the monitor's probe results and the clients' connection-failure count into at most one log
/// line per <c>interval</c>: one when the cluster stops answering, a summary every interval while it
/// does not, one when it answers again. Pure: the caller passes the time.
/// </summary>
public sealed class KafkaOutageTracker(TimeSpan interval)
{
    private DateTimeOffset? _outageSince;
    private long _attemptsBeforeOutage;
    private long _reportedAttempts;
    private DateTimeOffset _lastLineAt = DateTimeOffset.MinValue;

    /// <summary>Whether an outage is going on (the last probe was not answered).</summary>
    public bool InOutage => _outageSince is not null;

    /// <summary>The line to log after a probe, if any.</summary>
    public OutageLine? Observe(bool reachable, ConnectionFailureCount failures, DateTimeOffset now)
    {
        if (!reachable)
        {
            if (_outageSince is not { } since)
            {
                _outageSince = now;
                _lastLineAt = now;
                return new OutageLine(OutageLineKind.Started, TimeSpan.Zero, failures.Total - _attemptsBeforeOutage, failures.LastReason);
            }

            if (now - _lastLineAt < interval)
            {
                return null;
            }

            _lastLineAt = now;
            return new OutageLine(OutageLineKind.StillUnreachable, now - since, failures.Total - _attemptsBeforeOutage, failures.LastReason);
        }

        if (_outageSince is { } started)
        {
            _outageSince = null;
            _lastLineAt = now;
            var attempts = failures.Total - _attemptsBeforeOutage;
            _attemptsBeforeOutage = _reportedAttempts = failures.Total;
            return new OutageLine(OutageLineKind.Recovered, now - started, attempts, failures.LastReason);
        }

        var previousLine = _lastLineAt;
        _attemptsBeforeOutage = failures.Total;
        if (failures.Total == _reportedAttempts || now - previousLine < interval)
        {
            return null;
        }

        var failed = failures.Total - _reportedAttempts;
        _reportedAttempts = failures.Total;
        _lastLineAt = now;
        return new OutageLine(OutageLineKind.ConnectionFailures, previousLine == DateTimeOffset.MinValue ? TimeSpan.Zero : now - previousLine, failed, failures.LastReason);
    }
}
