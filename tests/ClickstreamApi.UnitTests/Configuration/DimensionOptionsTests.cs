using System.ComponentModel.DataAnnotations;
using ClickstreamApi.Kafka;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.UnitTests.Configuration;

public sealed class DimensionOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_name_the_topics_after_the_click_topic()
    {
        Assert.Empty(Annotations(new DimensionOptions()));
        Assert.True(Validation(new KafkaOptions(), new DimensionOptions()).Succeeded);
        var topics = new DimensionTopics(Options.Create(new KafkaOptions { Topic = "clicks" }), Options.Create(new DimensionOptions()));
        Assert.Equal(["clicks_users", "clicks_products"], topics.All);
        Assert.Empty(new DimensionTopics(Options.Create(new KafkaOptions()), Options.Create(new DimensionOptions { Enabled = false })).All);
    }

    [Theory]
    [InlineData(nameof(DimensionOptions.PriceChangesPerHour), -1)]
    [InlineData(nameof(DimensionOptions.UserChangesPerHour), double.NaN)]
    [InlineData(nameof(DimensionOptions.AccountDeletionsPerHour), 20_000_000)]
    public void Rates_outside_0_to_10_million_per_hour_are_refused_naming_the_key(string property, double value)
    {
        var options = new DimensionOptions();
        typeof(DimensionOptions).GetProperty(property)!.SetValue(options, value);

        Assert.Contains($"Dimensions:{property}", Assert.Single(Annotations(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Topic_names_must_be_kafka_names_and_differ_from_the_click_topic_and_each_other()
    {
        Assert.Contains("Dimensions:UsersTopic", Assert.Single(Annotations(new DimensionOptions { UsersTopic = "a b" })), StringComparison.Ordinal);
        Assert.Contains("Dimensions:UsersTopic must differ from Kafka:Topic", Validation(new KafkaOptions(), new DimensionOptions { UsersTopic = "user_clickstream" }).FailureMessage, StringComparison.Ordinal);
        Assert.Contains("must differ", Validation(new KafkaOptions(), new DimensionOptions { UsersTopic = "x", ProductsTopic = "x" }).FailureMessage, StringComparison.Ordinal);
        Assert.True(Validation(new KafkaOptions(), new DimensionOptions { Enabled = false, UsersTopic = "user_clickstream" }).Succeeded);
    }

    private static ValidateOptionsResult Validation(KafkaOptions kafka, DimensionOptions options) =>
        new DimensionOptionsValidation(Options.Create(kafka)).Validate(null, options);

    private static List<string> Annotations(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? string.Empty)];
    }
}
