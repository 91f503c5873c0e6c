using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace ClickstreamApi.IntegrationTests.Fleet;

/// <summary>One click event as a reader of the test's own found it: where it is, whose it is, which run and seq, its page and when it occurred.</summary>
public sealed record RecordedEvent(int Partition, long Offset, string Key, string RunId, long Seq, string? UserId = null, string? Page = null, DateTimeOffset? OccurredAt = null);

/// <summary>
/// Reads a topic live from its beginning with a Confluent.Kafka consumer of the test's own, on its own
/// thread, while the fleet writes it (the embedded broker keeps about 5 MiB per partition, so a run of
/// this size is read as it goes, not afterwards). Run id and seq come from the event's JSON.
/// </summary>
public sealed class LiveTopicRecorder : IDisposable
{
    private readonly ConcurrentQueue<RecordedEvent> _events = new();
    private readonly ConcurrentDictionary<int, long> _positions = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private long _unreadable;

    public LiveTopicRecorder(string bootstrapServers, string topic, int partitions)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"fleet-recorder-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            FetchWaitMaxMs = 5,
        };
        _thread = new Thread(() =>
        {
            using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
            consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
            while (!_stop.IsCancellationRequested)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (result is null || result.IsPartitionEOF)
                {
                    continue;
                }

                if (Parse(result.Message.Value) is { } parsed)
                {
                    _events.Enqueue(new RecordedEvent(result.Partition.Value, result.Offset.Value, Encoding.UTF8.GetString(result.Message.Key), parsed.RunId, parsed.Seq, parsed.UserId, parsed.Page, parsed.OccurredAt));
                }
                else
                {
                    Interlocked.Increment(ref _unreadable);
                }

                _positions[result.Partition.Value] = result.Offset.Value + 1;
            }

            consumer.Close();
        })
        { IsBackground = true, Name = "fleet-test-recorder" };
        _thread.Start();
    }

    public IReadOnlyList<RecordedEvent> Events => [.. _events];

    /// <summary>Messages that were not a click event with a runId and seq.</summary>
    public long Unreadable => Interlocked.Read(ref _unreadable);

    /// <summary>Whether every partition has been read up to the given end offsets.</summary>
    public bool HasRead(IReadOnlyDictionary<int, long> ends) => ends.All(end => end.Value == 0 || _positions.GetValueOrDefault(end.Key) >= end.Value);

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    private static (string RunId, long Seq, string? UserId, string? Page, DateTimeOffset? OccurredAt)? Parse(byte[]? value)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(value);
            var root = document.RootElement;
            if (!root.TryGetProperty("runId", out var run) || !root.TryGetProperty("seq", out var seq))
            {
                return null;
            }

            return (
                run.GetString()!,
                seq.GetInt64(),
                root.TryGetProperty("userId", out var user) ? user.GetString() : null,
                root.TryGetProperty("page", out var page) ? page.GetString() : null,
                root.TryGetProperty("occurredAt", out var occurred) ? occurred.GetDateTimeOffset() : null);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
