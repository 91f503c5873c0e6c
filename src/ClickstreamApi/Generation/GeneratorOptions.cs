using System.ComponentModel.DataAnnotations;

namespace ClickstreamApi.Generation;

/// <summary>The <c>Generator</c> configuration section: start-up defaults, not runtime state.</summary>
public sealed class GeneratorOptions : IValidatableObject
{
    public const string SectionName = "Generator";

    /// <summary>Lowest rate the generator accepts (one event every 100 s).</summary>
    public const double MinEventsPerSecond = 0.01;

    /// <summary>Start generating when the service starts.</summary>
    public bool AutoStart { get; set; } = true;

    /// <summary>Rate at start-up, in events per second.</summary>
    public double EventsPerSecond { get; set; } = 1;

    /// <summary>Highest rate <c>PUT /api/generator/rate</c> accepts.</summary>
    [Range(MinEventsPerSecond, 10_000_000, ErrorMessage = "Generator:MaxEventsPerSecond must be between 0.01 and 10000000.")]
    public double MaxEventsPerSecond { get; set; } = 1_000_000;

    /// <summary>Size of the simulated user population.</summary>
    [Range(1, 10_000_000, ErrorMessage = "Generator:Users must be between 1 and 10000000.")]
    public int Users { get; set; } = 10_000;

    /// <summary>Share of events that come from crawlers (their user agents say "bot"), 0 to 1.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Generator:BotShare must be between 0 and 1.")]
    public double BotShare { get; set; } = 0.02;

    /// <summary>Seed for the simulation; the same seed gives the same sequence of events (apart from times and event ids).</summary>
    public int? Seed { get; set; }

    /// <summary>
    /// On the embedded cluster, how many messages per partition a simulated run may be ahead of the
    /// service's own consumer before it waits for it: the embedded broker keeps only about 5 MiB per
    /// partition, so a backfill that ran further ahead would have its oldest events evicted before
    /// they are read. 0 never waits. Real clusters keep what their retention says: no waiting there.
    /// </summary>
    [Range(0, 1_000_000, ErrorMessage = "Generator:MaxConsumerLeadPerPartition must be between 0 and 1000000.")]
    public int MaxConsumerLeadPerPartition { get; set; } = 2_000;

    /// <summary>How long shutdown waits for produced events to be delivered.</summary>
    [Range(0, 120, ErrorMessage = "Generator:FlushTimeoutSeconds must be between 0 and 120.")]
    public int FlushTimeoutSeconds { get; set; } = 5;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!double.IsFinite(EventsPerSecond) || EventsPerSecond < MinEventsPerSecond || EventsPerSecond > MaxEventsPerSecond)
        {
            yield return new ValidationResult(
                $"Generator:EventsPerSecond must be between {MinEventsPerSecond} and Generator:MaxEventsPerSecond ({MaxEventsPerSecond}).",
                [nameof(EventsPerSecond)]);
        }
    }
}
