using System.Runtime.InteropServices;

namespace ClickstreamApi.Kafka;

/// <summary>
/// librdkafka's mock cluster: a Kafka-protocol server on 127.0.0.1 with a random port per broker,
/// running inside this process. Real clients (ours, kcat, Python) connect to it over TCP.
/// </summary>
internal sealed class EmbeddedKafkaCluster : IDisposable
{
    private readonly Lock _gate = new();
    private IntPtr _owner;
    private IntPtr _cluster;

    private EmbeddedKafkaCluster(IntPtr owner, IntPtr cluster, int brokerCount, string bootstrapServers)
    {
        _owner = owner;
        _cluster = cluster;
        BrokerCount = brokerCount;
        BootstrapServers = bootstrapServers;
    }

    public string BootstrapServers { get; }

    public int BrokerCount { get; }

    public static EmbeddedKafkaCluster Start(int brokerCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);

        // The mock cluster needs an rd_kafka_t to own it; a producer handle with no brokers is enough.
        var errors = new byte[512];
        var conf = LibRdKafka.ConfNew();
        // The owner never connects anywhere; keep its "no bootstrap.servers" notice off stderr.
        LibRdKafka.ConfSet(conf, "log_level", "3", errors, (nuint)errors.Length);
        var owner = LibRdKafka.New(LibRdKafka.ClientType.Producer, conf, errors, (nuint)errors.Length);
        if (owner == IntPtr.Zero)
        {
            throw new InvalidOperationException(
                $"Could not create the librdkafka handle that owns the embedded cluster: {ReadCString(errors)}");
        }

        var cluster = LibRdKafka.MockClusterNew(owner, brokerCount);
        if (cluster == IntPtr.Zero)
        {
            LibRdKafka.Destroy(owner);
            throw new InvalidOperationException("librdkafka could not create the embedded mock cluster.");
        }

        // Without this the first consumer group join waits the broker default of 3 s.
        LibRdKafka.MockGroupInitialRebalanceDelayMs(cluster, 0);

        var bootstrap = Marshal.PtrToStringUTF8(LibRdKafka.MockClusterBootstraps(cluster))
            ?? throw new InvalidOperationException("The embedded cluster reported no bootstrap address.");
        return new EmbeddedKafkaCluster(owner, cluster, brokerCount, bootstrap);
    }

    public void CreateTopic(string topic, int partitions)
    {
        var error = WithCluster(cluster => LibRdKafka.MockTopicCreate(cluster, topic, partitions, 1));
        ThrowIfError(error, $"create topic '{topic}'");
    }

    public int DeleteRecords(string topic, int partition, long beforeOffset) =>
        WithCluster(c => LibRdKafka.MockPartitionDeleteRecords(c, topic, partition, beforeOffset));

    public void SetBrokerDown(int brokerId) =>
        ThrowIfError(WithCluster(c => LibRdKafka.MockBrokerSetDown(c, brokerId)), $"take broker {brokerId} down");

    public void SetBrokerUp(int brokerId) =>
        ThrowIfError(WithCluster(c => LibRdKafka.MockBrokerSetUp(c, brokerId)), $"bring broker {brokerId} up");

    public void SetRoundTripTime(int brokerId, int milliseconds) =>
        ThrowIfError(WithCluster(c => LibRdKafka.MockBrokerSetRtt(c, brokerId, milliseconds)), "set the round-trip time");

    public void PushRequestErrors(short apiKey, int[] errorCodes) =>
        WithCluster(c =>
        {
            LibRdKafka.MockPushRequestErrorsArray(c, apiKey, (nuint)errorCodes.Length, errorCodes);
            return 0;
        });

    public void Dispose()
    {
        lock (_gate)
        {
            // Order matters: destroying the owning handle first makes librdkafka abort the process.
            if (_cluster != IntPtr.Zero)
            {
                LibRdKafka.MockClusterDestroy(_cluster);
                _cluster = IntPtr.Zero;
            }

            if (_owner != IntPtr.Zero)
            {
                LibRdKafka.Destroy(_owner);
                _owner = IntPtr.Zero;
            }
        }
    }

    private int WithCluster(Func<IntPtr, int> action)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_cluster == IntPtr.Zero, this);
            return action(_cluster);
        }
    }

    private static void ThrowIfError(int error, string what)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"The embedded cluster could not {what}: {LibRdKafka.DescribeError(error)}");
        }
    }

    private static string ReadCString(byte[] buffer)
    {
        var length = Array.IndexOf(buffer, (byte)0);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, length < 0 ? buffer.Length : length);
    }
}
