using ClickstreamApi.Diagnostics;
using ClickstreamApi.Kafka;
using ClickstreamApi.Schemas;
using Serilog.Core;
using Serilog.Events;

namespace ClickstreamApi.Security;

/// <summary>
/// Which configured values are secrets (Kafka passwords, keys and client secrets under Kafka:Producer:*
/// and Kafka:Consumer:*, Security:ApiKey, and the Schema Registry's basic-auth credentials), and a log enricher that masks any of them found in a
/// log event's properties, whatever sink writes the line (librdkafka's own log and error text
/// included). The console sinks also mask exception text (<see cref="SecretMask"/>). librdkafka already
/// redacts sensitive properties in its debug output; this is the second belt.
/// </summary>
public sealed class SecretRedactor(SecretMask mask) : ILogEventEnricher
{
    /// <summary>
    /// The secrets in <paramref name="configuration"/>, read as raw values rather than bound options:
    /// the bootstrap logger reads them before the host exists, and a bad value elsewhere in a section
    /// (the start-up error being logged) must not stop the masking.
    /// </summary>
    public static SecretMask Mask(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var secrets = new List<string?> { configuration[$"{SecurityOptions.SectionName}:{nameof(SecurityOptions.ApiKey)}"] };
        foreach (var client in new[] { nameof(KafkaOptions.Producer), nameof(KafkaOptions.Consumer) })
        {
            secrets.AddRange(configuration.GetSection($"{KafkaOptions.SectionName}:{client}").GetChildren()
                .Where(setting => IsSecretSetting(setting.Key))
                .Select(setting => setting.Value));
        }

        // The registry's credentials: the whole user:password, the password alone, and credentials in its URL.
        var userInfo = configuration[$"{SchemaRegistryOptions.SectionName}:{nameof(SchemaRegistryOptions.BasicAuthUserInfo)}"];
        secrets.Add(userInfo);
        secrets.Add(PasswordOf(userInfo));
        foreach (var url in (configuration[$"{SchemaRegistryOptions.SectionName}:{nameof(SchemaRegistryOptions.Url)}"] ?? string.Empty).Split(','))
        {
            if (Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0)
            {
                secrets.Add(Uri.UnescapeDataString(uri.UserInfo));
                secrets.Add(uri.UserInfo);
                secrets.Add(PasswordOf(Uri.UnescapeDataString(uri.UserInfo)));
            }
        }

        return new SecretMask(secrets);
    }

    private static string? PasswordOf(string? userInfo) =>
        userInfo?.IndexOf(':', StringComparison.Ordinal) is { } colon and >= 0 ? userInfo[(colon + 1)..] : null;

    /// <summary>librdkafka settings whose values are secrets: passwords, client secrets, private keys, OAuth configs.</summary>
    public static bool IsSecretSetting(string key) =>
        key.Contains("password", StringComparison.OrdinalIgnoreCase)
        || key.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || key.Equals("ssl.key.pem", StringComparison.OrdinalIgnoreCase)
        || key.Equals("ssl_key", StringComparison.OrdinalIgnoreCase)
        || key.Equals("sasl.oauthbearer.config", StringComparison.OrdinalIgnoreCase);

    public string Redact(string text) => mask.Redact(text);

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        if (mask.IsEmpty)
        {
            return;
        }

        List<LogEventProperty>? replacements = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (mask.Redact(value) is var redacted && !ReferenceEquals(redacted, value))
            {
                (replacements ??= []).Add(new LogEventProperty(name, redacted));
            }
        }

        foreach (var property in replacements ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }
}
