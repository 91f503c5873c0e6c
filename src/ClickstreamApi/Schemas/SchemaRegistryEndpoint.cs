using Microsoft.Extensions.Options;

namespace ClickstreamApi.Schemas;

/// <summary>
/// Where the Schema Registry is: <c>SchemaRegistry:Url</c>, or the embedded registry's address once it
/// listens (it takes a free port at start-up). Whoever needs the registry waits for <see cref="Known"/>.
/// </summary>
public sealed class SchemaRegistryEndpoint
{
    private readonly TaskCompletionSource<(string Url, string? UserInfo)> _known = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SchemaRegistryEndpoint(IOptions<SchemaRegistryOptions> options)
    {
        Embedded = options.Value.IsEmbedded;
        if (!Embedded)
        {
            _known.SetResult((options.Value.Url!.Trim(), string.IsNullOrEmpty(options.Value.BasicAuthUserInfo) ? null : options.Value.BasicAuthUserInfo));
        }
    }

    /// <summary>Whether the registry is the service's own (in memory).</summary>
    public bool Embedded { get; }

    /// <summary>The registry's URL, or null while the embedded one is starting.</summary>
    public string? Url => _known.Task.IsCompletedSuccessfully ? _known.Task.Result.Url : null;

    /// <summary>Completes with the URL and the basic-auth user info to use with it.</summary>
    public Task<(string Url, string? UserInfo)> Known => _known.Task;

    /// <summary>The embedded registry listens at <paramref name="url"/>; its writes take <paramref name="userInfo"/> when the service has an API key.</summary>
    public void SetEmbedded(string url, string? userInfo) => _known.TrySetResult((url, userInfo));
}
