namespace ClickstreamApi.Generation.Dimensions;

/// <summary>One message for a dimension topic: a row (or a tombstone, <paramref name="Value"/> null) and its Kafka timestamp.</summary>
internal sealed record DimensionMessage(string Topic, byte[] Key, byte[]? Value, DateTimeOffset Timestamp, DimensionMessageKind Kind);
