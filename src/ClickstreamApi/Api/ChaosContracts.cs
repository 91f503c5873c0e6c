using ClickstreamApi.Chaos;

namespace ClickstreamApi.Api;

/// <summary>What chaos has done to the embedded cluster.</summary>
/// <param name="BootstrapServers">The embedded cluster's bootstrap address.</param>
/// <param name="Brokers">Every broker: up or down, added round-trip time.</param>
/// <param name="InjectedErrors">Kafka errors pushed so far, by request type (each fails one request; retriable ones are retried inside the clients).</param>
/// <param name="InjectedErrorsTotal">The sum of <paramref name="InjectedErrors"/>.</param>
public sealed record ChaosStatus(
    string BootstrapServers,
    IReadOnlyList<BrokerChaos> Brokers,
    IReadOnlyDictionary<KafkaRequestType, long> InjectedErrors,
    long InjectedErrorsTotal)
{
    public static ChaosStatus From(EmbeddedKafkaChaos chaos)
    {
        var injected = chaos.InjectedErrors();
        return new ChaosStatus(chaos.BootstrapServers, chaos.Brokers(), injected, injected.Values.Sum());
    }
}

/// <summary>An added round-trip time.</summary>
/// <param name="Milliseconds">Delay added to every response, 0 to 60000 ms; 0 removes it. Required.</param>
/// <param name="BrokerId">One broker; left out means every broker.</param>
public sealed record SetRoundTripRequest(int? Milliseconds = null, int? BrokerId = null);

/// <summary>Kafka errors for the next requests of one type.</summary>
/// <param name="Request">The request type: produce, fetch, listOffsets, metadata, offsetCommit, offsetFetch, findCoordinator, joinGroup, heartbeat, leaveGroup, syncGroup, apiVersions, initProducerId. Required.</param>
/// <param name="ErrorCodes">Kafka protocol error codes, one per request, in order (e.g. 6 NOT_LEADER_OR_FOLLOWER, 7 REQUEST_TIMED_OUT, 19 NOT_ENOUGH_REPLICAS). Required.</param>
/// <param name="Repeat">How many times to repeat the list (1 to 10000, default 1).</param>
public sealed record InjectErrorsRequest(KafkaRequestType? Request = null, int[]? ErrorCodes = null, int? Repeat = null);
