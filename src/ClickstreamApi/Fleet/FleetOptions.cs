using System.ComponentModel.DataAnnotations;

namespace ClickstreamApi.Fleet;

/// <summary>
/// The <c>Fleet</c> configuration section: instances with the same <see cref="Name"/> on the same
/// cluster run as one generator, steered through Kafka (docs/fleet.md).
/// </summary>
public sealed class FleetOptions
{
    public const string SectionName = "Fleet";

    /// <summary>Join the fleet: the generator is then steered by /api/fleet, on any member.</summary>
    public bool Enabled { get; set; }

    /// <summary>The fleet's name: its consumer group is <c>clickstream-fleet-&lt;Name&gt;</c>.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Fleet:Name is required: the name the instances of one fleet share.")]
    [RegularExpression("^[a-zA-Z0-9._-]{1,100}$", ErrorMessage = "Fleet:Name must be 1-100 characters of letters, digits, '.', '_' or '-'.")]
    public string Name { get; set; } = "clickstream";

    /// <summary>Shards of the user population, the control topic's partitions when this instance creates it (an existing topic's count wins).</summary>
    [Range(1, 1024, ErrorMessage = "Fleet:Shards must be between 1 and 1024.")]
    public int Shards { get; set; } = 64;

    /// <summary>This member's name in the fleet; empty means the host name and the HTTP port (a pod's name in Kubernetes).</summary>
    [RegularExpression("^([a-zA-Z0-9._:-]{1,200})?$", ErrorMessage = "Fleet:MemberName must be empty or 1-200 characters of letters, digits, '.', '_', ':' or '-'.")]
    public string? MemberName { get; set; }

    /// <summary>How often each member publishes its snapshot to the status topic.</summary>
    [Range(100, 60_000, ErrorMessage = "Fleet:StatusIntervalMilliseconds must be between 100 and 60000.")]
    public int StatusIntervalMilliseconds { get; set; } = 1000;

    /// <summary>
    /// Put every member's consumer in one consumer group, <c>clickstream-fleet-&lt;Name&gt;-consumers</c> (unless
    /// Kafka:Consumer:group.id names one): each reads some partitions, so the fleet reads the stream once and
    /// consumption grows with the fleet; GET /api/fleet adds their analytics up. Off (the default): each member's
    /// consumer reads the whole stream in a group of its own, and any member's view is the fleet's.
    /// </summary>
    public bool ShareConsumerGroup { get; set; }

    /// <summary>The group's session time-out: a member silent this long is out, and its shards go to the others.</summary>
    [Range(3_000, 300_000, ErrorMessage = "Fleet:SessionTimeoutMilliseconds must be between 3000 and 300000.")]
    public int SessionTimeoutMilliseconds { get; set; } = 10_000;
}
