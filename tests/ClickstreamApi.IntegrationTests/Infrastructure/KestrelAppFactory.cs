using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ClickstreamApi.IntegrationTests.Infrastructure;

/// <summary>
/// The real application listening on a real loopback port (Kestrel, not the in-memory test server),
/// for clients that cannot use an in-process HttpClient: a browser.
/// </summary>
public class KestrelAppFactory : ClickstreamAppFactory
{
    public KestrelAppFactory()
        : this(new Dictionary<string, string?>())
    {
    }

    protected KestrelAppFactory(Dictionary<string, string?> overrides)
        : base(new Dictionary<string, string?>(overrides) { ["urls"] = "http://127.0.0.1:0" })
    {
        UseKestrel();
    }

    /// <summary>Where the app listens, e.g. http://127.0.0.1:41234/ (starts it on first use).</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            return new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        }
    }

    /// <summary>An HttpClient over the real socket.</summary>
    public HttpClient CreateSocketClient() => new() { BaseAddress = BaseAddress };
}

/// <summary>A lone fleet member on a real port, for the dashboard's fleet view.</summary>
public sealed class FleetKestrelAppFactory() : KestrelAppFactory(new Dictionary<string, string?>
{
    ["Fleet:Enabled"] = "true",
    ["Fleet:Name"] = "dashboard",
    ["Fleet:MemberName"] = "solo",
});
