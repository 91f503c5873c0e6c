using ClickstreamApi.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ClickstreamApi.IntegrationTests.Dashboard;

/// <summary>The dashboard of a fleet member in headless chromium: the fleet card, and controls that steer the fleet.</summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class DashboardFleetTests(FleetKestrelAppFactory factory) : IClassFixture<FleetKestrelAppFactory>
{
    private static readonly float Timeout = (float)Eventually.DefaultTimeout.TotalMilliseconds;

    [Fact]
    public async Task A_fleet_member_s_dashboard_shows_the_members_and_its_controls_send_fleet_commands()
    {
        var chromium = ExternalTool.Require("chromium", "apt-get install chromium");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(factory.BaseAddress.ToString());

        await Expect(page.Locator("#fleet-card")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Expect(page.Locator("#fleet-state")).ToContainTextAsync("fleet dashboard · 1 member", new() { Timeout = Timeout });
        var member = page.Locator("#fleet-members tr[data-member='solo']");
        await Expect(member.Locator("td").Nth(2)).ToHaveTextAsync("64", new() { Timeout = Timeout });

        await page.Locator("#rate").FillAsync("150");
        var rate = await page.RunAndWaitForRequestAsync(() => page.Locator("#apply-rate").ClickAsync(), r => r.Url.EndsWith("/api/fleet/rate", StringComparison.Ordinal));
        Assert.Equal("PUT", rate.Method);

        // The rate's answer first: a start sent while the rate is still being published can be answered before it,
        // and the rate's message would then replace the start's.
        await Expect(page.Locator("#message")).ToContainTextAsync("Sent to the fleet: rate", new() { Timeout = Timeout });
        var start = await page.RunAndWaitForRequestAsync(() => page.Locator("#start").ClickAsync(), r => r.Url.EndsWith("/api/fleet/start", StringComparison.Ordinal));
        Assert.Equal("POST", start.Method);
        await Expect(page.Locator("#message")).ToContainTextAsync("Sent to the fleet: start", new() { Timeout = Timeout });
        await Expect(page.Locator("#fleet-state")).ToContainTextAsync("running · 150/s", new() { Timeout = Timeout });
        await Expect(member.Locator("td").Nth(1)).ToHaveTextAsync("running", new() { Timeout = Timeout });
        await Expect(page.Locator("#generator-state")).ToContainTextAsync("running", new() { Timeout = Timeout });
        await Expect(page.Locator("#tail tr").First).ToBeVisibleAsync(new() { Timeout = Timeout });

        await page.RunAndWaitForRequestAsync(() => page.Locator("#stop").ClickAsync(), r => r.Url.EndsWith("/api/fleet/stop", StringComparison.Ordinal));
        await Expect(page.Locator("#generator-state")).ToContainTextAsync("stopped", new() { Timeout = Timeout });
        await Expect(member.Locator("td").Nth(8)).ToHaveTextAsync("6 of 6", new() { Timeout = Timeout });
        await Expect(member.Locator("td").Nth(9)).ToHaveTextAsync("applied", new() { Timeout = Timeout });

        // The merged analytics: one member, its consumer on every partition, and what it consumed.
        await Expect(page.Locator("#fleet-analytics")).ToContainTextAsync("Merged over 1 member of consumer group", new() { Timeout = Timeout });
        await Expect(page.Locator("#fleet-analytics")).ToContainTextAsync("(6 of 6 partitions)", new() { Timeout = Timeout });
        await Expect(page.Locator("#fleet-analytics")).ToContainTextAsync("active users", new() { Timeout = Timeout });
    }
}
