using System.ComponentModel.DataAnnotations;

namespace ClickstreamApi.Schemas;

/// <summary>The <c>SchemaRegistry</c> configuration section.</summary>
public sealed class SchemaRegistryOptions : IValidatableObject
{
    public const string SectionName = "SchemaRegistry";

    /// <summary>A Confluent-compatible Schema Registry (comma-separated URLs). Empty (the default): the service serves its own, in memory.</summary>
    public string? Url { get; set; }

    /// <summary><c>user:password</c> for HTTP basic authentication to <see cref="Url"/>; masked in every log line.</summary>
    public string? BasicAuthUserInfo { get; set; }

    /// <summary>Register the event schema when it is not in the registry yet (Confluent's <c>auto.register.schemas</c>); false: it must be registered already.</summary>
    public bool AutoRegisterSchemas { get; set; } = true;

    /// <summary><c>topic</c> (the default: subject <c>user_clickstream-value</c>), <c>record</c> (<c>clickstream.ClickEvent</c>) or <c>topic-record</c>.</summary>
    public string SubjectNameStrategy { get; set; } = "topic";

    /// <summary>Address the embedded registry listens on: loopback by default, like the API (README, "Exposing the service").</summary>
    [Required]
    public string EmbeddedHost { get; set; } = "127.0.0.1";

    /// <summary>Port of the embedded registry on 127.0.0.1; 0 (the default) takes a free one (its address is in /api/kafka).</summary>
    [Range(0, 65535, ErrorMessage = "SchemaRegistry:EmbeddedPort must be between 0 and 65535.")]
    public int EmbeddedPort { get; set; }

    /// <summary>How long one registry request may take.</summary>
    [Range(100, 300_000, ErrorMessage = "SchemaRegistry:RequestTimeoutMs must be between 100 and 300000.")]
    public int RequestTimeoutMs { get; set; } = 5000;

    /// <summary>While the registry does not answer, the longest wait between two attempts (the wait doubles from 100 ms up to this).</summary>
    [Range(1, 300, ErrorMessage = "SchemaRegistry:MaxRetryBackoffSeconds must be between 1 and 300.")]
    public int MaxRetryBackoffSeconds { get; set; } = 5;

    public bool IsEmbedded => string.IsNullOrWhiteSpace(Url);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsEmbedded)
        {
            foreach (var url in Url!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    yield return new ValidationResult($"SchemaRegistry:Url must be http:// or https:// URLs, comma-separated ('{url}' is not).", [nameof(Url)]);
                }
            }
        }

        if (!System.Net.IPAddress.TryParse(EmbeddedHost, out _))
        {
            yield return new ValidationResult($"SchemaRegistry:EmbeddedHost must be an IP address such as 127.0.0.1 or 0.0.0.0 (it is '{EmbeddedHost}').", [nameof(EmbeddedHost)]);
        }

        if (!string.IsNullOrEmpty(BasicAuthUserInfo) && !BasicAuthUserInfo.Contains(':', StringComparison.Ordinal))
        {
            yield return new ValidationResult("SchemaRegistry:BasicAuthUserInfo must be user:password.", [nameof(BasicAuthUserInfo)]);
        }

        if (!SubjectNames.TryParse(SubjectNameStrategy, out _))
        {
            yield return new ValidationResult($"SchemaRegistry:SubjectNameStrategy {SubjectNames.Rule} (it is '{SubjectNameStrategy}').", [nameof(SubjectNameStrategy)]);
        }
    }
}
