using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace ClickstreamApi.Registry;

/// <summary>
/// Who may change the embedded registry: with <c>Security:ApiKey</c> set, registering, deleting and
/// configuration changes need the key, in <c>X-Api-Key</c> or as the password of HTTP basic
/// authentication (what Confluent's clients send with <c>basic.auth.user.info</c>). Reads stay open
/// unless <c>Security:ProtectReads</c>. Keys are compared as SHA-256 hashes in fixed time.
/// </summary>
internal sealed class RegistryAccess(string? apiKey, bool protectReads)
{
    public const string ApiKeyHeader = "X-Api-Key";

    private readonly byte[]? _keyHash = string.IsNullOrEmpty(apiKey) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));

    /// <summary>The user info the service's own client sends to the embedded registry, or null without a key.</summary>
    public static string? UserInfoFor(string? apiKey) => string.IsNullOrEmpty(apiKey) ? null : $"clickstream:{apiKey}";

    public bool Allows(HttpRequest request)
    {
        if (_keyHash is null || (!protectReads && !IsWrite(request)))
        {
            return true;
        }

        var supplied = request.Headers[ApiKeyHeader].ToString();
        if (supplied.Length == 0 && AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) && header.Parameter is { } parameter)
        {
            supplied = BasicPassword(parameter);
        }

        return supplied.Length > 0 && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(supplied)), _keyHash);
    }

    /// <summary>Registering a version, and every PUT and DELETE; looking a schema up (POST /subjects/x) and compatibility checks are reads.</summary>
    private static bool IsWrite(HttpRequest request) =>
        HttpMethods.IsPut(request.Method) || HttpMethods.IsDelete(request.Method)
        || (HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/subjects", StringComparison.Ordinal)
            && request.Path.Value!.EndsWith("/versions", StringComparison.Ordinal));

    private static string BasicPassword(string parameter)
    {
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? string.Empty : decoded[(colon + 1)..];
        }
        catch (FormatException)
        {
            return string.Empty;
        }
    }
}
