using System.Globalization;
using System.Runtime.InteropServices;

namespace ClickstreamApi.Hosting;

/// <summary>
/// Caps glibc's malloc arenas (<c>Runtime:MallocArenaMax</c>, default 2). librdkafka's threads (one
/// per broker connection and client, plus the embedded broker's) each get an arena of their own by
/// default, up to 8 per core, and freed Kafka buffers stay resident in them: at 50,000 events/s the
/// cap takes about 40 MiB off the service's RSS (BENCHMARKS.md, "Memory"). It must run before those
/// threads start. Skipped when <c>MALLOC_ARENA_MAX</c> is set (glibc already applied it), with 0,
/// and where there is no glibc.
/// </summary>
public static partial class MallocArenas
{
    public const string ConfigurationKey = "Runtime:MallocArenaMax";
    public const int Default = 2;
    private const int MArenaMax = -8; // M_ARENA_MAX in glibc's malloc.h

    /// <summary>The cap this process set, or null when it left malloc alone.</summary>
    public static int? Applied { get; private set; }

    public static WebApplicationBuilder LimitMallocArenas(this WebApplicationBuilder builder)
    {
        var text = builder.Configuration[ConfigurationKey];
        var arenas = Default;
        if (!string.IsNullOrEmpty(text)
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out arenas) || arenas > 64))
        {
            throw new InvalidOperationException($"{ConfigurationKey} must be a whole number from 0 (leave glibc's default) to 64; got '{text}'.");
        }

        if (arenas == 0 || !OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null)
        {
            return builder;
        }

        try
        {
            // mallopt returns 1 on success.
            Applied = Mallopt(MArenaMax, arenas) == 1 ? arenas : null;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc (musl, for one): its allocator has no arenas to cap.
        }

        return builder;
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}
