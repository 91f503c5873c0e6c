using System.Text;
using System.Text.Json;

namespace ClickstreamApi.IntegrationTests.Infrastructure;

/// <summary>One Server-Sent Events message: its id, event name, data, or a comment line.</summary>
public sealed record SseMessage(string? Id, string? Event, string? Data, string? Comment)
{
    public JsonElement Json => JsonDocument.Parse(Data!).RootElement;
}

/// <summary>Reads a text/event-stream response message by message, as a browser's EventSource would.</summary>
public sealed class SseReader(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    public async Task<SseMessage> ReadAsync(TimeSpan? timeout = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout ?? TimeSpan.FromSeconds(30));
        string? id = null, name = null, comment = null;
        StringBuilder? data = null;
        while (true)
        {
            var line = await _reader.ReadLineAsync(deadline.Token) ?? throw new EndOfStreamException("the stream ended");
            if (line.Length == 0)
            {
                if (id is null && name is null && data is null && comment is null)
                {
                    continue;
                }

                return new SseMessage(id, name, data?.ToString(), comment);
            }

            if (line.StartsWith(':'))
            {
                comment = line[1..].Trim();
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                (data ??= new StringBuilder()).Append(line[6..]);
            }
        }
    }

    /// <summary>Reads until a message satisfies the condition, returning all messages read.</summary>
    public async Task<List<SseMessage>> ReadUntilAsync(Func<SseMessage, bool> condition, TimeSpan? timeout = null)
    {
        var messages = new List<SseMessage>();
        var end = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var remaining = end - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"no matching message among {messages.Count} read");
            }

            var message = await ReadAsync(remaining);
            messages.Add(message);
            if (condition(message))
            {
                return messages;
            }
        }
    }

    public void Dispose() => _reader.Dispose();
}
