using Microsoft.AspNetCore.Authentication;

namespace ClickstreamApi.Security;

/// <summary>The API key scheme: which header carries the key, and the SHA-256 of the configured key.</summary>
public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    public const string Scheme = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    /// <summary>SHA-256 of Security:ApiKey; empty when no key is configured (nobody authenticates, and no policy asks).</summary>
    public ReadOnlyMemory<byte> KeyHash { get; set; }
}
