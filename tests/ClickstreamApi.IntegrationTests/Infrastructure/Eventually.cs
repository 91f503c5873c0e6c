namespace ClickstreamApi.IntegrationTests.Infrastructure;

/// <summary>Polls for a condition with a generous deadline: behaviour, not speed, is under test.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        var cancellation = TestContext.Current.CancellationToken;
        while (true)
        {
            var value = await probe();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {(timeout ?? DefaultTimeout).TotalSeconds:F0} s waiting for {what}; last value: {value}");
            }

            await Task.Delay(100, cancellation);
        }
    }
}
