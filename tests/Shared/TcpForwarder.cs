using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace StreamX.Tests.Shared;

/// <summary>
/// A TCP forwarder on 127.0.0.1 (port 0) in front of a server, for tests that need the "server" to drop its connections
/// while it keeps listening: <see cref="DropConnectionsAsync"/> closes every forwarded connection toward the client
/// (which reads end of stream) and returns once they are closed, so no server restart on a fixed port (a port that a
/// parallel test's outgoing connection may have taken meanwhile) is needed.
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly EndPoint _target;
    private readonly ConcurrentDictionary<Pair, byte> _pairs = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public TcpForwarder(EndPoint target)
    {
        _target = target;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _accepting = AcceptLoopAsync();
    }

    /// <summary>Where clients connect.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Connections forwarded so far (open or not).</summary>
    public int Accepted { get; private set; }

    /// <summary>Closes every forwarded connection (both sides) and waits until each is closed.</summary>
    public async Task DropConnectionsAsync()
    {
        var pairs = _pairs.Keys.ToList();
        foreach (var pair in pairs)
        {
            pair.Close();
        }

        await Task.WhenAll(pairs.Select(p => p.Done)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await DropConnectionsAsync().ConfigureAwait(false);
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            client.NoDelay = true;
            try
            {
                await server.ConnectAsync(_target, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }

            Accepted++;
            var pair = new Pair(client, server);
            _pairs[pair] = 0;
            _ = pair.Done.ContinueWith(_ => _pairs.TryRemove(pair, out byte _), TaskScheduler.Default);
        }
    }

    /// <summary>One forwarded connection: bytes pumped both ways until either side ends or it is closed.</summary>
    private sealed class Pair
    {
        private readonly Socket _client;
        private readonly Socket _server;

        public Pair(Socket client, Socket server)
        {
            _client = client;
            _server = server;
            Done = Task.WhenAll(PumpAsync(client, server), PumpAsync(server, client)).ContinueWith(_ => Close(), TaskScheduler.Default);
        }

        public Task Done { get; }

        public void Close()
        {
            _client.Dispose();
            _server.Dispose();
        }

        private static async Task PumpAsync(Socket from, Socket to)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var n = await from.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                    if (n == 0)
                    {
                        to.Shutdown(SocketShutdown.Send);
                        return;
                    }

                    await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Closed (by the test or a side): the other pump ends too once its socket is disposed.
                from.Dispose();
                to.Dispose();
            }
        }
    }
}
