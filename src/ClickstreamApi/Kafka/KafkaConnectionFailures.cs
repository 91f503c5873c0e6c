using Confluent.Kafka;

namespace ClickstreamApi.Kafka;

/// <summary>The connection failures all Kafka clients of the service have seen, at one moment.</summary>
/// <param name="Total">Failed connection attempts since start (every client counts its own).</param>
/// <param name="LastReason">librdkafka's words for the latest one.</param>
/// <param name="LastAt">When the latest one happened.</param>
public readonly record struct ConnectionFailureCount(long Total, string? LastReason, DateTimeOffset? LastAt);

/// <summary>
/// Counts the connection failures librdkafka reports while it retries in the background (one error
/// and one log line per attempt per client, which in an outage means hundreds of lines a minute),
/// so that <see cref="KafkaLogging"/> can keep them out of the log and <see cref="KafkaMonitor"/>
/// can summarize them. Called from librdkafka's threads.
/// </summary>
public sealed class KafkaConnectionFailures(TimeProvider time)
{
    private readonly Lock _gate = new();
    private long _total;
    private string? _lastReason;
    private DateTimeOffset? _lastAt;

    public ConnectionFailureCount Current
    {
        get
        {
            lock (_gate)
            {
                return new ConnectionFailureCount(_total, _lastReason, _lastAt);
            }
        }
    }

    /// <summary>True for the errors librdkafka raises about reaching brokers (it retries them by itself).</summary>
    public static bool IsConnectionError(Error error) =>
        !error.IsFatal && error.Code is ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_Resolve
            or ErrorCode.Local_Authentication or ErrorCode.Local_Ssl;

    /// <summary>True for librdkafka's per-attempt connection log lines (facility FAIL), which repeat its errors.</summary>
    public static bool IsConnectionLog(LogMessage message) =>
        string.Equals(message.Facility, "FAIL", StringComparison.Ordinal);

    /// <summary>Counts one failed attempt (librdkafka's "all brokers down" summary is not an attempt of its own).</summary>
    public void Record(Error error)
    {
        lock (_gate)
        {
            if (error.Code != ErrorCode.Local_AllBrokersDown)
            {
                _total++;
            }

            _lastReason = error.Reason;
            _lastAt = time.GetUtcNow();
        }
    }
}
