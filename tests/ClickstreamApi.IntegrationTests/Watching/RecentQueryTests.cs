using System.Net;
using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Watching;

/// <summary>Filters and the polling cursor of GET /api/events/recent.</summary>
public sealed class RecentQueryTests(ClickstreamAppFactory factory) : IClassFixture<ClickstreamAppFactory>
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task Filters_return_only_matching_events()
    {
        await _api.SetRateAsync(1000);
        var run = await _api.CompleteRunAsync(new { maxEvents = 600, seed = 11 });
        var all = await _api.RunEventsAsync(run.RunId!, 600);
        var someUser = all.GroupBy(e => e.GetProperty("userId").GetString()).OrderByDescending(g => g.Count()).First().Key!;

        var searches = await _api.GetRecentAsyncWith("eventType=search&limit=1000");
        var products = await _api.GetRecentAsyncWith("page=/product/&limit=1000");
        var user = await _api.GetRecentAsyncWith($"userId={someUser}&limit=1000");
        var combined = await _api.GetRecentAsyncWith("eventType=page_view&page=/category/&limit=1000");

        Assert.NotEmpty(searches);
        Assert.All(searches, e => Assert.Equal("search", e.GetProperty("eventType").GetString()));
        Assert.NotEmpty(products);
        Assert.All(products, e => Assert.StartsWith("/product/", e.GetProperty("page").GetString(), StringComparison.Ordinal));
        Assert.Equal(all.Count(e => e.GetProperty("userId").GetString() == someUser), user.Count(e => e.GetProperty("runId").GetString() == run.RunId));
        Assert.All(user, e => Assert.Equal(someUser, e.GetProperty("userId").GetString()));
        Assert.All(combined, e =>
        {
            Assert.Equal("page_view", e.GetProperty("eventType").GetString());
            Assert.StartsWith("/category/", e.GetProperty("page").GetString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Polling_with_the_cursor_misses_nothing_and_repeats_nothing()
    {
        await _api.StopAsync();
        var (first, _) = await _api.GetJsonAsync("/api/events/recent?limit=1");
        var cursor = Cursor(first);
        await _api.SetRateAsync(500);
        var run = await _api.StartAsync(new { maxEvents = 1500 });

        var seen = new List<long>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (seen.Count < 1500 && DateTime.UtcNow < deadline)
        {
            // Small pages while events keep arriving: the cursor must stitch them together.
            var (response, body) = await _api.GetJsonAsync($"/api/events/recent?after={cursor}&limit=37");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("X-Events-Missed"));
            var page = body.EnumerateArray().Select(e => (e.GetProperty("sequence").GetInt64(), e.GetProperty("runId").GetString())).ToList();
            Assert.Equal(page.OrderBy(p => p.Item1), page);
            seen.AddRange(page.Where(p => p.Item2 == run.RunId).Select(p => p.Item1));
            cursor = Cursor(response);
            if (page.Count == 0)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
        }

        Assert.Equal(1500, seen.Count);
        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Equal(Enumerable.Range(0, 1500).Select(i => seen[0] + i), seen);
    }

    [Fact]
    public async Task A_cursor_from_another_epoch_restarts_from_the_oldest_event_held()
    {
        await _api.CompleteRunAsync(new { maxEvents = 5 });

        var (response, body) = await _api.GetJsonAsync("/api/events/recent?after=deadbeef-999999&limit=3");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("true", response.Headers.GetValues("X-Cursor-Reset").Single());
        Assert.Equal(1, body[0].GetProperty("sequence").GetInt64());
    }

    [Theory]
    [InlineData("after=", "after")]
    [InlineData("after=abc", "after")]
    [InlineData("after=x-y", "after")]
    [InlineData("after=-5", "after")]
    [InlineData("userId=", "userId")]
    [InlineData("eventType=", "eventType")]
    public async Task Bad_filters_and_cursors_get_a_problem_naming_the_parameter(string query, string field)
    {
        var (response, body) = await _api.GetJsonAsync($"/api/events/recent?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }

    private static string Cursor(HttpResponseMessage response) => response.Headers.GetValues("X-Next-Cursor").Single();
}

/// <summary>What a reader is told when the buffer moved on without it.</summary>
public sealed class EvictionTests(SmallBufferAppFactory factory) : IClassFixture<SmallBufferAppFactory>
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task A_cursor_older_than_the_buffer_reports_exactly_how_many_events_were_evicted()
    {
        await _api.StopAsync();
        var (before, _) = await _api.GetJsonAsync("/api/events/recent?limit=1");
        var cursor = before.Headers.GetValues("X-Next-Cursor").Single();
        var since = long.Parse(cursor.Split('-')[^1], System.Globalization.CultureInfo.InvariantCulture);
        await _api.SetRateAsync(2000);

        var run = await _api.CompleteRunAsync(new { maxEvents = 450 });
        var (now, _) = await _api.GetJsonAsync("/api/events/recent?limit=1");
        var newest = long.Parse(now.Headers.GetValues("X-Next-Cursor").Single().Split('-')[^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(newest - since >= 450);

        var (response, body) = await _api.GetJsonAsync($"/api/events/recent?after={cursor}&limit=1000");

        var missed = long.Parse(response.Headers.GetValues("X-Events-Missed").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(100, body.GetArrayLength());
        Assert.Equal(newest - since - 100, missed);
        Assert.Equal(newest - 99, body[0].GetProperty("sequence").GetInt64());
        Assert.Equal(run.RunId, body[99].GetProperty("runId").GetString());
    }
}

internal static class RecentExtensions
{
    public static async Task<List<JsonElement>> GetRecentAsyncWith(this ApiClient api, string query)
    {
        var (response, body) = await api.GetJsonAsync($"/api/events/recent?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. body.EnumerateArray()];
    }
}
