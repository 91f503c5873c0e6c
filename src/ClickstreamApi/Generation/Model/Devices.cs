using ClickstreamApi.Events;

namespace ClickstreamApi.Generation.Model;

/// <summary>Devices and user agents that match them; bots announce themselves in theirs.</summary>
public static class Devices
{
    public static readonly Weighted<string> ByTraffic = new([(DeviceTypes.Desktop, 45), (DeviceTypes.Mobile, 48), (DeviceTypes.Tablet, 7)]);

    public static readonly IReadOnlyDictionary<string, Weighted<string>> UserAgents = new Dictionary<string, Weighted<string>>
    {
        [DeviceTypes.Desktop] = new(
        [
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", 45),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", 20),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", 15),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0", 10),
            ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", 10),
        ]),
        [DeviceTypes.Mobile] = new(
        [
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", 45),
            ("Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", 30),
            ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", 15),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1", 10),
        ]),
        [DeviceTypes.Tablet] = new(
        [
            ("Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", 70),
            ("Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", 30),
        ]),
    };

    /// <summary>Crawlers; each names itself with "bot", "crawler" or "spider" as real ones do.</summary>
    public static readonly Weighted<string> BotAgents = new(
    [
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 40),
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", 20),
        ("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", 15),
        ("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", 10),
        ("Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)", 10),
        ("python-requests/2.32.3 (price-crawler)", 5),
    ]);

    private static readonly string[] BotMarkers = ["bot", "crawler", "spider"];

    /// <summary>How a downstream job can tell bot traffic: the markers real crawlers use.</summary>
    public static bool IsBot(string? userAgent) =>
        userAgent is not null && BotMarkers.Any(marker => userAgent.Contains(marker, StringComparison.OrdinalIgnoreCase));
}
