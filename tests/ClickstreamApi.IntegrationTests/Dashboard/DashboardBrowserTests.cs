using System.Net;
using System.Text.Json;
using ClickstreamApi.Generation.Pacing;
using ClickstreamApi.IntegrationTests.Infrastructure;
using Confluent.Kafka;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ClickstreamApi.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard in a real browser: headless Debian chromium driven by Playwright, against the real
/// app on a real port with its embedded Kafka cluster.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class DashboardBrowserTests(KestrelAppFactory factory) : IClassFixture<KestrelAppFactory>
{
    /// <summary>Set to a path to also save the screenshot there after a longer run (how docs/dashboard.png is made).</summary>
    public const string ScreenshotVariable = "DASHBOARD_SCREENSHOT";

    private const string HostilePage = "<img src=x onerror=alert(1)>";
    private static readonly float Timeout = (float)Eventually.DefaultTimeout.TotalMilliseconds;

    [Fact]
    public async Task The_dashboard_shows_the_live_stream_and_drives_the_generator()
    {
        var chromium = ExternalTool.Require("chromium", "apt-get install chromium");
        var baseAddress = factory.BaseAddress;
        var api = new ApiClient(factory.CreateSocketClient());
        await api.StopAsync();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            // Root in a container has no user namespaces for chromium's sandbox.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            lock (dialogs)
            {
                dialogs.Add(dialog.Message);
            }

            _ = dialog.DismissAsync();
        };
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (consoleErrors)
                {
                    consoleErrors.Add(message.Text);
                }
            }
        };

        var response = await page.GotoAsync(baseAddress.ToString());
        Assert.Equal((int)HttpStatusCode.OK, response!.Status);
        await Expect(page).ToHaveTitleAsync("ClickstreamApi · live");
        await Expect(page.Locator("#generator-state")).ToContainTextAsync("stopped", new() { Timeout = Timeout });
        await Expect(page.Locator("#stream-state")).ToContainTextAsync("live", new() { Timeout = Timeout });

        // The API key field: kept in sessionStorage and sent as X-Api-Key on changes.
        await page.Locator("#api-key").FillAsync("dashboard-test-key");
        Assert.Equal("dashboard-test-key", await page.EvaluateAsync<string>("() => sessionStorage.getItem('clickstream.apiKey')"));

        // Start: events arrive in the tail and the chart draws them.
        var start = await page.RunAndWaitForRequestAsync(
            () => page.Locator("#start").ClickAsync(),
            r => r.Url.EndsWith("/api/generator/start", StringComparison.Ordinal));
        Assert.Equal("dashboard-test-key", (await start.AllHeadersAsync())["x-api-key"]);
        await Expect(page.Locator("#generator-state")).ToContainTextAsync("running", new() { Timeout = Timeout });
        await Expect(page.Locator("#tail tr").First).ToBeVisibleAsync(new() { Timeout = Timeout });
        var chart = page.Locator("#rate-chart");
        var samples = await Eventually.Until(
            async () => int.Parse(await chart.GetAttributeAsync("data-samples") ?? "0", System.Globalization.CultureInfo.InvariantCulture),
            n => n >= 3,
            "three samples drawn on the chart");
        await Eventually.Until(
            async () => double.Parse(await chart.GetAttributeAsync("data-last-consumed") is { Length: > 0 } v ? v : "0", System.Globalization.CultureInfo.InvariantCulture),
            rate => rate > 0,
            "a non-zero consumed rate on the chart");
        await Eventually.Until(
            async () => int.Parse(await chart.GetAttributeAsync("data-samples") ?? "0", System.Globalization.CultureInfo.InvariantCulture),
            n => n > samples,
            "the chart to keep updating");
        await Expect(page.Locator("#top-pages tr").First).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Expect(page.Locator("#partitions tr").First).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Expect(page.Locator("#consumed-rate")).Not.ToHaveTextAsync("–", new() { Timeout = Timeout });

        // Change the rate: the service takes it, and says so.
        await page.Locator("#rate").FillAsync("40");
        await page.Locator("#apply-rate").ClickAsync();
        await Expect(page.Locator("#message")).ToContainTextAsync("Rate set to 40 events/s", new() { Timeout = Timeout });
        Assert.Equal(40, (await api.GetGeneratorAsync()).EventsPerSecond);

        // A refused change is explained in words, from the problem document.
        await page.Locator("#rate").FillAsync("0");
        await page.Locator("#apply-rate").ClickAsync();
        await Expect(page.Locator("#message")).ToContainTextAsync("eventsPerSecond: Must be a positive number.", new() { Timeout = Timeout });
        await Expect(page.Locator("#message")).ToHaveClassAsync("message error");

        // Filter the tail to hostile pages, then put one on the topic: it shows as text, and nothing runs.
        await page.Locator("#filter-page").FillAsync("<img");
        await page.Locator("#apply-filter").ClickAsync();
        await Expect(page.Locator("#stream-state")).ToContainTextAsync("live", new() { Timeout = Timeout });
        await ProduceRawEventAsync(api, HostilePage);
        var hostileCell = page.Locator("#tail td.page").First;
        await Expect(hostileCell).ToHaveTextAsync(HostilePage, new() { Timeout = Timeout });
        Assert.Equal(0, await page.Locator("#tail img, #top-pages img").CountAsync());
        Assert.Equal(0, await page.Locator("img").CountAsync());
        await page.Locator("#filter-page").FillAsync(string.Empty);
        await page.Locator("#apply-filter").ClickAsync();

        await SaveScreenshotAsync(page, Path.Combine(AppContext.BaseDirectory, "screenshots", "dashboard.png"));
        if (Environment.GetEnvironmentVariable(ScreenshotVariable) is { Length: > 0 } documentation)
        {
            // A fuller picture for the README: a minute of history on the chart.
            await page.Locator("#rate").FillAsync("60");
            await page.Locator("#profile").SelectOptionAsync("poisson");
            await page.Locator("#apply-rate").ClickAsync();
            await Expect(page.Locator("#message")).ToContainTextAsync("Rate set to 60 events/s (poisson)", new() { Timeout = Timeout });
            await Eventually.Until(
                async () => int.Parse(await chart.GetAttributeAsync("data-samples") ?? "0", System.Globalization.CultureInfo.InvariantCulture),
                n => n >= 60,
                "a minute of chart history",
                TimeSpan.FromMinutes(3));
            await SaveScreenshotAsync(page, Path.GetFullPath(documentation));
        }

        // Stop.
        await page.Locator("#stop").ClickAsync();
        await Expect(page.Locator("#generator-state")).ToContainTextAsync("stopped", new() { Timeout = Timeout });
        Assert.False((await api.GetGeneratorAsync()).Running);

        lock (dialogs)
        {
            Assert.Empty(dialogs);
        }

        lock (consoleErrors)
        {
            // The deliberately refused rate shows as a failed request (400); nothing else may fail.
            Assert.All(consoleErrors, e => Assert.Contains("400", e, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_dashboard_shows_a_simulated_clock_and_sets_the_daily_profile()
    {
        var chromium = ExternalTool.Require("chromium", "apt-get install chromium");
        var api = new ApiClient(factory.CreateSocketClient());
        await api.StopAsync();
        await api.SetRateAsync(2);
        await api.StartAsync(new { startAt = "2026-11-01T08:00:00Z", speed = 10 });

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(factory.BaseAddress.ToString());

        // The run's clock is a month behind the wall clock: the header says where it is and how fast it runs.
        var clock = page.Locator("#clock-state");
        await Expect(clock).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Expect(clock).ToContainTextAsync("simulated 2026-11-01 08:0", new() { Timeout = Timeout });
        await Expect(clock).ToContainTextAsync("10×");

        await page.Locator("#profile").SelectOptionAsync("daily");
        await Expect(page.Locator("#daily-fields")).ToBeVisibleAsync();
        await page.Locator("#rate").FillAsync("5");
        await page.Locator("#peak-hour").FillAsync("19");
        await page.Locator("#apply-rate").ClickAsync();
        await Expect(page.Locator("#message")).ToContainTextAsync("Rate set to 5 events/s (daily)", new() { Timeout = Timeout });
        var status = await api.GetGeneratorAsync();
        Assert.Equal(ClickstreamApi.Generation.Pacing.RateProfileKind.Daily, status.Profile.Name);
        Assert.Equal(19, status.Profile.PeakHour);

        // A run on the wall clock shows no simulated clock.
        await api.StopAsync();
        await api.SetRateAsync(2);
        await api.StartAsync();
        await Expect(clock).ToBeHiddenAsync(new() { Timeout = Timeout });
        await api.StopAsync();
    }

    [Fact]
    public async Task The_page_and_its_scripts_are_served_with_a_policy_that_allows_only_them()
    {
        using var http = factory.CreateSocketClient();

        using var index = await http.GetAsync("/", TestContext.Current.CancellationToken);
        using var script = await http.GetAsync("/dashboard.js", TestContext.Current.CancellationToken);
        using var swagger = await http.GetAsync("/swagger/index.html", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(";", index.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Contains("<script src=\"dashboard.js\"", await index.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("nosniff", script.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(HttpStatusCode.OK, swagger.StatusCode);
    }

    private static async Task SaveScreenshotAsync(IPage page, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.SendDiagnosticMessage($"dashboard screenshot: {path}");
    }

    /// <summary>Writes one valid event with the given page straight onto the topic, as any producer could.</summary>
    private static async Task ProduceRawEventAsync(ApiClient api, string pagePath)
    {
        var kafka = await api.GetKafkaAsync();
        var json = JsonSerializer.Serialize(new
        {
            eventId = Guid.NewGuid(),
            seq = 1,
            runId = "dashboard-hostile",
            userId = "mallory",
            eventType = "page_view",
            page = pagePath,
            occurredAt = DateTime.UtcNow,
        });
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        await producer.ProduceAsync(kafka.Topic, new Message<string, string> { Key = "mallory", Value = json }, TestContext.Current.CancellationToken);
    }
}
