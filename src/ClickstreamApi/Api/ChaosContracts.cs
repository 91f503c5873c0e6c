using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ClickstreamApi.Chaos;
using Confluent.Kafka;

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
public sealed record SetRoundTripRequest(
    [Required(ErrorMessage = "The field is required: the round-trip time to add, in milliseconds.")]
    [Range(0, ChaosApi.MaxRoundTripMs, ErrorMessage = "Must be between {1} and {2}.")]
    int? Milliseconds = null,
    [EmbeddedBroker] int? BrokerId = null);

/// <summary>Kafka errors for the next requests of one type.</summary>
/// <param name="Request">The request type: produce, fetch, listOffsets, metadata, offsetCommit, offsetFetch, findCoordinator, joinGroup, heartbeat, leaveGroup, syncGroup, apiVersions, initProducerId. Required.</param>
/// <param name="ErrorCodes">Kafka protocol error codes, one per request, in order (e.g. 6 NOT_LEADER_OR_FOLLOWER, 7 REQUEST_TIMED_OUT, 19 NOT_ENOUGH_REPLICAS). Required.</param>
/// <param name="Repeat">How many times to repeat the list (1 to 10000, default 1).</param>
public sealed record InjectErrorsRequest(
    [RequiredOneOf(typeof(KafkaRequestType))] KafkaRequestType? Request = null,
    [Required(ErrorMessage = InjectErrorsRequest.ErrorCodesRequired)]
    [MinLength(1, ErrorMessage = InjectErrorsRequest.ErrorCodesRequired)]
    [KafkaErrorCodes]
    int[]? ErrorCodes = null,
    [Range(1, ChaosApi.MaxErrorsPerRequest, ErrorMessage = "Must be between {1} and {2}.")] int? Repeat = null) : IValidatableObject
{
    private const string ErrorCodesRequired = "The field is required: a non-empty list of Kafka error codes, e.g. [6, 7, 19].";

    /// <summary>The error codes in the order they are pushed: the list <see cref="Repeat"/> times.</summary>
    public IReadOnlyList<ErrorCode> Errors()
    {
        var codes = ErrorCodes ?? [];
        var repeat = Repeat ?? 1;
        var errors = new List<ErrorCode>(codes.Length * repeat);
        for (var i = 0; i < repeat; i++)
        {
            errors.AddRange(codes.Select(c => (ErrorCode)c));
        }

        return errors;
    }

    /// <summary>The one rule across fields, run by the framework once the attributes pass: a bound on the errors in all.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if ((long)(ErrorCodes?.Length ?? 0) * (Repeat ?? 1) > ChaosApi.MaxErrorsPerRequest)
        {
            yield return new ValidationResult(
                string.Create(CultureInfo.InvariantCulture, $"At most {ChaosApi.MaxErrorsPerRequest} errors in all (errorCodes times repeat)."),
                [nameof(ErrorCodes)]);
        }
    }
}
