using Microsoft.Extensions.Options;

namespace ClickstreamApi.Consumption;

/// <summary>
/// Connects live readers (Server-Sent Events tails) to the consumer without ever making the
/// consumer wait: the consumer appends to the ring buffer and pulses; each reader wakes, reads
/// what is new from the ring buffer at its own pace, and counts what was evicted before it got
/// there as dropped. Also caps how many streams may be open.
/// </summary>
public sealed class StreamHub(IOptions<StreamOptions> options)
{
    private readonly int _maxClients = options.Value.MaxClients;
    private TaskCompletionSource? _waiting;
    private int _clients;
    private long _dropped;
    private long _sent;
    private long _refused;

    /// <summary>Open streams now.</summary>
    public int Clients => Volatile.Read(ref _clients);

    public int MaxClients => _maxClients;

    /// <summary>Events streams could not deliver because their reader fell more than the buffer behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Events written to streams.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Streams refused because <see cref="MaxClients"/> were open.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Called by the consumer after appending; costs one read when nobody waits.</summary>
    public void Pulse()
    {
        if (Volatile.Read(ref _waiting) is not null)
        {
            Interlocked.Exchange(ref _waiting, null)?.TrySetResult();
        }
    }

    /// <summary>Completes at the next <see cref="Pulse"/>.</summary>
    public Task WaitForDataAsync()
    {
        while (true)
        {
            var current = Volatile.Read(ref _waiting);
            if (current is not null)
            {
                return current.Task;
            }

            var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (Interlocked.CompareExchange(ref _waiting, fresh, null) is null)
            {
                return fresh.Task;
            }
        }
    }

    public bool TryOpen()
    {
        if (Interlocked.Increment(ref _clients) <= _maxClients)
        {
            return true;
        }

        Interlocked.Decrement(ref _clients);
        Interlocked.Increment(ref _refused);
        return false;
    }

    public void Close() => Interlocked.Decrement(ref _clients);

    internal void CountDropped(long count) => Interlocked.Add(ref _dropped, count);

    internal void CountSent(long count) => Interlocked.Add(ref _sent, count);
}
