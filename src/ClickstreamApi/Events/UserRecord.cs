namespace ClickstreamApi.Events;

/// <summary>
/// A row of the users dimension topic (<c>user_clickstream_users</c> by default), keyed by
/// <see cref="UserId"/>: the attributes a click's user has, as a stream-table join looks them up.
/// A deleted account is a tombstone (a null value) for its key. See docs/events.md, "Dimension topics".
/// </summary>
/// <param name="UserId">The user, as click events carry it: "1" to Generator:Users, or "crawler-N".</param>
/// <param name="Device">desktop, mobile or tablet: the device of the user's next session.</param>
/// <param name="UserAgent">The browser user agent of the user's next session; crawlers say bot, crawler or spider in it.</param>
/// <param name="Country">ISO 3166-1 alpha-2 country.</param>
/// <param name="Currency">ISO 4217 currency the shop shows the user's prices in (the country's).</param>
/// <param name="VisitorType">new or returning: whether the user had visited before the run began.</param>
/// <param name="Bot">Whether the user is one of the crawler identities.</param>
/// <param name="SignedUpAt">When the account was created (the run's start for new visitors and crawlers).</param>
/// <param name="UpdatedAt">When this version of the row took effect; also its Kafka timestamp.</param>
public sealed record UserRecord(
    string UserId,
    string Device,
    string UserAgent,
    string Country,
    string Currency,
    string VisitorType,
    bool Bot,
    DateTimeOffset SignedUpAt,
    DateTimeOffset UpdatedAt);
