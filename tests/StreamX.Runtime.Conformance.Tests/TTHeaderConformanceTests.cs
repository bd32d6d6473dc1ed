using System.Net;
using StreamX.Runtime.Conformance.Tests.Infrastructure;
using StreamX.Transport;
using StreamX.Transport.TTHeader;

namespace StreamX.Runtime.Conformance.Tests;

/// <summary>The conformance suite over TTHeader Streaming on real sockets (Kestrel on 127.0.0.1, port 0).</summary>
public sealed class TTHeaderConformanceTests : StreamConformanceTests
{
    // Socket buffers absorb messages before TCP pushes back.
    protected override string TransportName => "ttheader";

    protected override int MaxMessagesBeforeBackpressure => 20_000;

    protected override bool StopAbortsConnections => true;

    protected override async Task<IConformanceHost> StartServerAsync(StreamXServerOptions options, params ServiceDefinition[] services) =>
        new Host(await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), options, services));

    private sealed class Host(StreamXServer server) : IConformanceHost
    {
        private readonly List<TTHeaderClientTransport> _clients = new();

        public StreamXDispatcher Dispatcher => server.Dispatcher;

        public ClientTransport CreateClientTransport()
        {
            var transport = new TTHeaderClientTransport(server.LocalEndPoint);
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
