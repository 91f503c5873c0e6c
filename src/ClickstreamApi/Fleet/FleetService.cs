using ClickstreamApi.Generation;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Fleet;

/// <summary>
/// Fleet mode (Fleet:Enabled): finds or creates the fleet's topics, then runs this member's group
/// membership and its reading of the command log and snapshots, each on a thread of its own, and
/// publishes the member's snapshot every Fleet:StatusIntervalMilliseconds. Never holds up start-up:
/// until the topics are there the API answers and GET /api/fleet says what is missing.
/// </summary>
internal sealed partial class FleetService(
    FleetTopics topics,
    FleetView view,
    FleetSteering steering,
    FleetMembership membership,
    FleetLog log,
    FleetPublisher publisher,
    FleetConsumptionSource consumption,
    GeneratorControls controls,
    GeneratorCounters counters,
    ClickProducer producer,
    IOptions<FleetOptions> options,
    TimeProvider time,
    ILogger<FleetService> logger) : BackgroundService
{
    private static readonly TimeSpan RetryTopics = TimeSpan.FromSeconds(2);

    private readonly FleetOptions _options = options.Value;
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private readonly List<Thread> _threads = [];

    private string Member => steering.Member;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        await Task.Yield();
        int? shards = null;
        while (!stoppingToken.IsCancellationRequested && shards is null)
        {
            try
            {
                shards = await topics.EnsureAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is Confluent.Kafka.KafkaException or TimeoutException)
            {
                LogWaiting(ex.Message);
            }

            if (shards is null)
            {
                view.Problem = $"the fleet's topics {topics.Control} and {topics.Status} are not there yet";
                await Task.Delay(RetryTopics, time, stoppingToken);
            }
        }

        view.Problem = null;
        view.ShardCount = shards;
        consumption.Begin();
        LogMember(Member, _options.Name, shards!.Value);
        Start("clickstream-fleet-log", () => log.Run(stoppingToken));
        Start("clickstream-fleet-member", () => membership.Run(shards.Value, stoppingToken));

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.StatusIntervalMilliseconds), time);
        do
        {
            publisher.Publish(Snapshot(shards.Value));
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(10));
        }

        if (view.ShardCount is not null)
        {
            publisher.PublishDeparture(Member, TimeSpan.FromSeconds(5));
            LogLeft(Member);
        }
    }

    /// <summary>What this member publishes about itself.</summary>
    internal FleetSnapshot Snapshot(int shardCount)
    {
        var state = controls.Current;
        var (lastId, applied) = steering.LastApplied;
        return new FleetSnapshot(
            Member,
            time.GetUtcNow(),
            _startedAt,
            shardCount,
            steering.Shards?.Owned.ToList() ?? [],
            state.Running,
            steering.FleetRunId,
            steering.FleetRunId is null ? null : state.RunId,
            counters.RunEventsOf(state.RunNumber),
            state.Running ? steering.TargetRate() : 0,
            counters.Achieved.Last10Seconds,
            producer.Produced,
            producer.Delivered,
            producer.Failed,
            producer.Queued,
            lastId,
            applied,
            view.Problem,
            consumption.Take());
    }

    private void Start(string name, Action body)
    {
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
            catch (Exception ex)
            {
                LogFailed(ex, name);
            }
        })
        { IsBackground = true, Name = name };
        _threads.Add(thread);
        thread.Start();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet: member {Member} of fleet {Fleet}, {Shards} shards")]
    private partial void LogMember(string member, string fleet, int shards);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet: member {Member} left")]
    private partial void LogLeft(string member);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet: waiting for the fleet's topics: {Reason}")]
    private partial void LogWaiting(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Fleet: {Thread} failed")]
    private partial void LogFailed(Exception exception, string thread);
}
