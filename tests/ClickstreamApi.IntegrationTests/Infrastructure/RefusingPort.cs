using System.Net;
using System.Net.Sockets;

namespace ClickstreamApi.IntegrationTests.Infrastructure;

/// <summary>
/// A loopback port where every connection is refused, for as long as the test holds it: a socket is
/// bound to it without listening. A port only found free would not do: another test's embedded
/// cluster, started meanwhile, may be given the same ephemeral port and answer on it.
/// </summary>
public sealed class RefusingPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public RefusingPort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public void Dispose() => _socket.Dispose();
}
