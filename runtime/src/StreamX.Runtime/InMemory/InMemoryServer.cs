using System.Collections.Concurrent;
using StreamX.Thrift;
using StreamX.Transport;

namespace StreamX.InMemory;

/// <summary>
/// A StreamX server in the same process, with no sockets: the in-memory transport. It runs the
/// same stream lifecycle as the network transports (headers, trailers, resets, bounded buffers,
/// cancellation cascades, graceful stop) and serialises every message, so tests that pass here
/// exercise the real contract. Use it in your own tests:
/// <code>
/// await using var server = new InMemoryServer(new StreamXServerOptions(), TestServiceBase.BindService(new MyService()));
/// var client = new TestServiceClient(server.CreateClientTransport(), new StreamXClientOptions { ServiceName = "tests" });
/// </code>
/// </summary>
public sealed class InMemoryServer : IAsyncDisposable
{
    private static readonly TransportTelemetry Telemetry = new("inmemory");
    private readonly ConcurrentDictionary<Pair, byte> _live = new();

    /// <summary>Hosts services.</summary>
    public InMemoryServer(StreamXServerOptions options, params IEnumerable<ServiceDefinition> services)
    {
        Dispatcher = new StreamXDispatcher(options, services);
    }

    /// <summary>The dispatcher (routing, handlers, graceful stop).</summary>
    public StreamXDispatcher Dispatcher { get; }

    /// <summary>Streams currently connected.</summary>
    public int LiveStreams => _live.Count;

    /// <summary>A client transport connected to this server. <paramref name="peerName"/> is what handlers see as the peer.</summary>
    public ClientTransport CreateClientTransport(string peerName = "in-memory") => new Client(this, peerName);

    /// <summary>Simulates losing the connection: server handlers get 12013, clients 12006.</summary>
    public void DropConnections()
    {
        foreach (var pair in _live.Keys)
        {
            pair.Server?.OnConnectionClosed(new IOException("in-memory connection dropped"));
            pair.Client.OnTransportError(StreamErrors.TransportClosing with { Cause = new IOException("connection closed by peer") });
        }
    }

    /// <summary>Graceful stop (see <see cref="StreamXDispatcher.StopAsync"/>).</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => Dispatcher.StopAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private static ReadOnlyMemory<byte> Copy(ReadOnlyMemory<byte> payload) => payload.ToArray();

    private static ThriftApplicationException ToWire(StreamError error) => new(error.Code, error.WireMessage);

    private sealed class Pair(ClientStreamCore client)
    {
        public ClientStreamCore Client { get; } = client;

        public ServerStreamCore? Server { get; set; }

        public int Released;
    }

    private sealed class Client(InMemoryServer server, string peer) : ClientTransport
    {
        public override TransportTelemetry Telemetry => InMemoryServer.Telemetry;

        public override ValueTask<StreamWire> OpenStreamAsync(ClientStreamCore stream, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pair = new Pair(stream);
            var serverCore = new ServerStreamCore(
                stream.Settings.ServiceName,
                stream.Settings.MethodName,
                stream.Settings.Headers,
                new ServerWire(server, pair),
                server.Dispatcher.Options.ReceiveBufferCapacity,
                peer)
            {
                TransportTelemetry = InMemoryServer.Telemetry,
            };
            pair.Server = serverCore;
            server._live[pair] = 0;
            server.Dispatcher.AcceptStream(serverCore);
            return ValueTask.FromResult<StreamWire>(new ClientWire(server, pair));
        }

        public override async ValueTask<ReadOnlyMemory<byte>> InvokeUnaryAsync(UnaryRequest request, CancellationToken cancellationToken)
        {
            // The client says why it canceled (its own token, a deadline, a cascade); the handler sees
            // that code and path, as it would see them in a ttstream reset.
            StreamError? Reason()
            {
                if (!cancellationToken.IsCancellationRequested)
                {
                    return null;
                }

                var wire = request.CancellationReason?.Invoke() ?? (StreamErrors.UserCanceled with { CanceledPath = request.CallerServiceName });
                return StreamErrors.FromReset(StreamSide.Server, ToWire(wire), wire.CanceledPath);
            }

            var result = await server.Dispatcher.InvokeUnaryAsync(request.ServiceName, request.MethodName, Copy(request.Arguments), request.Headers, peer, Reason, InMemoryServer.Telemetry, cancellationToken).ConfigureAwait(false);
            return Copy(result);
        }
    }

    /// <summary>Client → server.</summary>
    private sealed class ClientWire(InMemoryServer server, Pair pair) : StreamWire
    {
        public override ValueTask WriteHeaderAsync(IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the client's header is sent when the stream opens");

        public override ValueTask WriteDataAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
            pair.Server!.OnDataAsync(Copy(payload), cancellationToken);

        public override ValueTask WriteTrailerAsync(IReadOnlyDictionary<string, string> trailers, ThriftApplicationException? exception, CancellationToken cancellationToken)
        {
            pair.Server!.OnTrailer(Metadata.Copy(trailers), exception);
            return ValueTask.CompletedTask;
        }

        public override ValueTask WriteResetAsync(StreamError error, bool localHalfClosed, CancellationToken cancellationToken)
        {
            pair.Server!.OnReset(ToWire(error), error.CanceledPath);
            return ValueTask.CompletedTask;
        }

        public override void Release() => ReleaseOnce(server, pair);
    }

    /// <summary>Server → client.</summary>
    private sealed class ServerWire(InMemoryServer server, Pair pair) : StreamWire
    {
        public override ValueTask WriteHeaderAsync(IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
        {
            pair.Client.OnHeader(Metadata.Copy(headers));
            return ValueTask.CompletedTask;
        }

        public override ValueTask WriteDataAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
            pair.Client.OnDataAsync(Copy(payload), cancellationToken);

        public override ValueTask WriteTrailerAsync(IReadOnlyDictionary<string, string> trailers, ThriftApplicationException? exception, CancellationToken cancellationToken)
        {
            pair.Client.OnTrailer(Metadata.Copy(trailers), exception);
            return ValueTask.CompletedTask;
        }

        public override ValueTask WriteResetAsync(StreamError error, bool localHalfClosed, CancellationToken cancellationToken)
        {
            pair.Client.OnReset(ToWire(error), error.CanceledPath);
            return ValueTask.CompletedTask;
        }

        public override void Release() => ReleaseOnce(server, pair);
    }

    // The pair leaves the live table when both ends have released it.
    private static void ReleaseOnce(InMemoryServer server, Pair pair)
    {
        if (Interlocked.Increment(ref pair.Released) == 2)
        {
            server._live.TryRemove(pair, out _);
        }
    }
}
