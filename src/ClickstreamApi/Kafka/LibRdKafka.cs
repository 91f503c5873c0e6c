using System.Reflection;
using System.Runtime.InteropServices;

namespace ClickstreamApi.Kafka;

/// <summary>
/// The few librdkafka entry points Confluent.Kafka does not expose: creating and driving the
/// built-in mock cluster. The mock API is experimental (rdkafka_mock.h), so Confluent.Kafka's version
/// is pinned in Directory.Packages.props. Only non-variadic functions are bound.
/// </summary>
internal static partial class LibRdKafka
{
    private const string LibraryName = "librdkafka";

    // Same order Confluent.Kafka falls back through: the default build needs libsasl2.so.3, which
    // Debian 12 lacks, so the CentOS 8 build is what loads there; Alpine's is for musl systems.
    private static readonly string[] LinuxCandidates = ["librdkafka.so", "centos8-librdkafka.so", "alpine-librdkafka.so"];

    static LibRdKafka() =>
        NativeLibrary.SetDllImportResolver(typeof(LibRdKafka).Assembly, Resolve);

    internal enum ClientType
    {
        Producer = 0,
    }

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_conf_new")]
    internal static partial IntPtr ConfNew();

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ConfSet(IntPtr conf, string name, string value, byte[] errorBuffer, nuint errorBufferSize);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_new")]
    internal static partial IntPtr New(ClientType type, IntPtr conf, byte[] errorBuffer, nuint errorBufferSize);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_destroy")]
    internal static partial void Destroy(IntPtr rk);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_cluster_new")]
    internal static partial IntPtr MockClusterNew(IntPtr rk, int brokerCount);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    internal static partial void MockClusterDestroy(IntPtr cluster);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    internal static partial IntPtr MockClusterBootstraps(IntPtr cluster);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int MockTopicCreate(IntPtr cluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_partition_delete_records", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int MockPartitionDeleteRecords(IntPtr cluster, string topic, int partition, long beforeOffset);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_group_initial_rebalance_delay_ms")]
    internal static partial void MockGroupInitialRebalanceDelayMs(IntPtr cluster, int delayMs);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_broker_set_down")]
    internal static partial int MockBrokerSetDown(IntPtr cluster, int brokerId);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_broker_set_up")]
    internal static partial int MockBrokerSetUp(IntPtr cluster, int brokerId);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_broker_set_rtt")]
    internal static partial int MockBrokerSetRtt(IntPtr cluster, int brokerId, int rttMs);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_push_request_errors_array")]
    internal static partial void MockPushRequestErrorsArray(IntPtr cluster, short apiKey, nuint count, int[] errors);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_err2str")]
    internal static partial IntPtr ErrorToString(int error);

    internal static string DescribeError(int error) =>
        Marshal.PtrToStringUTF8(ErrorToString(error)) ?? $"librdkafka error {error}";

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibraryName)
        {
            return IntPtr.Zero;
        }

        foreach (var path in CandidatePaths())
        {
            if (File.Exists(path) && NativeLibrary.TryLoad(path, out var handle))
            {
                return handle;
            }
        }

        // Let the runtime's default probing have a go (a system-wide librdkafka, for instance).
        return IntPtr.Zero;
    }

    private static IEnumerable<string> CandidatePaths()
    {
        string[] fileNames = OperatingSystem.IsWindows() ? ["librdkafka.dll"]
            : OperatingSystem.IsMacOS() ? ["librdkafka.dylib"]
            : LinuxCandidates;

        var rid = RuntimeIdentifier();
        var directories = new List<string>
        {
            // `dotnet run` and `dotnet test`: portable layout with per-RID native folders.
            Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native"),
            // `dotnet publish -r linux-x64` (the container image): natives flattened next to the app.
            AppContext.BaseDirectory,
        };
        var confluentDirectory = Path.GetDirectoryName(typeof(Confluent.Kafka.Library).Assembly.Location);
        if (!string.IsNullOrEmpty(confluentDirectory))
        {
            directories.Add(Path.Combine(confluentDirectory, "runtimes", rid, "native"));
            directories.Add(confluentDirectory);
        }

        foreach (var fileName in fileNames)
        {
            foreach (var directory in directories)
            {
                yield return Path.Combine(directory, fileName);
            }
        }
    }

    private static string RuntimeIdentifier()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        return $"{os}-{arch}";
    }
}
