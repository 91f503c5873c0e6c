namespace ClickstreamApi.Consumption;

/// <summary>A message on the topic that was not a valid event.</summary>
/// <param name="Reason">Stable reason code (<c>not_json</c>, <c>missing_field</c>, ...).</param>
/// <param name="Detail">What exactly was wrong, naming the field where there is one.</param>
/// <param name="Partition">Partition the message was read from.</param>
/// <param name="Offset">Offset of the message in its partition.</param>
/// <param name="Timestamp">The Kafka message timestamp.</param>
/// <param name="SizeBytes">Size of the message value in bytes.</param>
/// <param name="Preview">The start of the value as text; control characters and bytes that are not UTF-8 are escaped.</param>
/// <param name="RejectedAt">When the consumer rejected it.</param>
public sealed record RejectedMessage(
    string Reason,
    string Detail,
    int Partition,
    long Offset,
    DateTimeOffset Timestamp,
    int SizeBytes,
    string Preview,
    DateTimeOffset RejectedAt);
