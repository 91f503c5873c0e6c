using ClickstreamApi.Kafka;
using Microsoft.Extensions.Options;
using Serilog.Core;
using Serilog.Events;

namespace ClickstreamApi.Security;

/// <summary>
/// The configured secrets (Kafka passwords, keys and client secrets under Kafka:Producer:* and
/// Kafka:Consumer:*, and Security:ApiKey), and a log enricher that masks any of them found in a
/// log event's properties, whatever wrote the line (librdkafka's own log and error text included).
/// librdkafka already redacts sensitive properties in its debug output; this is the second belt.
/// </summary>
public sealed class SecretRedactor : ILogEventEnricher
{
    public const string Mask = "***";

    // Values shorter than this are not treated as secrets: masking "a" everywhere would wreck the log.
    private const int MinSecretLength = 4;

    private readonly string[] _secrets;

    public SecretRedactor(IOptions<KafkaOptions> kafka, IOptions<SecurityOptions> security)
    {
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in kafka.Value.Producer.Concat(kafka.Value.Consumer))
        {
            if (IsSecretSetting(key) && value is { Length: >= MinSecretLength })
            {
                secrets.Add(value);
            }
        }

        if (security.Value.ApiKey is { Length: >= MinSecretLength } apiKey)
        {
            secrets.Add(apiKey);
        }

        // Longest first, so a secret that contains another is masked whole.
        _secrets = [.. secrets.OrderByDescending(s => s.Length)];
    }

    /// <summary>librdkafka settings whose values are secrets: passwords, client secrets, private keys, OAuth configs.</summary>
    public static bool IsSecretSetting(string key) =>
        key.Contains("password", StringComparison.OrdinalIgnoreCase)
        || key.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || key.Equals("ssl.key.pem", StringComparison.OrdinalIgnoreCase)
        || key.Equals("ssl_key", StringComparison.OrdinalIgnoreCase)
        || key.Equals("sasl.oauthbearer.config", StringComparison.OrdinalIgnoreCase);

    public string Redact(string text)
    {
        foreach (var secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (_secrets.Length == 0)
        {
            return;
        }

        List<LogEventProperty>? replacements = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (value is ScalarValue { Value: string text } && Redact(text) is var redacted && !ReferenceEquals(redacted, text))
            {
                (replacements ??= []).Add(new LogEventProperty(name, new ScalarValue(redacted)));
            }
        }

        foreach (var property in replacements ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }
}
