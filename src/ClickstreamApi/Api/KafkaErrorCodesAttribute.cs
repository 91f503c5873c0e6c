using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Confluent.Kafka;

namespace ClickstreamApi.Api;

/// <summary>Every number in the list is a Kafka protocol error code (positive, and known to the client library); null passes.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
public sealed class KafkaErrorCodesAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var codes = value as int[] ?? [];
        var bad = Array.FindIndex(codes, code => code <= 0 || !Enum.IsDefined((ErrorCode)code));
        if (bad < 0)
        {
            return ValidationResult.Success;
        }

        return new ValidationResult(
            string.Create(CultureInfo.InvariantCulture, $"{codes[bad]} is not a Kafka protocol error code (a positive code such as 6 NOT_LEADER_OR_FOLLOWER)."),
            validationContext.MemberName is { } member ? [member] : null);
    }
}
