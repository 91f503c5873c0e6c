using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Security;

/// <summary>
/// Authenticates a request by its <c>X-Api-Key</c> header. The key is compared as SHA-256 hashes with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>: the time taken says nothing about how much
/// of a guess was right, not even its length. A refusal is a 401 problem document that says whether
/// the header was missing or the key wrong.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IProblemDetailsService problems)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, logger, encoder)
{
    private const string Missing = "The header is missing.";
    private const string Mismatch = "The key does not match.";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var supplied = Request.Headers[ApiKeyAuthenticationOptions.HeaderName].ToString();
        if (Options.KeyHash.IsEmpty || supplied.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(supplied)), Options.KeyHash.Span))
        {
            return Task.FromResult(AuthenticateResult.Fail(Mismatch));
        }

        var caller = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "api-key")], Scheme.Name));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(caller, Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Response.HasStarted)
        {
            return;
        }

        var reason = (await HandleAuthenticateOnceSafeAsync()).Failure is null ? Missing : Mismatch;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{ApiKeyAuthenticationOptions.Scheme} header=\"{ApiKeyAuthenticationOptions.HeaderName}\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [ApiKeyAuthenticationOptions.HeaderName] = [reason] })
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "An API key is required.",
                Detail = $"Send the key configured as Security:ApiKey in the {ApiKeyAuthenticationOptions.HeaderName} header. {reason}",
            },
        });
    }
}
