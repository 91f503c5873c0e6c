using System.Globalization;
using ClickstreamApi.Diagnostics;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Parsing;

namespace ClickstreamApi.UnitTests.Diagnostics;

public sealed class SecretMaskTests
{
    private static readonly SecretMask Mask = new(["s3cret-value", "s3cret-value-longer", "ab", null]);

    [Theory]
    [InlineData("login with s3cret-value failed", "login with *** failed")]
    [InlineData("s3cret-value-longer", "***")]
    [InlineData("ab is too short to be a secret", "ab is too short to be a secret")]
    public void Secrets_are_masked_longest_first_and_short_values_left_alone(string text, string expected) =>
        Assert.Equal(expected, Mask.Redact(text));

    [Fact]
    public void An_event_without_secrets_is_passed_on_as_it_is()
    {
        var logEvent = Event("all {Fine}", null, new LogEventProperty("Fine", new ScalarValue("yes")));

        Assert.Same(logEvent, Mask.Redact(logEvent));
    }

    [Fact]
    public void Exception_text_and_nested_property_values_are_masked()
    {
        var logEvent = Event(
            "start-up failed for {Settings}",
            new InvalidOperationException("Failed to convert configuration value 's3cret-value' at 'Kafka:Partitions'."),
            new LogEventProperty("Settings", new StructureValue(
            [
                new LogEventProperty("Password", new ScalarValue("s3cret-value")),
                new LogEventProperty("Hosts", new SequenceValue([new ScalarValue("a"), new ScalarValue("x-s3cret-value")])),
            ])));

        var masked = Mask.Redact(logEvent);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        new RenderedCompactJsonFormatter().Format(masked, text);

        var json = text.ToString();
        Assert.DoesNotContain("s3cret-value", json, StringComparison.Ordinal);
        Assert.Contains("'***' at 'Kafka:Partitions'", json, StringComparison.Ordinal);
        Assert.Contains("x-***", json, StringComparison.Ordinal);
        using var parsed = System.Text.Json.JsonDocument.Parse(json);
        Assert.Contains("InvalidOperationException", parsed.RootElement.GetProperty("@x").GetString(), StringComparison.Ordinal);
    }

    private static LogEvent Event(string template, Exception? exception, params LogEventProperty[] properties) =>
        new(DateTimeOffset.UnixEpoch, LogEventLevel.Fatal, exception, new MessageTemplateParser().Parse(template), properties);
}
