using Confluent.SchemaRegistry;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Schemas;

/// <summary>
/// The service's one Confluent <see cref="CachedSchemaRegistryClient"/> (it caches schemas by id and ids
/// by schema, so each is asked for once), created when the registry's address is known.
/// </summary>
public sealed class SchemaRegistryClients(SchemaRegistryEndpoint endpoint, IOptions<SchemaRegistryOptions> options) : IDisposable
{
    private readonly Lock _gate = new();
    private CachedSchemaRegistryClient? _client;

    /// <summary>The client, once the registry's address is known.</summary>
    public async ValueTask<ISchemaRegistryClient> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _client) is { } client)
        {
            return client;
        }

        var (url, userInfo) = await endpoint.Known.WaitAsync(cancellationToken);
        lock (_gate)
        {
            return _client ??= new CachedSchemaRegistryClient(Config(url, userInfo));
        }
    }

    private SchemaRegistryConfig Config(string url, string? userInfo)
    {
        var config = new SchemaRegistryConfig
        {
            Url = url,
            RequestTimeoutMs = options.Value.RequestTimeoutMs,
            // The service retries with its own back-off (counted and logged): one attempt per call here
            // (the client counts attempts, not retries; 0 would send nothing at all).
            MaxRetries = 1,
        };
        if (userInfo is not null)
        {
            config.BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo;
            config.BasicAuthUserInfo = userInfo;
        }

        return config;
    }

    public void Dispose() => _client?.Dispose();
}
