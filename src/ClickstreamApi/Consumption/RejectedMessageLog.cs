using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Consumption;

/// <summary>
/// Counts every rejected message by reason and keeps the newest few for inspection. Entries pushed
/// out of the small list are still counted in <see cref="Total"/>.
/// </summary>
public sealed class RejectedMessageLog(IOptions<ConsumerOptions> options)
{
    private readonly int _capacity = options.Value.RejectedCapacity;
    private readonly Queue<RejectedMessage> _recent = new();
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, long> _byReason = new(StringComparer.Ordinal);
    private long _total;

    public int Capacity => _capacity;

    public long Total => Interlocked.Read(ref _total);

    public void Add(RejectedMessage message)
    {
        _byReason.AddOrUpdate(message.Reason, 1, static (_, count) => count + 1);
        lock (_gate)
        {
            if (_recent.Count == _capacity)
            {
                _recent.Dequeue();
            }

            _recent.Enqueue(message);
        }

        Interlocked.Increment(ref _total);
    }

    public IReadOnlyDictionary<string, long> CountsByReason() =>
        new SortedDictionary<string, long>(_byReason, StringComparer.Ordinal);

    /// <summary>The retained messages, newest first.</summary>
    public RejectedMessage[] Newest()
    {
        lock (_gate)
        {
            var items = _recent.ToArray();
            Array.Reverse(items);
            return items;
        }
    }
}
