using StreamX.Examples.Echo;

namespace StreamX.Transport.Grpc.Tests.Interop;

/// <summary>
/// Our GrpcClientTransport (in this process) calling a gRPC server nobody here wrote: the Node peer
/// (@grpc/grpc-js, tests/interop/grpc-node) as a separate process, whose handlers behave like the
/// Kitex oracle's. Package "echo", so <c>:path</c> is <c>/echo.TestService/M</c>; default options
/// otherwise (<c>application/grpc+thrift</c>, <see cref="GrpcCancelDetails.Auto"/>, deadline propagated).
/// </summary>
[Trait("Category", "Slow")]
[Trait("Category", "Interop")]
public sealed class StreamXClientToNodeServerTests : IClassFixture<GrpcNodeFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Step = PeerProcess.EventTimeout;
    private PeerProcess _server = null!;
    private GrpcClientTransport _transport = null!;
    private TestService.TestServiceClient _client = null!;

    public async Task InitializeAsync()
    {
        await GrpcNodeFixture.EnsureReadyAsync();
        (_server, var address) = await PeerProcess.StartServerAsync(PeerProcess.Node);
        _transport = new GrpcClientTransport(new GrpcClientOptions { Address = new Uri("http://" + address), Package = "echo" });
        _client = new TestService.TestServiceClient(_transport, new StreamXClientOptions { ServiceName = "csharp-client" });
    }

    public async Task DisposeAsync()
    {
        if (_transport is not null)
        {
            await _transport.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static async Task<List<string>> ReadAllAsync(ReceivingCall<Response> call, List<string>? into = null, CancellationToken cancellationToken = default)
    {
        into ??= new List<string>();
        await foreach (var r in call.ReadAllAsync(cancellationToken).WithTimeout(Step))
        {
            into.Add(r.Message!);
        }

        return into;
    }

    private static async Task<TException> ThrowsAsync<TException>(Func<Task> action)
        where TException : Exception
    {
        try
        {
            await action().WaitAsync(Step);
        }
        catch (TException e)
        {
            return e;
        }
        catch (Exception e) when (e is not TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"expected {typeof(TException).Name}, got {e.GetType().Name}: {e}");
        }

        throw new Xunit.Sdk.XunitException($"expected {typeof(TException).Name}, but the call completed");
    }

    [Fact]
    public async Task PingPong_UnaryWithArgsAndResultWrappers()
    {
        var response = await _client.PingPongAsync(new Request { Message = "ping" }, new CallOptions { PersistentMetainfo = new Dictionary<string, string> { ["TRACE_ID"] = "u1" } }).WaitAsync(Step);
        Assert.Equal("ping", response.Message);

        var call = await _server.WaitAsync("server_call");
        Assert.Equal("PingPong", call.Str("method"));
        Assert.Equal("ping", call.Str("message")); // decoded from TestService_PingPong_args field 1
        Assert.Equal("application/grpc+thrift", call.Str("content_type"));
        Assert.Equal("u1", call.Map("metadata")["rpc-persist-trace-id"]);
        Assert.Empty(_server.Events("server_warning"));
        Assert.Equal(0, (await _server.WaitAsync("stream_end")).Int("code"));
        var closed = await _server.WaitAsync("server_h2_close");
        Assert.Equal("/echo.TestService/PingPong", closed.Str("path"));
        Assert.Equal(0, closed.Int("rst_code"));
    }

    [Fact]
    public async Task ServerStreaming_AllResponsesThenEof()
    {
        await using var call = _client.EchoServer(new Request { Message = "srv,count:3,delay:10" });
        Assert.Equal(["srv,count:3,delay:10#0", "srv,count:3,delay:10#1", "srv,count:3,delay:10#2"], await ReadAllAsync(call));

        var end = await _server.WaitAsync("stream_end");
        Assert.Equal(0, end.Int("code"));
        Assert.Equal(3, end.Int("sent_count"));
        var closed = await _server.WaitAsync("server_h2_close");
        Assert.Equal("/echo.TestService/EchoServer", closed.Str("path"));
        Assert.Equal(0, closed.Int("rst_code"));
    }

    [Fact]
    public async Task ClientStreaming_ConcatenatedAfterHalfClose()
    {
        await using var call = _client.EchoClient();
        foreach (var text in new[] { "cs-0;", "cs-1;", "cs-2;" })
        {
            await call.SendAsync(new Request { Message = text }).AsTask().WaitAsync(Step);
        }

        var response = await call.CloseAndRecvAsync().WaitAsync(Step);
        Assert.Equal("cs-0;cs-1;cs-2;", response.Message);
        var end = await _server.WaitAsync("stream_end");
        Assert.Equal("EchoClient", end.Str("method"));
        Assert.Equal(0, end.Int("code"));
        Assert.Equal(3, end.Int("recv_count"));
    }

    [Fact]
    public async Task Bidi_EchoesEveryRequestUntilHalfClose()
    {
        await using var call = _client.Echo();
        var received = new List<string>();
        await call.RunAsync(
            async (s, ct) =>
            {
                for (var i = 0; i < 3; i++)
                {
                    await s.SendAsync(new Request { Message = $"bd-{i}" }, ct);
                }

                await s.CloseSendAsync(ct);
            },
            async (s, ct) => await ReadAllAsync(s, received, ct)).WaitAsync(Step);

        Assert.Equal(["bd-0", "bd-1", "bd-2"], received);
        var end = await _server.WaitAsync("stream_end");
        Assert.Equal("Echo", end.Str("method"));
        Assert.Equal(0, end.Int("code"));
        Assert.Equal(3, end.Int("recv_count"));
        Assert.Equal(3, end.Int("sent_count"));
    }

    [Fact]
    public async Task Cancel_ServerStreaming_NodeServerSeesTheReset()
    {
        using var cts = new CancellationTokenSource();
        await using var call = _client.EchoServer(new Request { Message = "c,count:100,delay:50" }, cancellationToken: cts.Token);
        var received = new List<string>();
        var error = await ThrowsAsync<Exception>(async () =>
        {
            await foreach (var r in call.ReadAllAsync().WithTimeout(Step))
            {
                received.Add(r.Message!);
                if (received.Count == 2)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(2, received.Count);
        Assert.Equal(StreamErrors.UserCanceled.Code, Assert.IsAssignableFrom<IStreamXError>(error).Error.Code);

        var done = await _server.WaitAsync("server_ctx_done");
        Assert.Equal("EchoServer", done.Str("method"));
        Assert.Equal("cancelled", done.Str("ctx_err"));
        Assert.True(done.Bool("reset_by_client"), _server.Output);
        var closed = await _server.WaitAsync("server_h2_close");
        Assert.Equal(8, closed.Int("rst_code")); // RST_STREAM(CANCEL)
        var end = await _server.WaitAsync("stream_end");
        Assert.Null(end.Int("code"));
        Assert.Equal("cancelled", end.Str("err"));
    }

    [Fact]
    public async Task Cancel_Bidi_NodeServerSeesTheResetAndNoHalfClose()
    {
        using var cts = new CancellationTokenSource();
        await using var call = _client.Echo(cancellationToken: cts.Token);
        for (var i = 0; i < 5; i++)
        {
            await call.SendAsync(new Request { Message = $"cb-{i}" }).AsTask().WaitAsync(Step);
        }

        var received = new List<string>();
        var error = await ThrowsAsync<Exception>(async () =>
        {
            await foreach (var r in call.ReadAllAsync().WithTimeout(Step))
            {
                received.Add(r.Message!);
                if (received.Count == 2)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(["cb-0", "cb-1"], received);
        Assert.Equal(StreamErrors.UserCanceled.Code, Assert.IsAssignableFrom<IStreamXError>(error).Error.Code);

        var done = await _server.WaitAsync("server_ctx_done");
        Assert.Equal("Echo", done.Str("method"));
        Assert.Equal("cancelled", done.Str("ctx_err"));
        Assert.True(done.Bool("reset_by_client"), _server.Output);
        Assert.Equal(8, (await _server.WaitAsync("server_h2_close")).Int("rst_code"));
        var end = await _server.WaitAsync("stream_end");
        Assert.Null(end.Int("code")); // not a normal end: no END_STREAM reached the handler before the reset
        Assert.Equal(5, end.Int("recv_count"));
    }

    /// <summary>
    /// Opens the connection (and runs the code paths once) before a deadline test: grpc-timeout is the
    /// call's configured timeout, sent before the connection is set up, so on a first call the Node
    /// server's deadline lies later than ours by the connection setup (see the lead report).
    /// </summary>
    private async Task WarmUpAsync() =>
        Assert.Equal("warm", (await _client.PingPongAsync(new Request { Message = "warm" }).WaitAsync(Step)).Message);

    [Fact]
    public async Task Deadline_ServerStreaming_GrpcTimeoutReachesNode_ClientGets12015()
    {
        await WarmUpAsync();
        var options = new CallOptions { Timeout = TimeSpan.FromMilliseconds(500) };
        await using var call = _client.EchoServer(new Request { Message = "d,count:100,delay:100" }, options);
        var received = new List<string>();
        var error = await ThrowsAsync<Exception>(() => ReadAllAsync(call, received));

        var x = Assert.IsAssignableFrom<IStreamXError>(error).Error;
        Assert.Equal(StreamErrors.StreamTimeout.Code, x.Code);
        Assert.InRange(received.Count, 1, 6);

        var served = await _server.WaitAsync("server_call", e => e.Str("method") == "EchoServer");
        Assert.True(GrpcProtocol.TryParseTimeout(served.Str("grpc_timeout"), out var sent), served.ToString());
        Assert.InRange(sent, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(500));

        // The Node server's call ended at its deadline (grpc-js's own timer, or our reset within 20 ms of it).
        var done = await _server.WaitAsync("server_ctx_done");
        Assert.True(done.Str("ctx_err") == "deadline exceeded", done.ToString());
        Assert.Equal("deadline exceeded", (await _server.WaitAsync("stream_end", e => e.Str("method") == "EchoServer")).Str("err"));
    }

    [Fact]
    public async Task Deadline_Unary_GrpcTimeoutReachesNode_ClientGets12015()
    {
        await WarmUpAsync();
        var options = new CallOptions { Timeout = TimeSpan.FromMilliseconds(400) };
        var error = await ThrowsAsync<Exception>(() => _client.PingPongAsync(new Request { Message = "ping,delay:5000" }, options));

        Assert.Equal(StreamErrors.StreamTimeout.Code, Assert.IsAssignableFrom<IStreamXError>(error).Error.Code);
        var served = await _server.WaitAsync("server_call", e => e.Str("message") == "ping,delay:5000");
        Assert.True(GrpcProtocol.TryParseTimeout(served.Str("grpc_timeout"), out var sent), served.ToString());
        Assert.InRange(sent, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400));
        var done = await _server.WaitAsync("server_ctx_done");
        Assert.Equal("PingPong", done.Str("method"));
        Assert.True(done.Str("ctx_err") == "deadline exceeded", done.ToString());
    }

    [Fact]
    public async Task ServerError_Status13AndMessageFromNode()
    {
        await using var call = _client.EchoServer(new Request { Message = "e,count:2,delay:10,error:oracle handler failure" });
        var received = new List<string>();
        var error = await ThrowsAsync<Exception>(() => ReadAllAsync(call, received));

        Assert.Equal(2, received.Count);
        var x = Assert.IsAssignableFrom<IStreamXError>(error).Error;
        Assert.Equal(StreamErrors.ApplicationException.Code, x.Code);
        var status = Assert.IsType<GrpcStatusException>(x.Cause);
        Assert.Equal(GrpcStatusCode.Internal, status.StatusCode);
        Assert.Equal("oracle handler failure", status.Detail);

        var unary = await ThrowsAsync<Exception>(() => _client.PingPongAsync(new Request { Message = "ping,error:unary failure" }));
        var ux = Assert.IsAssignableFrom<IStreamXError>(unary).Error;
        Assert.Equal(StreamErrors.ApplicationException.Code, ux.Code);
        var us = Assert.IsType<GrpcStatusException>(ux.Cause);
        Assert.Equal(GrpcStatusCode.Internal, us.StatusCode);
        Assert.Equal("unary failure", us.Detail);
    }

    [Fact]
    public async Task BizError_BizStatusTrailersBecomeBizStatusException()
    {
        await using var call = _client.EchoServer(new Request { Message = "b,count:2,delay:10,bizerr:4001:oracle biz failure" });
        var received = new List<string>();
        var biz = await ThrowsAsync<BizStatusException>(() => ReadAllAsync(call, received));

        Assert.Equal(2, received.Count);
        Assert.Equal(4001, biz.StatusCode);
        Assert.Equal("oracle biz failure", biz.StatusMessage);

        var unary = await ThrowsAsync<BizStatusException>(() => _client.PingPongAsync(new Request { Message = "ping,bizerr:4002:unary biz failure" }));
        Assert.Equal(4002, unary.StatusCode);
        Assert.Equal("unary biz failure", unary.StatusMessage);
    }

    [Fact]
    public async Task Metadata_BothWays()
    {
        var options = new CallOptions
        {
            PersistentMetainfo = new Dictionary<string, string> { ["TRACE_ID"] = "t1" },
            TransientMetainfo = new Dictionary<string, string> { ["HOP"] = "h1" },
            Headers = new Dictionary<string, string> { ["x-custom"] = "c1", ["X-Upper"] = "u1" },
        };
        await using var call = _client.EchoServer(new Request { Message = "m,header:hv1,trailer:tv1,count:2,delay:10" }, options);
        Assert.Equal(2, (await ReadAllAsync(call)).Count);

        // Our metainfo and headers → grpc-js metadata (Kitex's HTTP/2 names, lower case).
        var metadata = (await _server.WaitAsync("server_call")).Map("metadata");
        Assert.Equal("t1", metadata["rpc-persist-trace-id"]);
        Assert.Equal("h1", metadata["rpc-transit-hop"]);
        Assert.Equal("c1", metadata["x-custom"]);
        Assert.Equal("u1", metadata["x-upper"]);

        // The Node handler's response header and trailer → ours, nothing else (gRPC's own keys are not metadata).
        Assert.Equal(new Dictionary<string, string> { ["oracle-header"] = "hv1" }, await call.GetHeadersAsync().WaitAsync(Step));
        Assert.Equal(new Dictionary<string, string> { ["oracle-trailer"] = "tv1" }, await call.GetTrailersAsync().WaitAsync(Step));
    }
}

internal static class AsyncEnumerableTimeout
{
    /// <summary>Enumerates with a timeout on every step.</summary>
    public static async IAsyncEnumerable<T> WithTimeout<T>(this IAsyncEnumerable<T> source, TimeSpan timeout)
    {
        await using var e = source.GetAsyncEnumerator();
        while (await e.MoveNextAsync().AsTask().WaitAsync(timeout))
        {
            yield return e.Current;
        }
    }
}
