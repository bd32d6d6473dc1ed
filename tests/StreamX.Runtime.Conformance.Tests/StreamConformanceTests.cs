using StreamX.Diagnostics;
using StreamX.Examples.Echo;
using StreamX.Runtime.Conformance.Tests.Infrastructure;
using static StreamX.Runtime.Conformance.Tests.Infrastructure.EchoService;

namespace StreamX.Runtime.Conformance.Tests;

/// <summary>
/// The stream semantics every transport must have (the items 1–13), written once against
/// the generated echo stubs. A transport runs it by subclassing and starting its server in
/// <see cref="StartServerAsync"/>. Like dotnet/runtime's ChannelTestBase.
/// </summary>
[Collection(CountersCollection.Name)]
public abstract partial class StreamConformanceTests
{
    /// <summary>
    /// A metainfo key as the server receives it: unchanged over ttstream; over gRPC Kitex's HTTP/2 rule
    /// applies (<c>rpc-persist-k</c> arrives as <c>K</c>).
    /// </summary>
    protected virtual string MetainfoKeyAsReceived(string key) => key;

    /// <summary>
    /// True when a stop cut short closes real connections, so a client may see its connection aborted (12006)
    /// before the reset or reply explaining the stop reaches it.
    /// </summary>
    protected virtual bool StopAbortsConnections => false;

    /// <summary>Starts a server of the transport under test.</summary>
    protected abstract Task<IConformanceHost> StartServerAsync(StreamXServerOptions options, params ServiceDefinition[] services);

    private async Task<(IConformanceHost Host, TestService.TestServiceClient Client)> StartAsync(EchoService service, StreamXServerOptions? serverOptions = null, StreamXClientOptions? clientOptions = null)
    {
        var host = await StartServerAsync(serverOptions ?? new StreamXServerOptions { ServiceName = "server" }, TestService.TestServiceBase.BindService(service));
        var client = new TestService.TestServiceClient(host.CreateClientTransport(), clientOptions ?? new StreamXClientOptions { ServiceName = "client" });
        return (host, client);
    }

    // ------------------------------------------------------------------ 1. server streaming

    [Fact]
    public async Task ServerStreaming_ReadsEveryResponse_ThenTheEnd()
    {
        var service = new EchoService
        {
            EchoServer = async (req, responses, ctx) =>
            {
                for (var i = 0; i < 5; i++)
                {
                    await responses.SendAsync(Res($"{req.Message}#{i}"));
                }
            },
        };
        var (host, client) = await StartAsync(service);
        await using var _ = host;

        await using var call = client.EchoServer(Req("hi"));
        var received = new List<string>();
        await foreach (var response in call.Within())
        {
            received.Add(response.Message!);
        }

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"hi#{i}"), received);
        Assert.Null(await call.RecvAsync().Within()); // the end stays the end
    }

    [Fact]
    public async Task ServerStreaming_HandlerThrows_ClientGets12001WithTheMessage_AfterTheData()
    {
        var service = new EchoService
        {
            EchoServer = async (req, responses, ctx) =>
            {
                await responses.SendAsync(Res("first"));
                throw new InvalidOperationException("boom");
            },
        };
        var (host, client) = await StartAsync(service);
        await using var _ = host;

        await using var call = client.EchoServer(Req("x"));
        Assert.Equal("first", (await call.RecvAsync().Within())!.Message);
        var error = await Await.Throws<StreamXException>(async () => await call.RecvAsync());
        Assert.Equal(12001, error.Code);
        Assert.Equal("[ttstream error, code=12001] [client-side stream] biz error: boom", error.Message);
        Assert.Equal(StreamSide.Client, error.Side);
    }

    [Fact]
    public async Task ServerStreaming_BusinessError_IsTyped_AndComesAfterEveryMessageSentBeforeIt()
    {
        var service = new EchoService
        {
            EchoServer = async (req, responses, ctx) =>
            {
                for (var i = 0; i < 3; i++)
                {
                    await responses.SendAsync(Res($"m{i}"));
                }

                throw new BizStatusException(10001, "no balance", new Dictionary<string, string> { ["k"] = "v" });
            },
        };
        var (host, client) = await StartAsync(service);
        await using var _ = host;

        await using var call = client.EchoServer(Req("x"));
        var received = new List<string>();
        var error = await Await.Throws<BizStatusException>(async () =>
        {
            await foreach (var r in call)
            {
                received.Add(r.Message!);
            }
        });
        Assert.Equal(new[] { "m0", "m1", "m2" }, received);
        Assert.Equal(10001, error.StatusCode);
        Assert.Equal("no balance", error.StatusMessage);
        Assert.Equal("v", error.Extra["k"]);
        Assert.Equal("biz error: code=10001, msg=no balance", error.Message);
    }

    // ------------------------------------------------------------------ 2. client streaming

    [Fact]
    public async Task ClientStreaming_CloseAndRecv_ReturnsTheResponse_AfterTheServerReadsToTheEnd()
    {
        var readerEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new EchoService
        {
            EchoClient = async (requests, ctx) =>
            {
                var parts = new List<string>();
                await foreach (var r in requests)
                {
                    parts.Add(r.Message!);
                }

                readerEnded.SetResult();
                return Res(string.Join(",", parts));
            },
        };
        var (host, client) = await StartAsync(service);
        await using var _ = host;

        await using var call = client.EchoClient();
        foreach (var m in new[] { "a", "b", "c" })
        {
            await call.SendAsync(Req(m)).Within();
        }

        var response = await call.CloseAndRecvAsync().Within();
        Assert.Equal("a,b,c", response.Message);
        await readerEnded.Task.Within();
    }

    [Fact]
    public async Task ClientStreaming_SendAfterCloseSend_Fails12005WithKitexText()
    {
        var service = new EchoService { EchoClient = async (requests, ctx) => { await foreach (var _ in requests) { } return Res("done"); } };
        var (host, client) = await StartAsync(service);
        await using var _ = host;

        await using var call = client.EchoClient();
        await call.SendAsync(Req("a")).Within();
        Assert.Equal("done", (await call.CloseAndRecvAsync().Within()).Message);
        var error = await Await.Throws<StreamXException>(async () => await call.SendAsync(Req("late")));
        Assert.Equal(12005, error.Code);
        Assert.Equal("[ttstream error, code=12005] [client-side stream] stream is closed send", error.Message);
    }

    [Fact]
    public async Task Bidi_SendAfterCloseSend_Fails12005WithKitexText()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new EchoService { Echo = async (requests, responses, ctx) => { await foreach (var _ in requests) { } await release.Task; } };
        var (host, client) = await StartAsync(service);
        await using var _ = host;

        await using var call = client.Echo();
        await call.CloseSendAsync().Within();
        await call.CloseSendAsync().Within(); // idempotent
        var error = await Await.Throws<StreamXException>(async () => await call.SendAsync(Req("late")));
        Assert.Equal("[ttstream error, code=12005] [client-side stream] stream is closed send", error.Message);
        release.SetResult();
    }

    // ------------------------------------------------------------------ 3. bidirectional

    [Fact]
    public async Task Bidi_IndependentLoops_EveryMessageArrivesInOrder()
    {
        const int count = 200;
        var service = new EchoService
        {
            Echo = async (requests, responses, ctx) =>
            {
                await foreach (var r in requests)
                {
                    await responses.SendAsync(Res(r.Message!));
                }
            },
        };
        var (host, client) = await StartAsync(service);
        await using var _ = host;

        await using var call = client.Echo();
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                await call.SendAsync(Req(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            await call.CloseSendAsync();
        });
        var received = new List<string>();
        await foreach (var r in call.Within())
        {
            received.Add(r.Message!);
        }

        await sending.Within();
        Assert.Equal(Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), received);
    }

    [Fact]
    public async Task Bidi_ServerFinishesFirst_ClientStillReadsEverything()
    {
        var service = new EchoService
        {
            Echo = async (requests, responses, ctx) =>
            {
                var first = await requests.RecvAsync();
                await responses.SendAsync(Res("got " + first!.Message));
                await responses.SendAsync(Res("bye"));
            },
        };
        var (host, client) = await StartAsync(service);
        await using var _ = host;

        await using var call = client.Echo();
        await call.SendAsync(Req("one")).Within();
        var received = new List<string>();
        await foreach (var r in call.Within())
        {
            received.Add(r.Message!);
        }

        Assert.Equal(new[] { "got one", "bye" }, received);
    }

    [Fact]
    public async Task Bidi_ClientFinishesFirst_ServerReaderEnds_ThenServerSendsTheRest()
    {
        var service = new EchoService
        {
            Echo = async (requests, responses, ctx) =>
            {
                var all = new List<string>();
                await foreach (var r in requests)
                {
                    all.Add(r.Message!);
                }

                foreach (var m in all)
                {
                    await responses.SendAsync(Res(m.ToUpperInvariant()));
                }
            },
        };
        var (host, client) = await StartAsync(service);
        await using var _ = host;

        await using var call = client.Echo();
        await call.SendAsync(Req("a")).Within();
        await call.SendAsync(Req("b")).Within();
        await call.CloseSendAsync().Within();
        var received = new List<string>();
        await foreach (var r in call.Within())
        {
            received.Add(r.Message!);
        }

        Assert.Equal(new[] { "A", "B" }, received);
    }

    // ------------------------------------------------------------------ unary, unknown methods, headers

    [Fact]
    public async Task Unary_PingPong_RoundTrips()
    {
        var service = new EchoService { PingPong = (req, ctx) => Task.FromResult(Res("pong:" + req.Message)) };
        var (host, client) = await StartAsync(service);
        await using var _ = host;

        Assert.Equal("pong:ping", (await client.PingPongAsync(Req("ping")).Within()).Message);
    }

    [Fact]
    public async Task Unary_HandlerError_IsAnApplicationException()
    {
        var service = new EchoService { PingPong = (req, ctx) => throw new InvalidOperationException("boom") };
        var (host, client) = await StartAsync(service);
        await using var _ = host;

        var error = await Await.Throws<StreamX.Thrift.ThriftApplicationException>(() => client.PingPongAsync(Req("x")));
        Assert.Equal(6, error.Type);
        Assert.Equal("biz error: boom", error.Message);
    }

    [Fact]
    public async Task UnimplementedStreamingMethod_AnswersUnknownMethodAtOnce()
    {
        var (host, client) = await StartAsync(new EchoService());
        await using var _ = host;

        await using var call = client.EchoServer(Req("x"));
        var error = await Await.Throws<StreamXException>(async () => await call.RecvAsync());
        Assert.Equal(12001, error.Code);
        Assert.Equal("[ttstream error, code=12001] [client-side stream] unknown method EchoServer", error.Message);
        var cause = Assert.IsType<StreamX.Thrift.ThriftApplicationException>(error.InnerException);
        Assert.Equal(1, cause.Type);
    }

    [Fact]
    public async Task UnimplementedUnaryMethod_AnswersUnknownMethod()
    {
        var (host, client) = await StartAsync(new EchoService());
        await using var _ = host;

        var error = await Await.Throws<StreamX.Thrift.ThriftApplicationException>(() => client.PingPongAsync(Req("x")));
        Assert.Equal(1, error.Type);
        Assert.Equal("unknown method PingPong", error.Message);
    }

    [Fact]
    public async Task HeadersAndTrailers_ReachTheClient_AndRequestMetainfoReachesTheHandler()
    {
        var seen = new TaskCompletionSource<ServerCallContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new EchoService
        {
            EchoServer = async (req, responses, ctx) =>
            {
                seen.SetResult(ctx);
                ctx.SetHeader(new Dictionary<string, string> { ["h"] = "1" });
                ctx.SetTrailer(new Dictionary<string, string> { ["t"] = "2" });
                await responses.SendAsync(Res("x"));
            },
        };
        var (host, client) = await StartAsync(service);
        await using var _ = host;

        var options = new CallOptions
        {
            PersistentMetainfo = new Dictionary<string, string> { ["p"] = "pv" },
            TransientMetainfo = new Dictionary<string, string> { ["t"] = "tv" },
            Headers = new Dictionary<string, string> { ["raw"] = "rv" },
        };
        await using var call = client.EchoServer(Req("x"), options);
        await foreach (var __ in call.Within())
        {
        }

        Assert.Equal("1", (await call.GetHeadersAsync().Within())["h"]);
        Assert.Equal("2", (await call.GetTrailersAsync().Within())!["t"]);
        var context = await seen.Task.Within();
        Assert.Equal("pv", context.PersistentMetainfo[MetainfoKeyAsReceived("p")]);
        Assert.Equal("tv", context.TransientMetainfo[MetainfoKeyAsReceived("t")]);
        Assert.Equal("rv", context.RequestHeaders["raw"]);
        Assert.Equal("TestService", context.ServiceName);
        Assert.Equal("EchoServer", context.MethodName);
    }
}
