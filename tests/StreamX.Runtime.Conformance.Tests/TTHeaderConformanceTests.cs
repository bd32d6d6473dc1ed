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

    protected override async Task<IConformanceHost> StartServerAsync(StreamXServerOptions options, params ServiceDefinition[] services)
    {
        var server = await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), options, services);
        return new SocketConformanceHost<TTHeaderClientTransport>(
            server.Dispatcher,
            server.StopAsync,
            server,
            () => new TTHeaderClientTransport(server.LocalEndPoint),
            c => c.CloseConnections());
    }
}
