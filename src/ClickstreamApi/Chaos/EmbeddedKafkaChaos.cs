using System.Collections.Concurrent;
using ClickstreamApi.Kafka;
using Confluent.Kafka;

namespace ClickstreamApi.Chaos;

/// <summary>
/// Breaks the embedded cluster on request and remembers what it did: which brokers are down, the
/// added round-trip times, and every Kafka error pushed onto the broker's request queue, counted
/// by request type. librdkafka retries retriable errors inside the client without telling the
/// application, so these counts are the visible record of what was injected.
/// </summary>
public sealed partial class EmbeddedKafkaChaos(KafkaEnvironment kafka, TimeProvider time, ILogger<EmbeddedKafkaChaos> logger)
{
    private readonly ConcurrentDictionary<int, BrokerChaos> _brokers = new();
    private readonly ConcurrentDictionary<KafkaRequestType, long> _injected = new();

    public int BrokerCount => Cluster.BrokerCount;

    public string BootstrapServers => Cluster.BootstrapServers;

    private EmbeddedKafkaCluster Cluster => kafka.Embedded
        ?? throw new InvalidOperationException("Chaos needs the embedded cluster (Kafka:BootstrapServers empty).");

    public BrokerChaos SetBrokerDown(int brokerId)
    {
        Cluster.SetBrokerDown(brokerId);
        var state = _brokers.AddOrUpdate(brokerId, _ => new BrokerChaos(brokerId, false, 0, time.GetUtcNow()), (_, old) => old with { Up = false, ChangedAt = time.GetUtcNow() });
        LogBrokerDown(brokerId);
        return state;
    }

    public BrokerChaos SetBrokerUp(int brokerId)
    {
        Cluster.SetBrokerUp(brokerId);
        var state = _brokers.AddOrUpdate(brokerId, _ => new BrokerChaos(brokerId, true, 0, time.GetUtcNow()), (_, old) => old with { Up = true, ChangedAt = time.GetUtcNow() });
        LogBrokerUp(brokerId);
        return state;
    }

    public BrokerChaos SetRoundTripTime(int brokerId, int milliseconds)
    {
        Cluster.SetRoundTripTime(brokerId, milliseconds);
        var state = _brokers.AddOrUpdate(brokerId, _ => new BrokerChaos(brokerId, true, milliseconds, time.GetUtcNow()), (_, old) => old with { RoundTripMs = milliseconds, ChangedAt = time.GetUtcNow() });
        LogRoundTripTime(brokerId, milliseconds);
        return state;
    }

    /// <summary>Makes the next requests of this type fail, one error code each, in order, on whichever broker they reach.</summary>
    public long PushErrors(KafkaRequestType request, IReadOnlyList<ErrorCode> errors)
    {
        var codes = new int[errors.Count];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = (int)errors[i];
        }

        Cluster.PushRequestErrors((short)request, codes);
        var total = _injected.AddOrUpdate(request, codes.Length, (_, old) => old + codes.Length);
        LogErrorsPushed(codes.Length, request, string.Join(",", errors));
        return total;
    }

    /// <summary>Every broker with its current state (brokers never touched are up with no added delay).</summary>
    public IReadOnlyList<BrokerChaos> Brokers()
    {
        var brokers = new List<BrokerChaos>(BrokerCount);
        for (var id = 1; id <= BrokerCount; id++)
        {
            brokers.Add(_brokers.TryGetValue(id, out var state) ? state : new BrokerChaos(id, true, 0, null));
        }

        return brokers;
    }

    /// <summary>Errors pushed so far, by request type.</summary>
    public IReadOnlyDictionary<KafkaRequestType, long> InjectedErrors() => new SortedDictionary<KafkaRequestType, long>(_injected);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chaos: embedded broker {BrokerId} taken down")]
    private partial void LogBrokerDown(int brokerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chaos: embedded broker {BrokerId} brought back up")]
    private partial void LogBrokerUp(int brokerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chaos: embedded broker {BrokerId} round-trip time set to {RoundTripMs} ms")]
    private partial void LogRoundTripTime(int brokerId, int roundTripMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chaos: {Count} error(s) pushed for {Request} requests: {Errors}")]
    private partial void LogErrorsPushed(int count, KafkaRequestType request, string errors);
}

/// <summary>One embedded broker as chaos left it.</summary>
/// <param name="Id">The broker id (1 to Kafka:EmbeddedBrokers).</param>
/// <param name="Up">Whether it accepts connections.</param>
/// <param name="RoundTripMs">Delay added to every response, in milliseconds.</param>
/// <param name="ChangedAt">When chaos last changed it; null if never.</param>
public sealed record BrokerChaos(int Id, bool Up, int RoundTripMs, DateTimeOffset? ChangedAt);

/// <summary>Kafka request types (the value is the protocol's API key) the embedded cluster can be told to fail.</summary>
public enum KafkaRequestType : short
{
    Produce = 0,
    Fetch = 1,
    ListOffsets = 2,
    Metadata = 3,
    OffsetCommit = 8,
    OffsetFetch = 9,
    FindCoordinator = 10,
    JoinGroup = 11,
    Heartbeat = 12,
    LeaveGroup = 13,
    SyncGroup = 14,
    ApiVersions = 18,
    InitProducerId = 22,
}
