using System.ComponentModel.DataAnnotations;
using ClickstreamApi.Consumption;
using ClickstreamApi.Generation;
using ClickstreamApi.Generation.Dimensions;
using ClickstreamApi.Generation.Pacing;
using ClickstreamApi.Kafka;
using ClickstreamApi.Schemas;

namespace ClickstreamApi.Api;

/// <summary>The generator's state and counters.</summary>
/// <param name="Running">Whether events are being generated now.</param>
/// <param name="EventsPerSecond">The profile's target rate (for burst: the rate within bursts; for ramp: the rate it ramps to).</param>
/// <param name="MaxEventsPerSecond">The highest rate that may be set (Generator:MaxEventsPerSecond).</param>
/// <param name="RunId">The current or last run; each start begins a new run whose events count <c>seq</c> from 1.</param>
/// <param name="RunStartedAt">When that run started.</param>
/// <param name="Produced">Messages handed to the Kafka producer since the service started (events and injected faults).</param>
/// <param name="Delivered">Messages acknowledged by the cluster.</param>
/// <param name="Failed">Messages that could not be delivered.</param>
/// <param name="Queued">Messages handed over and not yet delivered or failed.</param>
/// <param name="QueueFullBackoffs">Times the producer's local queue was full and the generator waited (nothing is dropped).</param>
/// <param name="ScheduleResets">Times the generator fell over a second behind its schedule and skipped ahead.</param>
/// <param name="Profile">The rate profile and its parameters.</param>
/// <param name="TargetEventsPerSecond">The profile's rate at this moment (a ramp's current value, 0 in a burst's pause).</param>
/// <param name="Achieved">Events generated per second, measured.</param>
/// <param name="SkippedEvents">Events the schedule skipped when the generator fell behind (never generated, so never lost).</param>
/// <param name="Seed">The current or last run's seed; start a run with it to replay the same events.</param>
/// <param name="MaxEvents">The run stops by itself after this many delivered events, when set.</param>
/// <param name="RunEvents">Events generated in the current or last run (the highest <c>seq</c>).</param>
/// <param name="Faults">Test-data faults being injected.</param>
/// <param name="Injected">Faults injected since the service started, to reconcile with what consumers saw.</param>
/// <param name="WaitingForKafka">Why handed-over events wait in the producer's queue instead of being delivered (Kafka unreachable, topic missing), in words; null while Kafka answers and the topic exists.</param>
/// <param name="Format">How the current (or last) run writes its events: json, avro or json-schema.</param>
/// <param name="SchemaId">The registry's id of the schema the run's events carry (avro, json-schema).</param>
/// <param name="Subject">The subject that schema is registered under.</param>
/// <param name="ConsumerWaits">Times a simulated run on the embedded cluster paused for the service's consumer to catch up (its broker keeps about 5 MiB per partition; Generator:MaxConsumerLeadPerPartition), since the service started.</param>
/// <param name="Clock">The current (or last) run's simulated clock and the time it has reached; null when it runs on the wall clock.</param>
/// <param name="SchemaRegistryProblem">Why the run has not produced its first event yet (the registry does not answer; the generator keeps trying) or ended without events (the registry refused the schema), in words; null otherwise.</param>
/// <param name="Dimensions">The dimension topics (users, products) and what the current (or last) run published to them; null when Dimensions:Enabled is false.</param>
public sealed record GeneratorStatus(
    bool Running,
    double EventsPerSecond,
    double MaxEventsPerSecond,
    string? RunId,
    DateTimeOffset? RunStartedAt,
    long Produced,
    long Delivered,
    long Failed,
    long Queued,
    long QueueFullBackoffs,
    long ScheduleResets,
    RateProfileStatus Profile,
    double TargetEventsPerSecond,
    AchievedRate Achieved,
    long SkippedEvents,
    int? Seed,
    long? MaxEvents,
    long RunEvents,
    FaultSettings Faults,
    InjectedFaults Injected,
    string? WaitingForKafka,
    string Format,
    int? SchemaId,
    string? Subject,
    string? SchemaRegistryProblem,
    long ConsumerWaits,
    RunClockStatus? Clock,
    DimensionStatus? Dimensions = null)
{
    internal static GeneratorStatus From(GeneratorControls controls, GeneratorCounters counters, ClickProducer producer, KafkaClusterStatus cluster, DimensionTopics dimensions)
    {
        var state = controls.Current;
        var profile = state.Profile;
        return new GeneratorStatus(
            state.Running,
            profile.EventsPerSecond,
            controls.MaxEventsPerSecond,
            state.RunId,
            state.RunStartedAt,
            producer.Produced,
            producer.Delivered,
            producer.Failed,
            producer.Queued,
            producer.QueueFullBackoffs,
            counters.ScheduleResets,
            new RateProfileStatus(
                profile.Kind,
                profile.EventsPerSecond,
                profile.BurstSeconds,
                profile.PauseSeconds,
                profile.RampFromEventsPerSecond,
                profile.RampSeconds,
                profile.PeakHour,
                profile.TroughHour,
                profile.PeakToTroughRatio,
                profile.WeekendFactor,
                profile.MeanEventsPerSecond,
                state.ProfileSince),
            state.Running ? counters.CurrentTarget : 0,
            new AchievedRate(counters.Achieved.LastSecond, counters.Achieved.Last10Seconds),
            counters.SkippedEvents,
            state.Seed,
            state.MaxEvents,
            counters.RunEventsOf(state.RunNumber),
            state.Faults,
            new InjectedFaults(counters.Injected.Malformed, counters.Injected.Duplicate, counters.Injected.Late),
            cluster.Problem(),
            state.Format.Name(),
            counters.Schema?.Id,
            counters.Schema?.Subject,
            counters.SchemaRegistryProblem,
            counters.ConsumerWaits,
            state.Clock is { } clock ? new RunClockStatus(clock.StartAt, clock.AsFastAsPossible ? null : clock.Speed, clock.AsFastAsPossible, clock.EndAt, counters.SimulatedNow ?? clock.StartAt) : null,
            dimensions.Enabled ? DimensionStatus.From(dimensions, counters.Dimensions, producer, cluster) : null);
    }
}

/// <summary>The dimension topics and what the current (or last) run published to them.</summary>
/// <param name="UsersTopic">The users topic, keyed by userId.</param>
/// <param name="ProductsTopic">The products topic, keyed by productId.</param>
/// <param name="Users">User rows of the run's start (population and crawlers).</param>
/// <param name="Products">Product rows of the run's start (the catalogue).</param>
/// <param name="PriceChanges">Product rows with a new price since.</param>
/// <param name="UserChanges">User rows with a new device or country since.</param>
/// <param name="Deletions">Tombstones of deleted accounts since.</param>
/// <param name="Delivered">Dimension messages acknowledged by the cluster since the service started (not in <c>delivered</c>).</param>
/// <param name="Failed">Dimension messages that could not be delivered since the service started.</param>
/// <param name="Queued">Dimension messages handed over and not yet delivered or failed.</param>
/// <param name="Problem">Why rows wait in the producer's queue (the topics are not known to exist yet), in words; null otherwise.</param>
public sealed record DimensionStatus(
    string UsersTopic,
    string ProductsTopic,
    long Users,
    long Products,
    long PriceChanges,
    long UserChanges,
    long Deletions,
    long Delivered,
    long Failed,
    long Queued,
    string? Problem)
{
    internal static DimensionStatus From(DimensionTopics topics, DimensionCounters counts, ClickProducer producer, KafkaClusterStatus cluster) => new(
        topics.Users,
        topics.Products,
        counts.Users,
        counts.Products,
        counts.PriceChanges,
        counts.UserChanges,
        counts.Deletions,
        producer.DimensionsDelivered,
        producer.DimensionsFailed,
        producer.DimensionsQueued,
        cluster.Current.DimensionTopicsReady ? null : $"the dimension topics {topics.Users} and {topics.Products} are not known to exist yet: their rows wait in the producer's queue (see the log)");
}

/// <summary>A run's simulated clock.</summary>
/// <param name="StartAt">Where the clock began.</param>
/// <param name="Speed">Simulated seconds per real second; null when generating as fast as possible.</param>
/// <param name="AsFastAsPossible">Whether the run backfills without waiting.</param>
/// <param name="EndAt">Where the run completes, when set.</param>
/// <param name="Now">The simulated time the run has reached (its newest event's time, or the paced clock).</param>
public sealed record RunClockStatus(DateTimeOffset StartAt, double? Speed, bool AsFastAsPossible, DateTimeOffset? EndAt, DateTimeOffset Now);

/// <summary>A rate profile as the generator runs it.</summary>
/// <param name="Name">constant, poisson, burst, ramp or daily.</param>
/// <param name="EventsPerSecond">The target rate (within bursts for burst; the end rate for ramp).</param>
/// <param name="BurstSeconds">Burst: how long each burst lasts.</param>
/// <param name="PauseSeconds">Burst: how long the pause between bursts lasts.</param>
/// <param name="RampFromEventsPerSecond">Ramp: the starting rate.</param>
/// <param name="RampSeconds">Ramp: how long the ramp takes.</param>
/// <param name="PeakHour">Daily: the busiest hour of the day (UTC on the run's clock; null means the default, 20).</param>
/// <param name="TroughHour">Daily: the quietest hour (null means 4).</param>
/// <param name="PeakToTroughRatio">Daily: peak rate over trough rate (null means 6).</param>
/// <param name="WeekendFactor">Daily: Saturday and Sunday traffic as a multiple of a weekday's (null means 1.2).</param>
/// <param name="MeanEventsPerSecond">The long-run average rate of the profile.</param>
/// <param name="Since">When the profile was set.</param>
public sealed record RateProfileStatus(
    RateProfileKind Name,
    double EventsPerSecond,
    double? BurstSeconds,
    double? PauseSeconds,
    double? RampFromEventsPerSecond,
    double? RampSeconds,
    double? PeakHour,
    double? TroughHour,
    double? PeakToTroughRatio,
    double? WeekendFactor,
    double MeanEventsPerSecond,
    DateTimeOffset Since);

/// <summary>Measured generation rate.</summary>
/// <param name="LastSecond">Events per second over the last complete second.</param>
/// <param name="Last10Seconds">Events per second over the last 10 seconds.</param>
public sealed record AchievedRate(double LastSecond, double Last10Seconds);

/// <summary>Faults injected since the service started.</summary>
/// <param name="Malformed">Extra messages that are not valid events (a consumer should reject exactly these).</param>
/// <param name="Duplicate">Events sent a second time (a consumer should see exactly these as duplicate seqs).</param>
/// <param name="Late">Events sent with occurredAt in the past.</param>
public sealed record InjectedFaults(long Malformed, long Duplicate, long Late);

/// <summary>Test-data faults to inject from now on; fields left out are 0 (off).</summary>
/// <param name="Malformed">Share (0 to 1) of events followed by an extra message that is not a valid event.</param>
/// <param name="Duplicate">Share (0 to 1) of events sent twice.</param>
/// <param name="Late">Share (0 to 1) of events whose occurredAt lies in the past.</param>
/// <param name="LateMaxSeconds">How far back a late event may be, up to 86400 seconds (default 60).</param>
public sealed record SetFaultsRequest(
    [Range(0d, 1d, ErrorMessage = SetFaultsRequest.ShareRule)] double? Malformed = null,
    [Range(0d, 1d, ErrorMessage = SetFaultsRequest.ShareRule)] double? Duplicate = null,
    [Range(0d, 1d, ErrorMessage = SetFaultsRequest.ShareRule)] double? Late = null,
    [Range(0d, FaultSettings.MaxLateSeconds, MinimumIsExclusive = true, ErrorMessage = "Must be more than 0 and at most {2} seconds.")] double? LateMaxSeconds = null)
{
    private const string ShareRule = "Must be a share from 0 to 1.";
}

/// <summary>Messages on the topic that were not valid events.</summary>
/// <param name="Total">Every rejected message since the service started, including those no longer listed.</param>
/// <param name="Capacity">How many of the newest rejected messages are listed (Consumer:RejectedCapacity).</param>
/// <param name="ByReason">Rejected messages counted by reason code.</param>
/// <param name="Messages">The newest rejected messages, newest first.</param>
public sealed record RejectedMessages(long Total, int Capacity, IReadOnlyDictionary<string, long> ByReason, IReadOnlyList<RejectedMessage> Messages);

/// <summary>Where the service's Kafka is.</summary>
/// <param name="Mode"><c>embedded</c> (the in-process mock cluster) or <c>external</c> (Kafka:BootstrapServers).</param>
/// <param name="BootstrapServers">Bootstrap address; tools such as kcat can connect to it.</param>
/// <param name="Topic">The click-stream topic.</param>
/// <param name="Partitions">The topic's partition count.</param>
/// <param name="ConsumerGroup">The consumer group this instance reads (and commits offsets) as.</param>
/// <param name="Reachable">Whether the cluster answered the service's last metadata request (about once a second); null before the first answer or failure.</param>
/// <param name="Brokers">Brokers the cluster named in its last answer.</param>
/// <param name="TopicState"><c>unknown</c> (Kafka not reached yet), <c>missing</c> or <c>ready</c>.</param>
/// <param name="Problem">What keeps the service from working with Kafka, in words (the readiness reason); null when nothing does.</param>
/// <param name="SchemaRegistry">The Schema Registry the avro and json-schema formats use.</param>
/// <param name="DimensionTopics">The users and products topics (compacted, with the topic's partitions), in that order; empty when Dimensions:Enabled is false.</param>
/// <param name="ReadRetention">On the embedded cluster with Kafka:EmbeddedReadRetention above 0: how much of the topic is kept once committed, and what was deleted; null otherwise.</param>
public sealed record KafkaInfo(string Mode, string BootstrapServers, string Topic, int Partitions, string ConsumerGroup, bool? Reachable, int Brokers, string TopicState, string? Problem, SchemaRegistryInfo SchemaRegistry, IReadOnlyList<string>? DimensionTopics = null, ReadRetentionInfo? ReadRetention = null);

/// <summary>The embedded cluster's retention of committed messages (Kafka:EmbeddedReadRetention).</summary>
/// <param name="KeepPerPartition">Messages per partition kept after the service's consumer group has committed them; older ones are deleted while a live run (wall clock, no maxEvents) generates.</param>
/// <param name="Deleted">Messages of the click topic deleted so, since the service started: all of them read and committed by the service's consumer, none lost to it; readers of other groups (kcat, a second instance) that start from the beginning start after them.</param>
public sealed record ReadRetentionInfo(int KeepPerPartition, long Deleted);

/// <summary>The Schema Registry in use.</summary>
/// <param name="Mode"><c>embedded</c> (the service's own, in memory) or <c>external</c> (SchemaRegistry:Url).</param>
/// <param name="Url">Its address; Confluent's clients, curl and Python can use it. Null while the embedded one starts.</param>
/// <param name="FailedAttempts">Calls to it that got no answer and were tried again, since the service started (nothing is dropped for them).</param>
/// <param name="Waiting">Callers waiting for it to answer right now.</param>
/// <param name="Problem">Why the last call got no answer; null once it answers.</param>
public sealed record SchemaRegistryInfo(string Mode, string? Url, long FailedAttempts, int Waiting, string? Problem);

/// <summary>Outcome of a health check.</summary>
/// <param name="Status"><c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c>.</param>
/// <param name="DurationMs">How long the checks took.</param>
/// <param name="Checks">Each check with its status, description and data.</param>
public sealed record HealthResponse(string Status, double DurationMs, IReadOnlyDictionary<string, HealthCheckResponse> Checks);

/// <summary>One health check's outcome.</summary>
/// <param name="Status"><c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c>.</param>
/// <param name="Description">What the check found.</param>
/// <param name="Data">Details such as the bootstrap address and assigned partitions.</param>
public sealed record HealthCheckResponse(string Status, string? Description, IReadOnlyDictionary<string, string> Data);
