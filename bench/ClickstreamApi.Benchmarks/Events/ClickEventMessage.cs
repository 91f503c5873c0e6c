namespace ClickstreamApi.Benchmarks.Events;

/// <summary>
/// What source-generated deserialization needs to read an event: every field optional, so that a
/// validator can tell a missing field from a default value and name it. A second copy of the field
/// list, which is part of the price of the generated reader.
/// </summary>
public sealed record ClickEventMessage
{
    public Guid? EventId { get; init; }

    public int? SchemaVersion { get; init; }

    public long? Seq { get; init; }

    public string? RunId { get; init; }

    public string? UserId { get; init; }

    public string? SessionId { get; init; }

    public string? EventType { get; init; }

    public string? Page { get; init; }

    public string? Referrer { get; init; }

    public string? Device { get; init; }

    public DateTimeOffset? OccurredAt { get; init; }

    public string? UserAgent { get; init; }

    public string? Country { get; init; }

    public string? VisitorType { get; init; }

    public int? Status { get; init; }

    public string? Category { get; init; }

    public string? ProductId { get; init; }

    public string? Query { get; init; }

    public string? Element { get; init; }

    public int? Quantity { get; init; }

    public decimal? Amount { get; init; }

    public string? Currency { get; init; }

    public string? OrderId { get; init; }

    public IReadOnlyList<string>? ProductIds { get; init; }

    public string? UtmSource { get; init; }

    public string? UtmMedium { get; init; }

    public string? UtmCampaign { get; init; }
}
