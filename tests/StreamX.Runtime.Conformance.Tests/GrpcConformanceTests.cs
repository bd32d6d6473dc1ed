using System.Net;
using StreamX.Runtime.Conformance.Tests.Infrastructure;
using StreamX.Transport;
using StreamX.Transport.Grpc;

namespace StreamX.Runtime.Conformance.Tests;

/// <summary>The conformance suite over gRPC (HTTP/2 on Kestrel, SocketsHttpHandler client, 127.0.0.1, port 0).</summary>
public sealed class GrpcConformanceTests : StreamConformanceTests
{
    protected override string TransportName => "grpc";

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

    /// <summary>
    /// SocketsHttpHandler starts its own activity (<c>System.Net.Http.HttpRequestOut</c>) when something listens,
    /// and propagates the current activity itself. The client span is current while the request is sent, so
    /// HttpClient's span is its child, and the <c>traceparent</c> StreamX already set is kept: the server gets
    /// exactly one, naming the client span, which is the server span's parent.
    /// </summary>
    [Fact]
    public async Task Telemetry_HttpClientsOwnActivity_IsAChildOfTheClientSpan_AndTheServerGetsOneTraceparent()
    {
        using var capture = new TelemetryCapture(extraSources: "System.Net.Http");
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new EchoService
        {
            EchoServer = async (req, responses, ctx) =>
            {
                seen.TrySetResult(ctx.RequestHeaders["traceparent"]);
                await responses.SendAsync(EchoService.Res("r"));
            },
        };
        var (host, client) = await StartObservedAsync(capture, service);
        await using var _ = host;

        await using (var call = client.EchoServer(EchoService.Req("x")))
        {
            Assert.Equal("r", (await call.RecvAsync().Within())!.Message);
            Assert.Null(await call.RecvAsync().Within());
        }

        var name = $"{capture.Service}/EchoServer";
        var clientSpan = await capture.SpanAsync(System.Diagnostics.ActivityKind.Client, name);
        var serverSpan = await capture.SpanAsync(System.Diagnostics.ActivityKind.Server, name);
        var http = (await capture.SpansAsync(s => s.Any(a => a.Source.Name == "System.Net.Http"))).Single(a => a.Source.Name == "System.Net.Http");
        Assert.Equal(clientSpan.SpanId, http.ParentSpanId);
        Assert.Equal(clientSpan.Id, await seen.Task.Within());
        Assert.Equal(clientSpan.SpanId, serverSpan.ParentSpanId);
    }
}
