using StreamX.Diagnostics;
using StreamX.Examples.Echo;
using StreamX.Runtime.Conformance.Tests.Infrastructure;
using static StreamX.Runtime.Conformance.Tests.Infrastructure.EchoService;
using static StreamX.Runtime.Conformance.Tests.Infrastructure.KitexTexts;

namespace StreamX.Runtime.Conformance.Tests;

public abstract partial class StreamConformanceTests
{
    /// <summary>A bidi handler that records its cancellation and the error its pending receive got.</summary>
    private sealed class CancelProbe
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<Exception> RecvFailed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<StreamError?> TokenFired { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public EchoService Service(bool echoFirst = false) => new()
        {
            Echo = async (requests, responses, ctx) =>
            {
                ctx.CancellationToken.Register(() => TokenFired.TrySetResult(ctx.CancelReason));
                Started.SetResult();
                try
                {
                    while (await requests.RecvAsync() is { } r)
                    {
                        if (echoFirst)
                        {
                            await responses.SendAsync(Res(r.Message!));
                        }
                    }
                }
                catch (Exception e)
                {
                    RecvFailed.SetResult(e);
                    throw;
                }
            },
        };
    }

    // ------------------------------------------------------------------ 4. client cancel

    [Fact]
    public async Task Cancel_BeforeTheCall_ThrowsForThatToken_AndNothingReachesTheServer()
    {
        var probe = new CancelProbe();
        var (host, client) = await StartAsync(probe.Service());
        await using var _ = host;
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await using var call = client.Echo(cancellationToken: cts.Token);
        var error = await Await.Throws<OperationCanceledException>(async () => await call.SendAsync(Req("x")));
        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.False(probe.Started.Task.IsCompleted);
        await host.Dispatcher.WhenIdleAsync().Within();
        Assert.False(probe.Started.Task.IsCompleted);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Cancel_DuringTheStream_OwnOpsThrowForThatToken_ServerSeesExactKitexText(int messagesFirst)
    {
        var probe = new CancelProbe();
        var (host, client) = await StartAsync(probe.Service(echoFirst: true));
        await using var _ = host;
        using var cts = new CancellationTokenSource();

        await using var call = client.Echo(cancellationToken: cts.Token);
        for (var i = 0; i < messagesFirst; i++)
        {
            await call.SendAsync(Req($"m{i}")).Within();
            Assert.Equal($"m{i}", (await call.RecvAsync().Within())!.Message);
        }

        await probe.Started.Task.Within();
        var pendingRecv = call.RecvAsync().AsTask();
        await cts.CancelAsync();

        var own = await Await.Throws<OperationCanceledException>(() => pendingRecv);
        Assert.Equal(cts.Token, own.CancellationToken);
        var ownError = Assert.IsAssignableFrom<IStreamXError>(own).Error;
        Assert.Equal(12007, ownError.Code);
        Assert.Equal($"[ttstream error, code=12007] [client-side stream] {UserCancelText}", own.Message);
        var later = await Await.Throws<OperationCanceledException>(async () => await call.SendAsync(Req("late")));
        Assert.Equal(cts.Token, later.CancellationToken);

        var reason = await probe.TokenFired.Task.Within();
        Assert.Equal(12007, reason!.Code);
        var serverSaw = await probe.RecvFailed.Task.Within();
        Assert.Equal($"[ttstream error, code=12007] [server-side stream] [canceled path: client] {UserCancelText}", serverSaw.Message);
        var canceled = Assert.IsType<StreamXCanceledException>(serverSaw);
        Assert.Equal(StreamErrorCategory.Canceled, canceled.Error.Category);
        Assert.Equal("client", canceled.CanceledPath);
    }

    /// <summary>
    /// A handler whose send or receive fails because the client canceled finds its own token already canceled (the
    /// token fires before operations fail), so a callback it registered on the token runs. (Like any .NET token, it may
    /// still be running when the operation fails: a registration the handler disposes on its way out may not run.)
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cancel_AHandlerWhoseOperationFailsWithIt_FindsItsTokenCanceled(bool failingOperationIsASend)
    {
        var observed = new TaskCompletionSource<(bool TokenCanceled, Exception Error)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var callbackRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new EchoService
        {
            Echo = async (requests, responses, ctx) =>
            {
                ctx.CancellationToken.Register(() => callbackRan.TrySetResult());
                try
                {
                    await responses.SendAsync(Res("first"));
                    started.TrySetResult();
                    if (failingOperationIsASend)
                    {
                        while (true)
                        {
                            await responses.SendAsync(Res("more"));
                            await Task.Yield();
                        }
                    }

                    await foreach (var r in requests)
                    {
                    }
                }
                catch (Exception e)
                {
                    observed.TrySetResult((ctx.CancellationToken.IsCancellationRequested, e));
                    throw;
                }
            },
        };
        var (host, client) = await StartAsync(service);
        await using var _ = host;
        using var cts = new CancellationTokenSource();

        await using var call = client.Echo(cancellationToken: cts.Token);
        Assert.Equal("first", (await call.RecvAsync().Within())!.Message);
        await started.Task.Within();
        await cts.CancelAsync();

        var (tokenCanceled, error) = await observed.Task.Within();
        Assert.True(tokenCanceled, $"the handler's operation failed with {error.GetType().Name}: {error.Message}, but its token was not canceled yet");
        Assert.Equal(12007, Assert.IsAssignableFrom<IStreamXError>(error).Error.Code);
        await callbackRan.Task.Within();
    }

    // ------------------------------------------------------------------ 5. cascade A -> B -> C

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Cascade_AToBToC_CSeesThePathAToB_BSeesA(bool passHandlerTokenExplicitly)
    {
        var cStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cSaw = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var serviceC = new EchoService
        {
            EchoServer = async (req, responses, ctx) =>
            {
                await responses.SendAsync(Res("c0"));
                cStarted.SetResult();
                await ctx.CancellationToken.WhenCanceled();

                // The handler's next send reports why it was canceled.
                try
                {
                    await responses.SendAsync(Res("c1"));
                }
                catch (Exception e)
                {
                    cSaw.SetResult(e);
                }
            },
        };
        await using var hostC = await StartServerAsync(new StreamXServerOptions { ServiceName = "C" }, TestService.TestServiceBase.BindService(serviceC));

        var bReason = new TaskCompletionSource<StreamError?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bDownstreamError = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var toC = new TestService.TestServiceClient(hostC.CreateClientTransport());
        var serviceB = new EchoService
        {
            EchoServer = async (req, responses, ctx) =>
            {
                ctx.CancellationToken.Register(() => bReason.TrySetResult(ctx.CancelReason));
                await using var downstream = passHandlerTokenExplicitly
                    ? toC.EchoServer(req, cancellationToken: ctx.CancellationToken)
                    : toC.EchoServer(req);
                try
                {
                    await foreach (var r in downstream)
                    {
                        await responses.SendAsync(r);
                    }
                }
                catch (Exception e)
                {
                    bDownstreamError.TrySetResult(e);
                    throw;
                }
            },
        };
        await using var hostB = await StartServerAsync(new StreamXServerOptions { ServiceName = "B" }, TestService.TestServiceBase.BindService(serviceB));

        var clientA = new TestService.TestServiceClient(hostB.CreateClientTransport(), new StreamXClientOptions { ServiceName = "A" });
        using var cts = new CancellationTokenSource();
        await using var call = clientA.EchoServer(Req("hello"), cancellationToken: cts.Token);
        Assert.Equal("c0", (await call.RecvAsync().Within())!.Message);
        await cStarted.Task.Within();
        await cts.CancelAsync();

        var atC = await cSaw.Task.Within();
        Assert.Equal($"[ttstream error, code=12007] [server-side stream] [canceled path: A -> B] {UserCancelText}", atC.Message);
        var reasonAtB = await bReason.Task.Within();
        Assert.Equal($"[ttstream error, code=12007] [server-side stream] [canceled path: A] {UserCancelText}", reasonAtB!.Text);
        var downstreamAtB = Assert.IsAssignableFrom<IStreamXError>(await bDownstreamError.Task.Within()).Error;
        Assert.Equal(12007, downstreamAtB.Code);
        Assert.Equal("A", downstreamAtB.CanceledPath);
        Assert.Equal(StreamSide.Client, downstreamAtB.Side);
    }

    [Fact]
    public async Task Cascade_HandlerReturnsWhileItsDownstreamIsOpen_DownstreamSees12012()
    {
        var cSaw = new TaskCompletionSource<StreamError?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var serviceC = new EchoService
        {
            Echo = async (requests, responses, ctx) =>
            {
                ctx.CancellationToken.Register(() => cSaw.TrySetResult(ctx.CancelReason));
                cStarted.SetResult();
                await foreach (var _ in requests)
                {
                }
            },
        };
        await using var hostC = await StartServerAsync(new StreamXServerOptions { ServiceName = "C" }, TestService.TestServiceBase.BindService(serviceC));
        var toC = new TestService.TestServiceClient(hostC.CreateClientTransport());
        var serviceB = new EchoService
        {
            PingPong = async (req, ctx) =>
            {
                // Opens a stream and returns without closing it: the runtime must not leak it.
                var leaked = toC.Echo();
                await leaked.SendAsync(Req("x"));
                await cStarted.Task;
                return Res("done");
            },
        };
        await using var hostB = await StartServerAsync(new StreamXServerOptions { ServiceName = "B" }, TestService.TestServiceBase.BindService(serviceB));
        var clientA = new TestService.TestServiceClient(hostB.CreateClientTransport(), new StreamXClientOptions { ServiceName = "A" });

        Assert.Equal("done", (await clientA.PingPongAsync(Req("go")).Within()).Message);
        var reason = await cSaw.Task.Within();
        Assert.Equal("[ttstream error, code=12012] [server-side stream] [canceled path: B] canceled by business handler returning", reason!.Text);
    }

    // ------------------------------------------------------------------ 6. deadlines and receive timeouts

    [Fact]
    public async Task Deadline_EndsTheStreamWith12015_AndCancelsTheServerWithThePath()
    {
        var probe = new CancelProbe();
        var (host, client) = await StartAsync(probe.Service());
        await using var _ = host;

        await using var call = client.Echo(new CallOptions { Timeout = TimeSpan.FromMilliseconds(100) });
        var error = await Await.Throws<StreamXException>(async () => await call.RecvAsync());
        Assert.Equal(12015, error.Code);
        Assert.Equal(StreamErrorCategory.Timeout, error.Category);
        Assert.Equal("[ttstream error, code=12015] [client-side stream] stream timeout, timeout in ctx: 100ms", error.Message);
        var reason = await probe.TokenFired.Task.Within();
        Assert.Equal("[ttstream error, code=12015] [server-side stream] [canceled path: client] stream timeout, timeout in ctx: 100ms", reason!.Text);
    }

    [Fact]
    public async Task RecvTimeout_Is12014_AndResetsTheStream()
    {
        var probe = new CancelProbe();
        var (host, client) = await StartAsync(probe.Service());
        await using var _ = host;

        await using var call = client.Echo(new CallOptions { RecvTimeout = new RecvTimeoutConfig(TimeSpan.FromMilliseconds(100)) });
        var error = await Await.Throws<StreamXException>(async () => await call.RecvAsync());
        Assert.Equal("[ttstream error, code=12014] [client-side stream] stream Recv timeout, timeout config={Timeout:100ms DisableCancelRemote:false}", error.Message);
        Assert.False(error.Error.CanRetry);
        var reason = await probe.TokenFired.Task.Within();
        Assert.Equal(12014, reason!.Code);
        Assert.Equal("client", reason.CanceledPath);
        var again = await Await.Throws<StreamXException>(async () => await call.SendAsync(Req("x")));
        Assert.Equal(12014, again.Code);
    }

    [Fact]
    public async Task RecvTimeout_WithDisableCancelRemote_IsRetryable_AndTheStreamStaysUsable()
    {
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new EchoService
        {
            Echo = async (requests, responses, ctx) =>
            {
                await proceed.Task.WaitAsync(ctx.CancellationToken);
                await responses.SendAsync(Res("late but fine"));
            },
        };
        var (host, client) = await StartAsync(service);
        await using var _ = host;

        await using var call = client.Echo(new CallOptions { RecvTimeout = new RecvTimeoutConfig(TimeSpan.FromMilliseconds(100), DisableCancelRemote: true) });
        var error = await Await.Throws<StreamXException>(async () => await call.RecvAsync());
        Assert.Equal(12014, error.Code);
        Assert.True(error.Error.CanRetry);
        Assert.Contains("DisableCancelRemote:true", error.Message, StringComparison.Ordinal);
        proceed.SetResult();
        Assert.Equal("late but fine", (await call.RecvAsync().Within())!.Message);
    }

    // ------------------------------------------------------------------ 7. per-operation tokens

    [Fact]
    public async Task PerOperationToken_AbandonsOnlyThatWait_TheStreamStaysHealthy()
    {
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new EchoService
        {
            Echo = async (requests, responses, ctx) =>
            {
                await proceed.Task;
                await responses.SendAsync(Res("after"));
                await foreach (var r in requests)
                {
                    await responses.SendAsync(Res(r.Message!));
                }
            },
        };
        var (host, client) = await StartAsync(service);
        await using var _ = host;

        await using var call = client.Echo();
        using (var once = new CancellationTokenSource())
        {
            var wait = call.RecvAsync(once.Token).AsTask();
            await once.CancelAsync();
            var abandoned = await Await.Throws<OperationCanceledException>(() => wait);
            Assert.Equal(once.Token, abandoned.CancellationToken);
            Assert.IsNotAssignableFrom<IStreamXError>(abandoned);
        }

        proceed.SetResult();
        Assert.Equal("after", (await call.RecvAsync().Within())!.Message);
        await call.SendAsync(Req("still works")).Within();
        Assert.Equal("still works", (await call.RecvAsync().Within())!.Message);
        await call.CloseSendAsync().Within();
        Assert.Null(await call.RecvAsync().Within());
    }

    // ------------------------------------------------------------------ 8. the errgroup helper

    [Fact]
    public async Task RunAsync_FirstFailingLoopResetsTheCall_AndItsErrorIsThrown()
    {
        var probe = new CancelProbe();
        var (host, client) = await StartAsync(probe.Service(echoFirst: true));
        await using var _ = host;

        await using var call = client.Echo();
        var receiverStopped = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var error = await Await.Throws<InvalidOperationException>(() => call.RunAsync(
            async (c, ct) =>
            {
                await c.SendAsync(Req("one"), ct);
                throw new InvalidOperationException("send loop failed");
            },
            async (c, ct) =>
            {
                try
                {
                    await foreach (var _ in c.ReadAllAsync(ct))
                    {
                    }
                }
                catch (Exception e)
                {
                    receiverStopped.SetResult(e);
                    throw;
                }
            }));
        Assert.Equal("send loop failed", error.Message);
        Assert.IsAssignableFrom<OperationCanceledException>(await receiverStopped.Task.Within());
        Assert.Equal(12007, (await probe.TokenFired.Task.Within())!.Code);
    }

    // ------------------------------------------------------------------ 9. disposal and leaks

    [Fact]
    public async Task Dispose_OfAnUnfinishedCall_ResetsIt_TheServerSeesACancel()
    {
        var probe = new CancelProbe();
        var (host, client) = await StartAsync(probe.Service());
        await using var _ = host;

        var call = client.Echo();
        await call.SendAsync(Req("x")).Within();
        await probe.Started.Task.Within();
        await call.DisposeAsync();

        var reason = await probe.TokenFired.Task.Within();
        Assert.Equal(12007, reason!.Code);
        Assert.Equal("client", reason.CanceledPath);
        await Await.Throws<ObjectDisposedException>(async () => await call.SendAsync(Req("after dispose")));
    }

    [Fact]
    public async Task EveryEnding_ReleasesEverything()
    {
        var service = new EchoService
        {
            EchoServer = async (req, responses, ctx) =>
            {
                switch (req.Message)
                {
                    case "normal":
                        await responses.SendAsync(Res("x"));
                        return;
                    case "error":
                        throw new InvalidOperationException("boom");
                    default:
                        await ctx.SendHeaderAsync(new Dictionary<string, string>());
                        await ctx.CancellationToken.WhenCanceled();
                        return;
                }
            },
        };
        var (host, client) = await StartAsync(service);
        await using var _ = host;
        var baseline = (StreamCounters.ActiveClientStreams, StreamCounters.ActiveServerStreams, StreamCounters.ActiveRegistrations, StreamCounters.RunningHandlers);

        await using (var normal = client.EchoServer(Req("normal")))
        {
            await foreach (var __ in normal.Within())
            {
            }
        }

        await using (var failing = client.EchoServer(Req("error")))
        {
            await Await.Throws<StreamXException>(async () => await failing.RecvAsync());
        }

        using (var cts = new CancellationTokenSource())
        {
            await using var canceled = client.EchoServer(Req("wait"), new CallOptions { Timeout = TimeSpan.FromMinutes(5) }, cts.Token);
            var pending = canceled.RecvAsync().AsTask();
            await cts.CancelAsync();
            await Await.Throws<OperationCanceledException>(() => pending);
        }

        await using (var timedOut = client.EchoServer(Req("wait"), new CallOptions { Timeout = TimeSpan.FromMilliseconds(50) }))
        {
            await Await.Throws<StreamXException>(async () => await timedOut.RecvAsync());
        }

        var disposed = client.EchoServer(Req("wait"));
        await disposed.GetHeadersAsync().Within();
        await disposed.DisposeAsync();

        await host.Dispatcher.WhenIdleAsync().Within();
        Assert.Equal(baseline, (StreamCounters.ActiveClientStreams, StreamCounters.ActiveServerStreams, StreamCounters.ActiveRegistrations, StreamCounters.RunningHandlers));
    }
}
