using ClickstreamApi.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace ClickstreamApi.UnitTests.Security;

public sealed class DefaultBindTests
{
    [Fact]
    public void Without_urls_configured_the_service_listens_on_loopback_only()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration["urls"] = null;
        builder.Configuration["http_ports"] = null;
        builder.Configuration["https_ports"] = null;

        builder.AddApi();

        Assert.Equal("http://127.0.0.1:8080", builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Fact]
    public void Configured_urls_are_left_as_they_are()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["urls"] = "http://0.0.0.0:9000";

        builder.AddApi();

        // What Kestrel will bind: the configured address, not the loopback default.
        Assert.Equal("http://0.0.0.0:9000", builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }
}
