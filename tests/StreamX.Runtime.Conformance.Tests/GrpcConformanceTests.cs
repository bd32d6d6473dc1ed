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

    protected override async Task<IConformanceHost> StartServerAsync(StreamXServerOptions options, params ServiceDefinition[] services)
    {
        var server = await StreamXGrpcServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), options, services);
        return new SocketConformanceHost<GrpcClientTransport>(
            server.Dispatcher,
            server.StopAsync,
            server,
            () => new GrpcClientTransport(new GrpcClientOptions
            {
                Address = new Uri($"http://{server.LocalEndPoint}"),

                // Both ends are StreamX: cancels carry their code and canceled path in every mode.
                CancelDetails = GrpcCancelDetails.Always,
            }),
            c => c.CloseConnections());
    }
}
