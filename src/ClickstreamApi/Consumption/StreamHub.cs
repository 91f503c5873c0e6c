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

/// <summary>The <c>Stream</c> configuration section: live tails over Server-Sent Events.</summary>
public sealed class StreamOptions
{
    public const string SectionName = "Stream";

    /// <summary>Streams open at once; more get a 503 problem.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100_000, ErrorMessage = "Stream:MaxClients must be between 1 and 100000.")]
    public int MaxClients { get; set; } = 200;

    /// <summary>Seconds of silence after which a stream sends a heartbeat comment.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 300, ErrorMessage = "Stream:HeartbeatSeconds must be between 1 and 300.")]
    public int HeartbeatSeconds { get; set; } = 5;

    /// <summary>Milliseconds a stream waits after a write to gather the next batch (fewer, larger writes at high rates).</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 1000, ErrorMessage = "Stream:BatchMilliseconds must be between 0 and 1000.")]
    public int BatchMilliseconds { get; set; } = 10;
}
