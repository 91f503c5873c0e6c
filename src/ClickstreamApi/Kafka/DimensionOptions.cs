using System.ComponentModel.DataAnnotations;

namespace ClickstreamApi.Kafka;

/// <summary>
/// The <c>Dimensions</c> configuration section: the users and products topics that click events
/// join to, and how often their rows change on a run's clock.
/// </summary>
/// <remarks>
/// Declared here, below the generator, because the topics are provisioned with the click topic
/// (<see cref="KafkaMonitor"/>); the generator reads the rates from the same section.
/// </remarks>
public sealed class DimensionOptions
{
    public const string SectionName = "Dimensions";

    /// <summary>Highest change rate accepted, per simulated hour.</summary>
    public const double MaxChangesPerHour = 10_000_000;

    private const string TopicPattern = "^([a-zA-Z0-9._-]{1,249})?$";

    /// <summary>Publish the dimension topics with every run.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The users topic; empty means <c>&lt;Kafka:Topic&gt;_users</c>.</summary>
    [RegularExpression(TopicPattern, ErrorMessage = "Dimensions:UsersTopic must be empty or 1-249 characters of letters, digits, '.', '_' or '-'.")]
    public string? UsersTopic { get; set; }

    /// <summary>The products topic; empty means <c>&lt;Kafka:Topic&gt;_products</c>.</summary>
    [RegularExpression(TopicPattern, ErrorMessage = "Dimensions:ProductsTopic must be empty or 1-249 characters of letters, digits, '.', '_' or '-'.")]
    public string? ProductsTopic { get; set; }

    /// <summary>Price changes per hour of the run's clock, over the whole catalogue.</summary>
    [Range(0, MaxChangesPerHour, ErrorMessage = "Dimensions:PriceChangesPerHour must be between 0 and 10000000.")]
    public double PriceChangesPerHour { get; set; } = 20;

    /// <summary>Users changing device or country, per hour of the run's clock.</summary>
    [Range(0, MaxChangesPerHour, ErrorMessage = "Dimensions:UserChangesPerHour must be between 0 and 10000000.")]
    public double UserChangesPerHour { get; set; } = 10;

    /// <summary>Accounts deleted per hour of the run's clock (at most a quarter of the population in a run).</summary>
    [Range(0, MaxChangesPerHour, ErrorMessage = "Dimensions:AccountDeletionsPerHour must be between 0 and 10000000.")]
    public double AccountDeletionsPerHour { get; set; } = 2;
}
