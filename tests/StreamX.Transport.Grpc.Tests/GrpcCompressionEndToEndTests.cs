using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http;
using StreamX.Examples.Echo;
using StreamX.Transport.Grpc;
using StreamX.Transport.TTHeader;

namespace StreamX.Transport.Grpc.Tests;

/// <summary>
/// A StreamX client and a StreamX server with every combination of request and response compression,
/// in every streaming mode and unary: what arrives is what was sent, and each side's <c>grpc-encoding</c>
/// (recorded as the server sees the request and sends its response headers) is the negotiated one.
/// What the compressed bytes look like is checked in <see cref="GrpcServerHttpTests"/> and
/// <see cref="GrpcClientForeignServerTests"/>.
/// </summary>
public sealed class GrpcCompressionEndToEndTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    /// <summary>Compressible and large enough that compression matters: ~20 KB of repeated text per message.</summary>
    private static string Text(string tag) => tag + ":" + string.Concat(Enumerable.Repeat($"{tag} is compressible; ", 1000));

    private sealed class Echo : TestService.TestServiceBase
    {
        public TaskCompletionSource<StreamError?> CancelSeen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Task<Response> PingPongAsync(Request req, ServerCallContext context) =>
            Task.FromResult(new Response { Message = "pong " + req.Message });

        public override async Task EchoServerAsync(Request req, MessageWriter<Response> responses, ServerCallContext context)
        {
            for (var i = 0; i < 3; i++)
            {
                await responses.SendAsync(new Response { Message = $"{req.Message}#{i}" });
            }
        }

        public override async Task<Response> EchoClientAsync(MessageReader<Request> requests, ServerCallContext context)
        {
            var all = new List<string>();
            await foreach (var r in requests)
            {
                all.Add(r.Message!);
            }

            return new Response { Message = string.Join("|", all) };
        }

        public override async Task EchoAsync(MessageReader<Request> requests, MessageWriter<Response> responses, ServerCallContext context)
        {
            using var _ = context.CancellationToken.Register(() => CancelSeen.TrySetResult(context.CancelReason));
            await foreach (var r in requests)
            {
                await responses.SendAsync(new Response { Message = r.Message });
            }
        }
    }

    /// <summary>A StreamX gRPC server behind a delegate that records each call's request and response <c>grpc-encoding</c>.</summary>
    private sealed class Setup : IAsyncDisposable
    {
        private readonly StreamXServer _server;

        private Setup(StreamXServer server, Echo echo, GrpcClientTransport transport)
        {
            _server = server;
            Service = echo;
            Transport = transport;
            Client = new TestService.TestServiceClient(transport, new StreamXClientOptions { ServiceName = "zipper" });
        }

        public Echo Service { get; }

        public GrpcClientTransport Transport { get; }

        public TestService.TestServiceClient Client { get; }

        /// <summary>Per call, in order: the path, the request's grpc-encoding, the response's grpc-encoding (null when absent).</summary>
        public ConcurrentQueue<(string Path, string? Request, string? Response)> Encodings { get; } = new();

        public static async Task<Setup> StartAsync(GrpcServerOptions serverOptions, Func<Uri, GrpcClientOptions> clientOptions)
        {
            var echo = new Echo();
            var dispatcher = new StreamXDispatcher(new StreamXServerOptions { ServiceName = "zipped" }, [TestService.TestServiceBase.BindService(echo)]);
            var grpc = StreamXGrpc.CreateRequestDelegate(dispatcher, serverOptions);
            Setup? self = null;
            var server = await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), dispatcher, null, context =>
            {
                var request = NullIfEmpty(context.Request.Headers["grpc-encoding"].ToString());
                context.Response.OnStarting(() =>
                {
                    self!.Encodings.Enqueue((context.Request.Path.Value!, request, NullIfEmpty(context.Response.Headers["grpc-encoding"].ToString())));
                    return Task.CompletedTask;
                });
                return grpc(context);
            });
            var transport = new GrpcClientTransport(clientOptions(new Uri($"http://{server.LocalEndPoint}")));
            self = new Setup(server, echo, transport);
            return self;
        }

        private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

        public async ValueTask DisposeAsync()
        {
            await Transport.DisposeAsync();
            await _server.DisposeAsync();
        }
    }

    private static string? Name(GrpcCompression compression) => compression switch
    {
        GrpcCompression.Gzip => "gzip",
        GrpcCompression.Deflate => "deflate",
        _ => null,
    };

    public static TheoryData<GrpcCompression, GrpcCompression> Combinations()
    {
        var data = new TheoryData<GrpcCompression, GrpcCompression>();
        foreach (var request in Enum.GetValues<GrpcCompression>())
        {
            foreach (var response in Enum.GetValues<GrpcCompression>())
            {
                data.Add(request, response);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task EveryMode_ArrivesIntact_WithTheNegotiatedEncodings(GrpcCompression requestCompression, GrpcCompression responseCompression)
    {
        await using var setup = await Setup.StartAsync(
            new GrpcServerOptions { ResponseCompression = responseCompression },
            address => new GrpcClientOptions { Address = address, RequestCompression = requestCompression });
        var client = setup.Client;

        // Unary (Kitex's _args/_result wrappers, compressed like any message).
        Assert.Equal("pong " + Text("u"), (await client.PingPongAsync(new Request { Message = Text("u") }).WaitAsync(Wait)).Message);

        // Server streaming.
        await using (var call = client.EchoServer(new Request { Message = Text("s") }))
        {
            var received = new List<string>();
            while (await call.RecvAsync().AsTask().WaitAsync(Wait) is { } r)
            {
                received.Add(r.Message!);
            }

            Assert.Equal([Text("s") + "#0", Text("s") + "#1", Text("s") + "#2"], received);
        }

        // Client streaming.
        await using (var call = client.EchoClient())
        {
            await call.SendAsync(new Request { Message = Text("c0") }).AsTask().WaitAsync(Wait);
            await call.SendAsync(new Request { Message = Text("c1") }).AsTask().WaitAsync(Wait);
            Assert.Equal(Text("c0") + "|" + Text("c1"), (await call.CloseAndRecvAsync().WaitAsync(Wait)).Message);
        }

        // Bidirectional.
        await using (var call = client.Echo())
        {
            for (var i = 0; i < 3; i++)
            {
                await call.SendAsync(new Request { Message = Text($"b{i}") }).AsTask().WaitAsync(Wait);
                Assert.Equal(Text($"b{i}"), (await call.RecvAsync().AsTask().WaitAsync(Wait))!.Message);
            }

            await call.CloseSendAsync().AsTask().WaitAsync(Wait);
            Assert.Null(await call.RecvAsync().AsTask().WaitAsync(Wait));
        }

        // The client offers every encoding, so the server compresses whenever it is told to.
        Assert.Equal(
            new[] { "PingPong", "EchoServer", "EchoClient", "Echo" }.Select(m => ($"/TestService/{m}", Name(requestCompression), Name(responseCompression))),
            setup.Encodings);
    }

    [Theory]
    [InlineData(GrpcCompression.Gzip)]
    [InlineData(GrpcCompression.Deflate)]
    public async Task CancelDetails_ControlMessagesStayUncompressed_AndCarryTheFullReason(GrpcCompression compression)
    {
        // Always: half-close and cancel travel as 0x80 control messages among compressed (0x01) ones.
        await using var setup = await Setup.StartAsync(
            new GrpcServerOptions { ResponseCompression = compression },
            address => new GrpcClientOptions { Address = address, RequestCompression = compression, CancelDetails = GrpcCancelDetails.Always });

        // A normal end first: the in-band half-close is understood.
        await using (var call = setup.Client.EchoClient())
        {
            await call.SendAsync(new Request { Message = Text("x") }).AsTask().WaitAsync(Wait);
            Assert.Equal(Text("x"), (await call.CloseAndRecvAsync().WaitAsync(Wait)).Message);
        }

        // Then a cancel: the server's handler sees exactly the client's reason.
        using var cts = new CancellationTokenSource();
        await using var bidi = setup.Client.Echo(cancellationToken: cts.Token);
        await bidi.SendAsync(new Request { Message = Text("b") }).AsTask().WaitAsync(Wait);
        Assert.Equal(Text("b"), (await bidi.RecvAsync().AsTask().WaitAsync(Wait))!.Message);
        await cts.CancelAsync();

        var seen = await setup.Service.CancelSeen.Task.WaitAsync(Wait);
        Assert.NotNull(seen);
        Assert.Equal(StreamErrors.UserCanceled.Code, seen.Code);
        Assert.Equal("zipper", seen.CanceledPath);
    }
}
