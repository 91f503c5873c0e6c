using Microsoft.AspNetCore.Authorization;

namespace ClickstreamApi.Security;

/// <summary>
/// The authorization policies endpoints name with <c>RequireAuthorization</c>. An endpoint says what
/// it is (a read, a state change); <see cref="SecurityOptions"/> decide what that asks of the caller.
/// </summary>
public static class ApiKeyPolicies
{
    /// <summary>Requests that change state (generator start, stop, rate, faults; chaos): the key whenever Security:ApiKey is set.</summary>
    public const string StateChanges = "StateChanges";

    /// <summary>Reads under /api: the key only when Security:ProtectReads is also true.</summary>
    public const string Reads = "Reads";

    /// <summary>Lets every caller in: what a policy is when no key is asked for (a policy needs at least one requirement).</summary>
    private static readonly AuthorizationPolicy Open = new AuthorizationPolicyBuilder().RequireAssertion(_ => true).Build();

    private static readonly AuthorizationPolicy KeyRequired = new AuthorizationPolicyBuilder(ApiKeyAuthenticationOptions.Scheme)
        .RequireAuthenticatedUser()
        .Build();

    internal static void Add(AuthorizationOptions authorization, SecurityOptions security)
    {
        authorization.AddPolicy(StateChanges, security.KeyRequired ? KeyRequired : Open);
        authorization.AddPolicy(Reads, security.KeyRequired && security.ProtectReads ? KeyRequired : Open);
    }

    /// <summary>Whether <paramref name="policy"/> asks for the key (Swagger marks such operations).</summary>
    internal static bool AsksForKey(AuthorizationPolicy? policy) =>
        policy is not null && policy.AuthenticationSchemes.Contains(ApiKeyAuthenticationOptions.Scheme);
}
