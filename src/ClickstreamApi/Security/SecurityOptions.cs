using System.ComponentModel.DataAnnotations;

namespace ClickstreamApi.Security;

/// <summary>The <c>Security</c> configuration section: who may press the buttons.</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>
    /// When set, every state-changing request (generator start, stop, rate, faults; chaos) needs this
    /// value in the <c>X-Api-Key</c> header. Empty (the default) leaves the API open, which is safe
    /// only while it listens on loopback.
    /// </summary>
    [MinLength(16, ErrorMessage = "Security:ApiKey must be at least 16 characters (or empty to switch the key off).")]
    public string? ApiKey { get; set; }

    /// <summary>When true (and <see cref="ApiKey"/> is set), reads under /api need the key too. Health endpoints and Swagger stay open.</summary>
    public bool ProtectReads { get; set; }

    public bool KeyRequired => !string.IsNullOrEmpty(ApiKey);
}
