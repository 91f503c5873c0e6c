namespace ClickstreamApi.Events;

/// <summary>One Kafka header of a consumed event, its value as UTF-8 text (or <c>base64:</c> and the bytes when it is not text).</summary>
/// <param name="Key">The header's key; keys may repeat.</param>
/// <param name="Value">The header's value; null when the header has none.</param>
public readonly record struct EventHeader(string Key, string? Value);
