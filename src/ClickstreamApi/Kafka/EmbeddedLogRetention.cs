using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Kafka;

/// <summary>
/// On the embedded cluster only: deletes the messages of the click topic that the service's consumer
/// group has committed, keeping the newest <see cref="KafkaOptions.EmbeddedReadRetention"/> of them
/// per partition. The embedded broker finds the message set of every fetch by walking the
/// partition's log from its oldest set, so a full log (about 5 MiB per partition) makes every fetch
/// slow; a short one keeps latency low at steady state (BENCHMARKS.md, issue 15). It deletes only
/// while a live run generates (<see cref="ILiveRunSignal"/>): a dataset stays whole.
/// </summary>
/// <remarks>
/// Nothing the group has not committed is ever deleted, and the log's start only moves forward: a
/// deletion is made only when the messages from its new start to the end are far below the broker's
/// own limit, so the broker cannot have evicted past it meanwhile (the broker would otherwise accept a
/// start below its oldest message and leave readers there stuck).
/// </remarks>
public sealed partial class EmbeddedLogRetention(
    KafkaEnvironment kafka,
    KafkaClusterStatus cluster,
    TopicProgress progress,
    ILiveRunSignal liveRun,
    IOptions<KafkaOptions> options,
    TimeProvider time,
    ILogger<EmbeddedLogRetention> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The broker keeps at most 5 MiB per partition; stay well below it (the rest is room for what is produced while a round runs).</summary>
    private const long SafeBytes = 3L * 1024 * 1024;

    /// <summary>Beyond its value, a message's key, headers and share of its record batch.</summary>
    private const int OverheadBytes = 512;

    private long _deleted;

    /// <summary>Messages of the click topic deleted by this retention since the service started.</summary>
    public long Deleted => Interlocked.Read(ref _deleted);

    /// <summary>Messages per partition kept after they are committed; 0 when the retention is off (or the cluster is not embedded).</summary>
    public int Keep => kafka.Embedded is null ? 0 : options.Value.EmbeddedReadRetention;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Keep == 0 || kafka.Embedded is not { } embedded)
        {
            return;
        }

        await cluster.TopicReady.WaitAsync(stoppingToken);
        LogEnabled(kafka.Topic, Keep);
        using var admin = new AdminClientBuilder(kafka.CreateAdminConfig()).Build();
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await TrimAsync(admin, embedded);
            }
            catch (KafkaException ex)
            {
                // The broker did not answer this round (chaos, start-up): nothing is deleted, try again.
                LogRoundFailed(ex.Error.Reason);
            }
        }
    }

    private async Task TrimAsync(IAdminClient admin, EmbeddedKafkaCluster embedded)
    {
        var committed = progress.Committed();
        if (committed.Count == 0 || !liveRun.LiveRunGenerating)
        {
            return;
        }

        var messageBytes = Math.Max(progress.LargestValueBytes, 1) + OverheadBytes;
        var safeMessages = SafeBytes / messageBytes;
        var ends = await OffsetsAsync(admin, committed, OffsetSpec.Latest());
        var starts = await OffsetsAsync(admin, committed, OffsetSpec.Earliest());
        var deleted = 0L;
        foreach (var (partition, offset) in committed)
        {
            var before = offset - Keep;
            if (!ends.TryGetValue(partition, out var end) || !starts.TryGetValue(partition, out var start)
                || before <= start || end - before > safeMessages)
            {
                continue;
            }

            var error = embedded.DeleteRecords(kafka.Topic, partition, before);
            if (error != 0)
            {
                LogDeleteFailed(partition, before, LibRdKafka.DescribeError(error));
                continue;
            }

            deleted += before - start;
        }

        if (deleted > 0)
        {
            Interlocked.Add(ref _deleted, deleted);
        }
    }

    private async Task<Dictionary<int, long>> OffsetsAsync(IAdminClient admin, IReadOnlyList<KeyValuePair<int, long>> partitions, OffsetSpec spec)
    {
        var request = partitions.Select(p => new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition(kafka.Topic, p.Key), OffsetSpec = spec });
        var result = await admin.ListOffsetsAsync(request, new ListOffsetsOptions { RequestTimeout = RequestTimeout });
        return result.ResultInfos
            .Where(info => !info.TopicPartitionOffsetError.Error.IsError)
            .ToDictionary(info => info.TopicPartitionOffsetError.Partition.Value, info => info.TopicPartitionOffsetError.Offset.Value);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded cluster: while a live run generates, messages of {Topic} are deleted once the consumer group has committed them, keeping the newest {Keep} per partition (Kafka:EmbeddedReadRetention; 0 keeps the broker's own ~5 MiB per partition; bounded and simulated runs are kept whole)")]
    private partial void LogEnabled(string topic, int keep);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Embedded log retention: the broker did not answer ({Reason}); nothing deleted this round")]
    private partial void LogRoundFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedded log retention: deleting partition {Partition} before offset {Offset} failed: {Reason}")]
    private partial void LogDeleteFailed(int partition, long offset, string reason);
}
