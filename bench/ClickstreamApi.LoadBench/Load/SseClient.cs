using System.Buffers.Text;

namespace ClickstreamApi.LoadBench.Load;

/// <summary>
/// One live-tail client of <c>/api/events/stream</c>. It reads the stream as bytes and keeps only
/// what the benchmark needs: the ranges of event sequences received (from each event's
/// <c>id: &lt;epoch&gt;-&lt;sequence&gt;</c>) and the <c>event: dropped</c> notices, so a hundred of
/// them can follow 10,000 events per second without this process becoming the bottleneck.
/// </summary>
internal sealed class SseClient
{
    private static readonly byte[] IdPrefix = "id: "u8.ToArray();
    private static readonly byte[] DroppedEvent = "event: dropped"u8.ToArray();
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] DroppedField = "\"dropped\":"u8.ToArray();

    // Contiguous runs of sequences received, in order; a new run starts after every gap.
    private readonly List<(long First, long Last)> _ranges = [];
    private bool _droppedPending;
    private long _lastSequence;
    private int _connected;

    /// <summary>Whether the response headers arrived with 200.</summary>
    public bool Connected => Volatile.Read(ref _connected) == 1;

    /// <summary>The newest sequence received so far.</summary>
    public long LastSequence => Volatile.Read(ref _lastSequence);

    /// <summary><c>event: dropped</c> notices received.</summary>
    public long DroppedNotices { get; private set; }

    /// <summary>Events the service said this client lost (the sum of the notices' <c>dropped</c>).</summary>
    public long DroppedEvents { get; private set; }

    /// <summary>Why the stream ended early, if it did.</summary>
    public string? Error { get; private set; }

    /// <summary>Events received with a sequence in (<paramref name="after"/>, <paramref name="upTo"/>]; read once the client has stopped.</summary>
    public long ReceivedBetween(long after, long upTo) =>
        _ranges.Sum(range => Math.Max(0, Math.Min(range.Last, upTo) - Math.Max(range.First, after + 1) + 1));

    public async Task RunAsync(HttpClient http, Uri uri, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                Error = $"HTTP {(int)response.StatusCode}";
                return;
            }

            Volatile.Write(ref _connected, 1);
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[64 * 1024];
            var filled = 0;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                if (read == 0)
                {
                    Error = "the stream ended";
                    return;
                }

                filled += read;
                var consumed = ProcessLines(buffer.AsSpan(0, filled));
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the benchmark.
        }
        catch (HttpRequestException exception)
        {
            Error = exception.Message;
        }
        catch (IOException exception)
        {
            Error = exception.Message;
        }
    }

    /// <summary>Handles every complete line and returns how many bytes they took.</summary>
    private int ProcessLines(ReadOnlySpan<byte> data)
    {
        var consumed = 0;
        while (true)
        {
            var end = data[consumed..].IndexOf((byte)'\n');
            if (end < 0)
            {
                return consumed;
            }

            ProcessLine(data.Slice(consumed, end));
            consumed += end + 1;
        }
    }

    private void ProcessLine(ReadOnlySpan<byte> line)
    {
        if (line.StartsWith(IdPrefix))
        {
            var dash = line.LastIndexOf((byte)'-');
            if (dash >= 0 && Utf8Parser.TryParse(line[(dash + 1)..], out long sequence, out _))
            {
                Received(sequence);
            }
        }
        else if (line.SequenceEqual(DroppedEvent))
        {
            _droppedPending = true;
            DroppedNotices++;
        }
        else if (_droppedPending && line.StartsWith(DataPrefix))
        {
            _droppedPending = false;
            var field = line.IndexOf(DroppedField);
            if (field >= 0 && Utf8Parser.TryParse(line[(field + DroppedField.Length)..], out long dropped, out _))
            {
                DroppedEvents += dropped;
            }
        }
    }

    private void Received(long sequence)
    {
        if (_ranges.Count > 0 && _ranges[^1].Last == sequence - 1)
        {
            _ranges[^1] = (_ranges[^1].First, sequence);
        }
        else
        {
            _ranges.Add((sequence, sequence));
        }

        Volatile.Write(ref _lastSequence, sequence);
    }
}
