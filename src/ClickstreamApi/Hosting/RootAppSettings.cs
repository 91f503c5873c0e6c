using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace ClickstreamApi.Hosting;

/// <summary>
/// The configuration file lives at the repository root and is copied next to the binaries. The
/// default content root (the working directory, or the project folder under the test host) does not
/// hold it, so the default appsettings sources are re-pointed at the application's own folder,
/// keeping their place in the order: environment variables and the command line still override.
/// </summary>
public static class RootAppSettings
{
    public static WebApplicationBuilder UseRootAppSettings(this WebApplicationBuilder builder)
    {
        var sources = builder.Configuration.Sources;
        var contentRoot = builder.Environment.ContentRootPath;
        if (File.Exists(Path.Combine(contentRoot, "appsettings.json")))
        {
            return builder;
        }

        var provider = new PhysicalFileProvider(AppContext.BaseDirectory);
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource { Path: { } path } json && path.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase))
            {
                sources[i] = new JsonConfigurationSource
                {
                    Path = path,
                    Optional = json.Optional,
                    ReloadOnChange = false,
                    FileProvider = provider,
                };
            }
        }

        return builder;
    }
}
