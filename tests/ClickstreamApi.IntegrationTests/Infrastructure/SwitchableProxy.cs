using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClickstreamApi.IntegrationTests.Infrastructure;

/// <summary>
/// An HTTP forwarder on a port of its own that a test can switch off: while down it drops every
/// connection without an answer, as an unreachable server does. Stands between a service and a
/// Schema Registry to make the registry go away and come back.
/// </summary>
public sealed class SwitchableProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _target;
    private volatile bool _down;
    private long _dropped;

    private SwitchableProxy(string target)
    {
        _target = new HttpClient { BaseAddress = new Uri(target) };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(ForwardAsync);
    }

    public string Url { get; private set; } = string.Empty;

    /// <summary>Requests dropped while down.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    public static async Task<SwitchableProxy> StartAsync(string target)
    {
        var proxy = new SwitchableProxy(target);
        await proxy._app.StartAsync();
        proxy.Url = proxy._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _target.Dispose();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        if (_down)
        {
            Interlocked.Increment(ref _dropped);
            context.Abort();
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path + context.Request.QueryString);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            request.Content = new ByteArrayContent(body.ToArray());
            if (context.Request.ContentType is { } contentType)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        foreach (var header in new[] { "Accept", "Authorization", "X-Api-Key" })
        {
            if (context.Request.Headers.TryGetValue(header, out var value))
            {
                request.Headers.TryAddWithoutValidation(header, value.ToArray());
            }
        }

        using var response = await _target.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } type)
        {
            context.Response.ContentType = type.ToString();
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
