using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace ClickstreamApi.LoadBench.Reporting;

/// <summary>The machine line every table is headed with: figures mean little without it.</summary>
internal static class MachineInfo
{
    public static string Describe(string serviceAssembly)
    {
        var cpu = FirstValue("/proc/cpuinfo", "model name") ?? "unknown CPU";
        var megahertz = FirstValue("/proc/cpuinfo", "cpu MHz");
        if (megahertz is not null && double.TryParse(megahertz, NumberStyles.Float, CultureInfo.InvariantCulture, out var mhz))
        {
            cpu += string.Create(CultureInfo.InvariantCulture, $" {mhz / 1000:F2} GHz");
        }

        var memory = FirstValue("/proc/meminfo", "MemTotal") is { } total
            ? string.Create(CultureInfo.InvariantCulture, $"{long.Parse(total.Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0 / 1024.0:F1} GiB RAM")
            : "unknown RAM";
        var os = OperatingSystemName();
        var kafka = ConfluentKafkaVersion(serviceAssembly);
        return $"{Environment.ProcessorCount} cores ({cpu}), {memory}, {os}, {RuntimeInformation.FrameworkDescription}, Confluent.Kafka {kafka}";
    }

    /// <summary>The 1, 5 and 15 minute load averages now: a busy machine makes noisy numbers.</summary>
    public static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{parts[0]} {parts[1]} {parts[2]}";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string OperatingSystemName()
    {
        const string Key = "PRETTY_NAME=";
        if (File.Exists("/etc/os-release"))
        {
            var line = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith(Key, StringComparison.Ordinal));
            if (line is not null)
            {
                return line[Key.Length..].Trim('"');
            }
        }

        return RuntimeInformation.OSDescription;
    }

    private static string ConfluentKafkaVersion(string serviceAssembly)
    {
        var path = Path.Combine(Path.GetDirectoryName(serviceAssembly) ?? ".", "Confluent.Kafka.dll");
        if (!File.Exists(path))
        {
            return "unknown";
        }

        var version = AssemblyName.GetAssemblyName(path).Version;
        return version is null ? "unknown" : version.ToString(3);
    }

    private static string? FirstValue(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim() == key)
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }
}
