namespace ClickstreamApi.Hosting;

/// <summary>Constants every layer may need about how the service is hosted.</summary>
public static class HostingDefaults
{
    /// <summary>Where Kestrel listens unless --urls, ASPNETCORE_URLS or ASPNETCORE_HTTP_PORTS say otherwise: loopback only.</summary>
    public const string Url = "http://127.0.0.1:8080";

    /// <summary>The health-check tag of the checks behind /health/ready.</summary>
    public const string ReadyTag = "ready";
}
