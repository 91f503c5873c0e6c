using System.Globalization;

namespace ClickstreamApi.LoadBench.Measuring;

/// <summary>CPU time used by every process on the machine (the first line of /proc/stat: user, nice, system, irq, softirq, steal), to say how busy the machine was besides the service.</summary>
internal static class MachineCpu
{
    public static TimeSpan Busy()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // cpu user nice system idle iowait irq softirq steal ...
            long Field(int i) => i < fields.Length ? long.Parse(fields[i], CultureInfo.InvariantCulture) : 0;
            var ticks = Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8);
            // USER_HZ is 100 on every Linux the harness runs on.
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }
}
