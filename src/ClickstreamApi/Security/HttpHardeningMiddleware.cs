using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Security;

/// <summary>
/// Limits and headers for every request: request bodies are capped at
/// <see cref="SecurityOptions.MaxRequestBodyBytes"/> (a declared length over it gets a 413 problem at
/// once; a chunked body is stopped by Kestrel at the same size, and the binding failure becomes the
/// same 413 problem), and every response says <c>X-Content-Type-Options: nosniff</c> so a browser
/// never sniffs text from the topic as HTML or script.
/// </summary>
internal sealed class HttpHardeningMiddleware(RequestDelegate next, IOptions<SecurityOptions> options, IProblemDetailsService problems)
{
    private readonly long _maxBody = options.Value.MaxRequestBodyBytes;

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.Headers.XContentTypeOptions = "nosniff";
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = _maxBody;
        }

        if (context.Request.ContentLength > _maxBody)
        {
            return RefuseAsync(context);
        }

        return next(context);
    }

    private async Task RefuseAsync(HttpContext context)
    {
        var message = $"At most {_maxBody} bytes (Security:MaxRequestBodyBytes); this one declared {context.Request.ContentLength}.";
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        // The body is not read: close the connection rather than drain it.
        context.Response.Headers.Connection = "close";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["body"] = [message] })
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "The request body is too large.",
                Detail = message,
            },
        });
    }
}
