using ClickstreamApi.Kafka;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Generation;

/// <summary>
/// Holds a simulated run back while it is too far ahead of the service's own consumer on the
/// embedded cluster (see <see cref="GeneratorOptions.MaxConsumerLeadPerPartition"/>). A simulated
/// run's events carry their scheduled times, so waiting changes only how long it takes, never what
/// it writes. It only waits while the consumer holds every partition and keeps reading: a consumer
/// that is off, shares its group, or stops for <see cref="StallLimit"/> is not waited for.
/// </summary>
internal sealed partial class ConsumerLeadGate(
    TopicProgress progress,
    KafkaEnvironment kafka,
    ClickProducer producer,
    IOptions<GeneratorOptions> options,
    TimeProvider time,
    ILogger<ConsumerLeadGate> logger)
{
    /// <summary>How long the consumer may read nothing before the run goes on without it.</summary>
    public static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(10);

    private readonly long _maxLead = (long)options.Value.MaxConsumerLeadPerPartition * kafka.Partitions;
    private long _lastRead = -1;
    private long _lastProgressAt;
    private bool _stallReported;

    /// <summary>Whether the run should wait before its next batch.</summary>
    public bool ShouldWait()
    {
        if (kafka.Mode != KafkaMode.Embedded || _maxLead <= 0 || progress.PartitionsHeld < kafka.Partitions)
        {
            return false;
        }

        var read = progress.MessagesRead;
        if (producer.Produced - read <= _maxLead)
        {
            return false;
        }

        var now = time.GetTimestamp();
        if (read != _lastRead)
        {
            _lastRead = read;
            _lastProgressAt = now;
            _stallReported = false;
            return true;
        }

        if (time.GetElapsedTime(_lastProgressAt, now) < StallLimit)
        {
            return true;
        }

        if (!_stallReported)
        {
            _stallReported = true;
            LogStalled(StallLimit.TotalSeconds, producer.Produced - read);
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The service's consumer has read nothing for {Seconds} s while {Lead} messages ahead: the simulated run goes on without waiting for it (what the embedded broker evicts before it is read is counted as skipped)")]
    private partial void LogStalled(double seconds, long lead);
}
