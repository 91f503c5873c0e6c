using System.Net;
using ClickstreamApi.Schemas;
using ClickstreamApi.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Registry;

/// <summary>
/// The embedded Schema Registry: with no <c>SchemaRegistry:Url</c>, the service serves Confluent's
/// registry API itself, in memory like the embedded broker, on its own port (so the serializers of
/// any client, kcat's and Python's included, reach it over TCP, also while the service's API runs
/// inside a test server). Its address is in <c>/api/kafka</c>.
/// </summary>
internal sealed partial class EmbeddedSchemaRegistry(
    SchemaRegistryEndpoint endpoint,
    IOptions<SchemaRegistryOptions> options,
    IOptions<SecurityOptions> security,
    ILoggerFactory loggerFactory,
    ILogger<EmbeddedSchemaRegistry> logger) : IHostedService, IAsyncDisposable
{
    /// <summary>Largest request body; schemas are a few kilobytes.</summary>
    public const long MaxRequestBodyBytes = 4 * 1024 * 1024;

    private WebApplication? _server;

    public SchemaStore Store { get; } = new();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!endpoint.Embedded)
        {
            return;
        }

        var settings = options.Value;
        var access = new RegistryAccess(security.Value.ApiKey, security.Value.ProtectReads);
        // An empty builder: none of the service's configuration (URLs, Kestrel endpoints) applies here.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.Services.Replace(ServiceDescriptor.Singleton(loggerFactory));
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.Listen(IPAddress.Parse(settings.EmbeddedHost), settings.EmbeddedPort);
        });

        var server = builder.Build();
        server.Use(async (context, next) =>
        {
            try
            {
                if (!access.Allows(context.Request))
                {
                    throw RegistryException.Unauthorized();
                }

                await next(context);
                if (!context.Response.HasStarted && context.Response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed)
                {
                    await RegistryJson.WriteErrorAsync(context, context.Response.StatusCode == StatusCodes.Status404NotFound ? RegistryException.NotFound() : RegistryException.MethodNotAllowed());
                }
            }
            catch (RegistryException error)
            {
                await RegistryJson.WriteErrorAsync(context, error);
            }
            catch (BadHttpRequestException ex)
            {
                await RegistryJson.WriteErrorAsync(context, ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? RegistryException.TooLarge(MaxRequestBodyBytes)
                    : RegistryException.BadRequest(ex.Message));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex, context.Request.Method, context.Request.Path);
                await RegistryJson.WriteErrorAsync(context, new RegistryException(500, 50001, "Error in the backend data store"));
            }
        });
        RegistryEndpoints.Map(server, Store);

        await server.StartAsync(cancellationToken);
        _server = server;
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var url = address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        endpoint.SetEmbedded(url, RegistryAccess.UserInfoFor(security.Value.ApiKey));
        LogListening(url, security.Value.KeyRequired);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { } server)
        {
            await server.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is { } server)
        {
            await server.DisposeAsync();
            _server = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded Schema Registry listening on {Url} (in memory; writes need the API key: {KeyRequired})")]
    private partial void LogListening(string url, bool keyRequired);

    [LoggerMessage(Level = LogLevel.Error, Message = "Embedded Schema Registry failed on {Method} {Path}")]
    private partial void LogFailed(Exception exception, string method, string path);
}
