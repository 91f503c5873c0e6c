using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace ClickstreamApi.Dashboard;

/// <summary>
/// The live dashboard at <c>/</c>: plain HTML, CSS and JavaScript embedded in the assembly (no build
/// step, nothing from a CDN), talking to the same public API as any other client.
/// </summary>
public static class DashboardSetup
{
    /// <summary>
    /// Only the page's own scripts and styles, and requests to this origin; no inline script, so a
    /// value from an event that somehow reached the DOM as markup still could not run.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static WebApplication UseDashboard(this WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(DashboardSetup).Assembly, "ClickstreamApi.Dashboard");
        // "/" serves index.html; nothing else is mapped at "/" (Swagger UI lives at /swagger).
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                // Revalidate every load (ETag/Last-Modified make that cheap), so an upgraded service never runs an old script.
                headers[HeaderNames.CacheControl] = "no-cache";
            },
        });
        return app;
    }
}
