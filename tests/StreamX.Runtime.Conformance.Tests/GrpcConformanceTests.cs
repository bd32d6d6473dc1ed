using System.Net;
using StreamX.Runtime.Conformance.Tests.Infrastructure;
using StreamX.Transport;
using StreamX.Transport.Grpc;

namespace StreamX.Runtime.Conformance.Tests;

/// <summary>The conformance suite over gRPC (HTTP/2 on Kestrel, SocketsHttpHandler client, 127.0.0.1, port 0).</summary>
public sealed class GrpcConformanceTests : StreamConformanceTests
{
    // HTTP/2 flow-control windows and socket buffers absorb messages before the sender waits.
    protected override int MaxMessagesBeforeBackpressure => 20_000;

    protected override string MetainfoKeyAsReceived(string key) => key.ToUpperInvariant();

    protected override bool StopAbortsConnections => true;

    protected override async Task<IConformanceHost> StartServerAsync(StreamXServerOptions options, params ServiceDefinition[] services) =>
        new Host(await StreamXGrpcServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), options, services));

    private sealed class Host(StreamXGrpcServer server) : IConformanceHost
    {
        private readonly List<GrpcClientTransport> _clients = new();

        public StreamXDispatcher Dispatcher => server.Dispatcher;

        public ClientTransport CreateClientTransport()
        {
            // Both ends are StreamX: cancels carry their code and canceled path in every mode.
            var transport = new GrpcClientTransport(new GrpcClientOptions
            {
                Address = new Uri($"http://{server.LocalEndPoint}"),
                CancelDetails = GrpcCancelDetails.Always,
            });
            lock (_clients)
            {
                _clients.Add(transport);
            }

            return transport;
        }

        public void DropConnections()
        {
            lock (_clients)
            {
                foreach (var c in _clients)
                {
                    c.CloseConnections();
                }
            }
        }

        public Task StopAsync(CancellationToken cancellationToken = default) => server.StopAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await server.DisposeAsync();
            foreach (var c in _clients)
            {
                await c.DisposeAsync();
            }
        }
    }
}
