using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Security;

/// <summary>
/// Checks <c>X-Api-Key</c> on the requests <see cref="SecurityOptions"/> protects. Runs after routing,
/// so unknown paths still get their 404 and wrong methods their 405. The key is compared as SHA-256
/// hashes with <see cref="CryptographicOperations.FixedTimeEquals"/>: the time taken says nothing
/// about how much of a guess was right, not even its length.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<SecurityOptions> options, IProblemDetailsService problems)
{
    public const string HeaderName = "X-Api-Key";

    private readonly byte[]? _expected = options.Value.KeyRequired ? SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.ApiKey!)) : null;
    private readonly bool _protectReads = options.Value.ProtectReads;

    public Task InvokeAsync(HttpContext context)
    {
        // No endpoint, or one that does not take this method (the framework's 405): nothing to protect.
        var methods = context.GetEndpoint()?.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
        if (_expected is null || methods is null || !methods.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase)
            || !IsProtected(context.Request, _protectReads))
        {
            return next(context);
        }

        var supplied = context.Request.Headers[HeaderName].ToString();
        if (supplied.Length > 0 && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(supplied)), _expected))
        {
            return next(context);
        }

        return RefuseAsync(context, supplied.Length == 0 ? "The header is missing." : "The key does not match.");
    }

    /// <summary>State-changing requests always; reads under /api only when asked. Health stays open for orchestrators.</summary>
    internal static bool IsProtected(HttpRequest request, bool protectReads)
    {
        if (request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var read = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method);
        return !read || (protectReads && request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase));
    }

    private async Task RefuseAsync(HttpContext context, string reason)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{HeaderName}\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [HeaderName] = [reason] })
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "An API key is required.",
                Detail = $"Send the key configured as Security:ApiKey in the {HeaderName} header. {reason}",
            },
        });
    }
}
