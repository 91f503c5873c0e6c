using ClickstreamApi.Events;

namespace ClickstreamApi.Schemas;

/// <summary>Plain JSON: exactly the bytes of <see cref="DimensionRecordSerializer"/>, no registry.</summary>
public sealed class JsonDimensionEncoder : IDimensionEncoder
{
    private readonly DimensionRecordSerializer _serializer = new();

    public OutputFormat Format => OutputFormat.Json;

    public IReadOnlyList<RegisteredEventSchema> Schemas => [];

    public Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public byte[] Encode(UserRecord user) => _serializer.Write(user).ToArray();

    public byte[] Encode(ProductRecord product) => _serializer.Write(product).ToArray();

    public void Dispose() => _serializer.Dispose();
}
