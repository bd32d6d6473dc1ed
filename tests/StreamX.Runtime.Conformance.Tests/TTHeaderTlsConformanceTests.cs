using System.Net;
using StreamX.Runtime.Conformance.Tests.Infrastructure;
using StreamX.Transport;
using StreamX.Transport.TTHeader;

namespace StreamX.Runtime.Conformance.Tests;

/// <summary>
/// The conformance suite over TTHeader Streaming with TLS on both ends (Kestrel's HTTPS middleware on the server,
/// <see cref="System.Net.Security.SslStream"/> in the client; a self-signed certificate the client trusts as its root).
/// The client gives no target host: it is checked against the address, 127.0.0.1.
/// </summary>
public sealed class TTHeaderTlsConformanceTests : StreamConformanceTests
{
    protected override string TransportName => "ttheader";

    protected override int MaxMessagesBeforeBackpressure => 20_000;

    protected override bool StopAbortsConnections => true;

    protected override async Task<IConformanceHost> StartServerAsync(StreamXServerOptions options, params ServiceDefinition[] services)
    {
        var server = await StreamXServer.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0),
            options,
            services,
            new TTHeaderServerOptions { Tls = TestCertificates.ServerOptions() });
        return new SocketConformanceHost<TTHeaderClientTransport>(
            server.Dispatcher,
            server.StopAsync,
            server,
            () => new TTHeaderClientTransport(server.LocalEndPoint, new TTHeaderClientOptions { Tls = TestCertificates.ClientTrustingServer() }),
            c => c.CloseConnections());
    }
}
