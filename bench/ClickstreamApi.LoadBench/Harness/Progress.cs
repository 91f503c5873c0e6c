namespace ClickstreamApi.LoadBench.Harness;

/// <summary>Progress lines on standard error, so standard output holds only the report.</summary>
internal static class Progress
{
    public static void Write(string text) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {text}");
}
