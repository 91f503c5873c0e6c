using Microsoft.Extensions.Options;

namespace ClickstreamApi.Kafka;

/// <summary>
/// What the <c>Dimensions</c> section's annotations cannot check alone: the topics it names (or
/// derives from <c>Kafka:Topic</c>) must differ from the click topic and from each other.
/// </summary>
internal sealed class DimensionOptionsValidation(IOptions<KafkaOptions> kafka) : IValidateOptions<DimensionOptions>
{
    public ValidateOptionsResult Validate(string? name, DimensionOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var topics = new DimensionTopics(kafka, Options.Create(options));
        var clickTopic = kafka.Value.Topic;
        var failures = new List<string>();
        if (string.Equals(topics.Users, clickTopic, StringComparison.Ordinal))
        {
            failures.Add($"Dimensions:UsersTopic must differ from Kafka:Topic (both are '{clickTopic}').");
        }

        if (string.Equals(topics.Products, clickTopic, StringComparison.Ordinal))
        {
            failures.Add($"Dimensions:ProductsTopic must differ from Kafka:Topic (both are '{clickTopic}').");
        }

        if (string.Equals(topics.Users, topics.Products, StringComparison.Ordinal))
        {
            failures.Add($"Dimensions:UsersTopic and Dimensions:ProductsTopic must differ (both are '{topics.Users}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
