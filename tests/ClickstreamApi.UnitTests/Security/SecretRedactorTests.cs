using ClickstreamApi.Security;
using Microsoft.Extensions.Configuration;
using Serilog.Events;
using Serilog.Parsing;

namespace ClickstreamApi.UnitTests.Security;

public sealed class SecretRedactorTests
{
    private static readonly IConfiguration Configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Kafka:Producer:sasl.password"] = "pr0ducer-pass",
        ["Kafka:Producer:sasl.username"] = "alice",
        ["Kafka:Producer:linger.ms"] = "2",
        ["Kafka:Consumer:ssl.key.password"] = "key-pass-1",
        ["Kafka:Consumer:sasl.oauthbearer.client.secret"] = "oauth-secret",
        ["Kafka:Consumer:ssl.key.pem"] = "-----BEGIN PRIVATE KEY-----abc",
        ["Security:ApiKey"] = "the-api-key-0123456789",
        // A bad value elsewhere in the section (the start-up error being logged) does not stop the masking.
        ["Kafka:Partitions"] = "pr0ducer-pass",
    }).Build();

    private static readonly SecretRedactor Redactor = new(SecretRedactor.Mask(Configuration));

    [Theory]
    [InlineData("sasl.password", true)]
    [InlineData("ssl.key.password", true)]
    [InlineData("ssl.keystore.password", true)]
    [InlineData("sasl.oauthbearer.client.secret", true)]
    [InlineData("ssl.key.pem", true)]
    [InlineData("sasl.oauthbearer.config", true)]
    [InlineData("sasl.username", false)]
    [InlineData("bootstrap.servers", false)]
    public void Settings_holding_secrets_are_recognised(string key, bool secret) =>
        Assert.Equal(secret, SecretRedactor.IsSecretSetting(key));

    [Theory]
    [InlineData("auth failed for pr0ducer-pass", "auth failed for ***")]
    [InlineData("key-pass-1 and oauth-secret", "*** and ***")]
    [InlineData("pem: -----BEGIN PRIVATE KEY-----abc", "pem: ***")]
    [InlineData("X-Api-Key: the-api-key-0123456789", "X-Api-Key: ***")]
    [InlineData("user alice, linger 2", "user alice, linger 2")]
    public void Secrets_are_masked_and_other_text_left_alone(string text, string expected) =>
        Assert.Equal(expected, Redactor.Redact(text));

    [Fact]
    public void Log_event_properties_holding_a_secret_are_masked()
    {
        var template = new MessageTemplateParser().Parse("librdkafka {ClientName}: {KafkaMessage}");
        var logEvent = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Warning, null, template,
        [
            new LogEventProperty("ClientName", new ScalarValue("producer-1")),
            new LogEventProperty("KafkaMessage", new ScalarValue("SASL PLAIN with password pr0ducer-pass refused")),
        ]);

        Redactor.Enrich(logEvent, null!);

        var rendered = logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.DoesNotContain("pr0ducer-pass", rendered, StringComparison.Ordinal);
        Assert.Contains("password *** refused", rendered, StringComparison.Ordinal);
        Assert.Contains("producer-1", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_secrets_configured_nothing_is_masked()
    {
        var mask = SecretRedactor.Mask(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:Producer:linger.ms"] = "2",
            ["Security:ApiKey"] = "",
        }).Build());

        Assert.True(mask.IsEmpty);
    }

    [Fact]
    public void The_api_key_must_be_long_enough_or_empty()
    {
        static int Errors(string? key) =>
            new SecurityOptions { ApiKey = key }.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(new object())).Count();

        Assert.Equal(0, Errors(null));
        Assert.Equal(0, Errors(""));
        Assert.Equal(1, Errors("short"));
        Assert.Equal(0, Errors("sixteen-chars-ok"));
    }
}
