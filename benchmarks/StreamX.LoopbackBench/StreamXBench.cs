using System.Diagnostics;
using System.Globalization;
using System.Net;
using StreamX.Examples.Echo;
using StreamX.Transport;
using StreamX.Transport.Grpc;
using StreamX.Transport.TTHeader;

namespace StreamX.LoopbackBench;

/// <summary>
/// The echo service the StreamX scenarios call. <c>EchoServer("stream:N")</c> sends N copies of the
/// 1 KiB response; <c>EchoServer("cancel")</c> waits for its token and stamps when it fired;
/// <c>Echo</c> answers every request with a response carrying the same text.
/// </summary>
internal sealed class BenchService : TestService.TestServiceBase
{
    /// <summary>The cancel probe in flight (one at a time).</summary>
    public static CancelProbe? Probe;

    public override async Task EchoServerAsync(Request req, MessageWriter<Response> responses, ServerCallContext context)
    {
        var text = req.Message ?? string.Empty;
        if (text == "cancel")
        {
            var probe = Probe!;

            // Wait on the probe, not on the token: a Task.Delay canceled by the same token may resume
            // this handler inline inside Cancel, before our callback ran, and disposing the
            // registration then would drop the callback (callbacks run last-registered first).
            var registration = context.CancellationToken.UnsafeRegister(static state =>
            {
                var p = (CancelProbe)state!;
                p.FiredAt = Stopwatch.GetTimestamp();
                p.Fired.TrySetResult();
            }, probe);
            probe.Started.TrySetResult();
            await probe.Fired.Task;
            registration.Dispose();
            return;
        }

        var count = int.Parse(text.AsSpan("stream:".Length), CultureInfo.InvariantCulture);
        var response = Payload.Response;
        for (var i = 0; i < count; i++)
        {
            await responses.SendAsync(response, context.CancellationToken);
        }
    }

    public override async Task EchoAsync(MessageReader<Request> requests, MessageWriter<Response> responses, ServerCallContext context)
    {
        while (await requests.RecvAsync(context.CancellationToken) is { } request)
        {
            await responses.SendAsync(new Response { Message = request.Message }, context.CancellationToken);
        }
    }
}

internal sealed class CancelProbe
{
    public readonly TaskCompletionSource Started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public readonly TaskCompletionSource Fired = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public long FiredAt;
}

/// <summary>
/// A StreamX server (Kestrel, 127.0.0.1, port 0) and a client, over TTHeader Streaming (one
/// TTHeaderClientTransport, mux pool, defaults) or gRPC (StreamXGrpcServer and one GrpcClientTransport, defaults).
/// </summary>
internal sealed class StreamXSide : IAsyncDisposable
{
    private readonly IAsyncDisposable _server;
    private readonly ClientTransport _transport;

    private StreamXSide(string name, IAsyncDisposable server, IPEndPoint endPoint, ClientTransport transport)
    {
        Name = name;
        EndPoint = endPoint;
        _server = server;
        _transport = transport;
        Client = new TestService.TestServiceClient(transport, new StreamXClientOptions { ServiceName = "bench-client" });
    }

    /// <summary>"ttstream", "gRPC" or "gRPC, CancelDetails=Always".</summary>
    public string Name { get; }

    public TestService.TestServiceClient Client { get; }

    /// <summary>Where the server listens.</summary>
    public IPEndPoint EndPoint { get; }

    public static async Task<StreamXSide> StartAsync(string kind = "ttstream")
    {
        var endPoint = new IPEndPoint(IPAddress.Loopback, 0);
        var options = new StreamXServerOptions { ServiceName = "bench-server" };
        var services = new[] { TestService.TestServiceBase.BindService(new BenchService()) };
        if (kind is "grpc" or "grpc-always")
        {
            var g = await StreamXGrpcServer.StartAsync(endPoint, options, services);
            var always = kind == "grpc-always";
            var transport = new GrpcClientTransport(new GrpcClientOptions
            {
                Address = new Uri($"http://{g.LocalEndPoint}"),
                CancelDetails = always ? GrpcCancelDetails.Always : GrpcCancelDetails.Auto,
            });
            return new StreamXSide(always ? "gRPC, CancelDetails=Always" : "gRPC", g, g.LocalEndPoint, transport);
        }

        var server = await StreamXServer.StartAsync(endPoint, options, services);
        return new StreamXSide("ttstream", server, server.LocalEndPoint, new TTHeaderClientTransport(server.LocalEndPoint));
    }

    /// <summary>One server-streaming call of <paramref name="count"/> messages, read to the end.</summary>
    public async Task<long> StreamAsync(int count)
    {
        await using var call = Client.EchoServer(new Request { Message = "stream:" + count.ToString(CultureInfo.InvariantCulture) });
        long received = 0;
        long chars = 0;
        while (await call.RecvAsync() is { } response)
        {
            received++;
            chars += response.Message!.Length;
        }

        if (received != count)
        {
            throw new InvalidOperationException($"expected {count} messages, got {received}");
        }

        return chars;
    }

    /// <summary>
    /// Opens a server-streaming call with its own token, waits until the handler runs, cancels the
    /// token and returns the ticks until the handler's token fired.
    /// </summary>
    public async Task<long> CancelOnceAsync()
    {
        var probe = new CancelProbe();
        BenchService.Probe = probe;
        using var cts = new CancellationTokenSource();
        await using var call = Client.EchoServer(new Request { Message = "cancel" }, cancellationToken: cts.Token);
        await probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var canceledAt = Stopwatch.GetTimestamp();
        cts.Cancel();
        await probe.Fired.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return probe.FiredAt - canceledAt;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _transport.DisposeAsync();
    }
}
