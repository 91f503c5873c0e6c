using ClickstreamApi.Security;
using Microsoft.AspNetCore.Authorization;

namespace ClickstreamApi.UnitTests.Security;

public sealed class ApiKeyPoliciesTests
{
    [Theory]
    [InlineData(null, false, false, false)]
    [InlineData(null, true, false, false)]
    [InlineData("sixteen-chars-ok", false, true, false)]
    [InlineData("sixteen-chars-ok", true, true, true)]
    public void The_key_is_asked_for_state_changes_whenever_set_and_for_reads_only_when_protected(
        string? key, bool protectReads, bool stateChangesAsk, bool readsAsk)
    {
        var authorization = new AuthorizationOptions();

        ApiKeyPolicies.Add(authorization, new SecurityOptions { ApiKey = key, ProtectReads = protectReads });

        Assert.Equal(stateChangesAsk, ApiKeyPolicies.AsksForKey(authorization.GetPolicy(ApiKeyPolicies.StateChanges)));
        Assert.Equal(readsAsk, ApiKeyPolicies.AsksForKey(authorization.GetPolicy(ApiKeyPolicies.Reads)));
    }
}
