using ClickstreamApi.Events;

namespace ClickstreamApi.Schemas;

/// <summary>Plain JSON (the default): exactly the bytes of <see cref="ClickEventSerializer"/>, no registry.</summary>
public sealed class JsonEventEncoder : IEventEncoder
{
    private readonly ClickEventSerializer _serializer = new();
    private readonly ExactLengthBuffers _buffers = new();

    public OutputFormat Format => OutputFormat.Json;

    public RegisteredEventSchema? Schema => null;

    public Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask<byte[]> EncodeAsync(ClickEvent clickEvent) => ValueTask.FromResult(_buffers.Copy(_serializer.Write(clickEvent)));

    public void Dispose() => _serializer.Dispose();
}
