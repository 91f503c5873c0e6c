using System.ComponentModel.DataAnnotations;

namespace ClickstreamApi.Security;

/// <summary>The <c>Security</c> configuration section: who may press the buttons.</summary>
public sealed class SecurityOptions : IValidatableObject
{
    public const string SectionName = "Security";

    /// <summary>
    /// When set, every state-changing request (generator start, stop, rate, faults; chaos) needs this
    /// value in the <c>X-Api-Key</c> header. Empty (the default) leaves the API open, which is safe
    /// only while it listens on loopback.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>When true (and <see cref="ApiKey"/> is set), reads under /api need the key too. Health endpoints and Swagger stay open.</summary>
    public bool ProtectReads { get; set; }

    /// <summary>Largest request body accepted, in bytes; the API's JSON bodies are a few hundred bytes. Larger ones get a 413 problem.</summary>
    [Range(1024, 10 * 1024 * 1024, ErrorMessage = "Security:MaxRequestBodyBytes must be between 1024 and 10485760.")]
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024;

    public bool KeyRequired => !string.IsNullOrEmpty(ApiKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (KeyRequired && ApiKey!.Length < 16)
        {
            yield return new ValidationResult("Security:ApiKey must be at least 16 characters (or empty to switch the key off).", [nameof(ApiKey)]);
        }
    }
}
