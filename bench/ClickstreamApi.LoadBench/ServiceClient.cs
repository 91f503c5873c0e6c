using System.Net.Http.Json;
using System.Text.Json;

namespace ClickstreamApi.LoadBench;

/// <summary>The service's public HTTP contract, read as any client reads it.</summary>
internal sealed class ServiceClient(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<JsonElement> GeneratorAsync(CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync<JsonElement>("/api/generator", cancellationToken);

    public async Task PostAsync(string path, object? body, CancellationToken cancellationToken)
    {
        using var response = body is null
            ? await _http.PostAsync(path, null, cancellationToken)
            : await _http.PostAsJsonAsync(path, body, cancellationToken);
        await EnsureSuccess(response, cancellationToken);
    }

    public async Task PutAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await _http.PutAsJsonAsync(path, body, cancellationToken);
        await EnsureSuccess(response, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private static async Task EnsureSuccess(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}
