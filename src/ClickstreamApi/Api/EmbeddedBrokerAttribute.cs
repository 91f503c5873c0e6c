using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ClickstreamApi.Chaos;

namespace ClickstreamApi.Api;

/// <summary>A broker id of the embedded cluster (1 to Kafka:EmbeddedBrokers); null passes.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
public sealed class EmbeddedBrokerAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        // How many brokers there are is configuration, so the rule asks the running cluster.
        var chaos = (EmbeddedKafkaChaos?)validationContext.GetService(typeof(EmbeddedKafkaChaos))
            ?? throw new InvalidOperationException("Broker ids are validated only where the embedded cluster's chaos endpoints are mapped.");
        return value is not int id || (id >= 1 && id <= chaos.BrokerCount)
            ? ValidationResult.Success
            : new ValidationResult(Rule(chaos.BrokerCount), validationContext.MemberName is { } member ? [member] : null);
    }

    internal static string Rule(int brokers) =>
        string.Create(CultureInfo.InvariantCulture, $"Must be a broker id from 1 to {brokers} (Kafka:EmbeddedBrokers).");
}
