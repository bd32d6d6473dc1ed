using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using StreamX.Examples.Echo;
using StreamX.Runtime.Conformance.Tests.Infrastructure;
using static StreamX.Runtime.Conformance.Tests.Infrastructure.EchoService;
using static StreamX.Runtime.Conformance.Tests.Infrastructure.KitexTexts;

namespace StreamX.Runtime.Conformance.Tests;

public abstract partial class StreamConformanceTests
{
    /// <summary>Upper bound on messages a transport may absorb (its socket buffers) before a send has to wait.</summary>
    protected virtual int MaxMessagesBeforeBackpressure => 10_000;

    private static string? TextOf(object message) => message switch
    {
        Request r => r.Message,
        Response r => r.Message,
        _ => message.GetType().Name,
    };

    // ------------------------------------------------------------------ 10. back-pressure and concurrent sends

    [Fact]
    public async Task SlowReader_SlowsTheWriter_InsteadOfGrowingMemory()
    {
        const int capacity = 4;
        var payload = new string('x', 1024);
        var pendingAt = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var limit = MaxMessagesBeforeBackpressure;
        var service = new EchoService
        {
            EchoServer = async (req, responses, ctx) =>
            {
                for (var i = 0; i < limit + 100; i++)
                {
                    var send = responses.SendAsync(Res($"{i}:{payload}"));
                    if (!send.IsCompleted)
                    {
                        pendingAt.TrySetResult(i);
                    }

                    await send;
                }

                pendingAt.TrySetResult(-1);
            },
        };
        var (host, client) = await StartAsync(service, clientOptions: new StreamXClientOptions { ServiceName = "client", ReceiveBufferCapacity = capacity });
        await using var _ = host;

        await using var call = client.EchoServer(Req("go"));
        var firstPending = await pendingAt.Task.Within();
        Assert.True(firstPending >= 0, $"the writer never had to wait for the reader within {limit + 100} messages");
        Assert.True(firstPending >= capacity, $"a send waited after {firstPending} messages, before the {capacity}-message buffer was full");

        var count = 0;
        await foreach (var r in call.Within())
        {
            Assert.StartsWith($"{count}:", r.Message, StringComparison.Ordinal);
            count++;
        }

        Assert.Equal(limit + 100, count);
    }

    [Fact]
    public async Task ConcurrentSends_OnOneStream_AreSafe_AndKeepEachSendersOrder()
    {
        const int senders = 4;
        const int perSender = 50;
        var service = new EchoService
        {
            EchoClient = async (requests, ctx) =>
            {
                var all = new List<string>();
                await foreach (var r in requests)
                {
                    all.Add(r.Message!);
                }

                return Res(string.Join(";", all));
            },
        };
        var (host, client) = await StartAsync(service);
        await using var _ = host;

        await using var call = client.EchoClient();
        await Task.WhenAll(Enumerable.Range(0, senders).Select(s => Task.Run(async () =>
        {
            for (var i = 0; i < perSender; i++)
            {
                await call.SendAsync(Req($"{s}:{i}"));
            }
        }))).Within();
        var received = (await call.CloseAndRecvAsync().Within()).Message!.Split(';');

        Assert.Equal(senders * perSender, received.Length);
        foreach (var group in received.Select(r => r.Split(':')).GroupBy(p => p[0]))
        {
            Assert.Equal(Enumerable.Range(0, perSender), group.Select(p => int.Parse(p[1], CultureInfo.InvariantCulture)));
        }
    }

    // ------------------------------------------------------------------ 11. middleware

    [Fact]
    public async Task Middleware_RunsOutermostFirst_SeesHeadersAndMessages_AndObservesErrors()
    {
        var log = new ConcurrentQueue<string>();
        StreamMiddleware Stream(string name) => next => async call =>
        {
            log.Enqueue($"{name}:{call.Side}:enter");
            if (call.Side == StreamSide.Client)
            {
                call.RequestHeaders["added-by"] = name;
            }
            else
            {
                log.Enqueue($"{name}:saw:{(call.RequestHeaders.TryGetValue("added-by", out var by) ? by : "none")}");
            }

            try
            {
                await next(call);
            }
            catch (Exception e)
            {
                log.Enqueue($"{name}:error:{e.Message}");
                throw;
            }

            log.Enqueue($"{name}:{call.Side}:exit");
        };
        SendMiddleware Send(string name) => next => (call, message, ct) =>
        {
            log.Enqueue($"{name}:send:{TextOf(message)}");
            return next(call, message, ct);
        };
        RecvMiddleware Recv(string name) => next => async (call, ct) =>
        {
            var message = await next(call, ct);
            log.Enqueue($"{name}:recv:{(message is null ? "end" : TextOf(message))}");
            return message;
        };

        var service = new EchoService
        {
            Echo = async (requests, responses, ctx) =>
            {
                await foreach (var r in requests)
                {
                    await responses.SendAsync(Res(r.Message + "!"));
                }
            },
        };
        var serverOptions = new StreamXServerOptions
        {
            ServiceName = "server",
            StreamMiddlewares = [Stream("s1"), Stream("s2")],
            RecvMiddlewares = [Recv("sr")],
            SendMiddlewares = [Send("ss")],
        };
        var clientOptions = new StreamXClientOptions
        {
            ServiceName = "client",
            StreamMiddlewares = [Stream("c1"), Stream("c2")],
            SendMiddlewares = [Send("cs")],
            RecvMiddlewares = [Recv("cr")],
        };
        var (host, client) = await StartAsync(service, serverOptions, clientOptions);
        await using var _ = host;

        await using var call = client.Echo();
        await call.SendAsync(Req("a")).Within();
        Assert.Equal("a!", (await call.RecvAsync().Within())!.Message);
        await call.CloseSendAsync().Within();
        Assert.Null(await call.RecvAsync().Within());
        await host.Dispatcher.WhenIdleAsync().Within();

        var entries = log.ToList();
        Assert.True(entries.IndexOf("c1:Client:enter") < entries.IndexOf("c2:Client:enter"));
        Assert.True(entries.IndexOf("c2:Client:exit") < entries.IndexOf("c1:Client:exit"));
        Assert.True(entries.IndexOf("s1:Server:enter") < entries.IndexOf("s2:Server:enter"));
        Assert.True(entries.IndexOf("s2:Server:exit") < entries.IndexOf("s1:Server:exit"));
        Assert.Contains("s1:saw:c2", entries); // the innermost client middleware wrote last
        Assert.Contains("cs:send:a", entries);
        Assert.Contains("sr:recv:a", entries);
        Assert.Contains("ss:send:a!", entries);
        Assert.Contains("cr:recv:a!", entries);
        Assert.Contains("cr:recv:end", entries);
    }

    [Fact]
    public async Task Middleware_CanShortCircuit_AndObserveHandlerErrors()
    {
        var observed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handlerRan = false;
        var service = new EchoService
        {
            EchoServer = (req, responses, ctx) =>
            {
                handlerRan = true;
                throw new InvalidOperationException("handler failed");
            },
        };
        var serverOptions = new StreamXServerOptions
        {
            StreamMiddlewares =
            [
                next => async call =>
                {
                    try
                    {
                        await next(call);
                    }
                    catch (Exception e)
                    {
                        observed.TrySetResult(e.Message);
                        throw;
                    }
                },
            ],
        };
        var denying = new StreamXClientOptions
        {
            StreamMiddlewares = [next => call => call.MethodName == "Echo" ? throw new UnauthorizedAccessException("denied by policy") : next(call)],
        };
        var (host, client) = await StartAsync(service, serverOptions, denying);
        await using var _ = host;

        await using (var denied = client.Echo())
        {
            var error = await Await.Throws<UnauthorizedAccessException>(async () => await denied.SendAsync(Req("x")));
            Assert.Equal("denied by policy", error.Message);
        }

        await using var failing = client.EchoServer(Req("x"));
        await Await.Throws<StreamXException>(async () => await failing.RecvAsync());
        Assert.Equal("handler failed", await observed.Task.Within());
        Assert.True(handlerRan);
    }

    [Fact]
    public async Task UnaryMiddleware_WrapsUnaryCalls_OnBothSides()
    {
        var log = new ConcurrentQueue<string>();
        var service = new EchoService { PingPong = (req, ctx) => Task.FromResult(Res(req.Message!)) };
        var serverOptions = new StreamXServerOptions
        {
            UnaryMiddlewares = [next => async (call, request, ct) => { log.Enqueue("server:" + call.MethodName); return await next(call, request, ct); }],
        };
        var clientOptions = new StreamXClientOptions
        {
            UnaryMiddlewares = [next => async (call, request, ct) => { log.Enqueue("client:" + call.MethodName); return await next(call, request, ct); }],
        };
        var (host, client) = await StartAsync(service, serverOptions, clientOptions);
        await using var _ = host;

        Assert.Equal("u", (await client.PingPongAsync(Req("u")).Within()).Message);
        Assert.Equal(new[] { "client:PingPong", "server:PingPong" }, log.ToArray());
    }

    // ------------------------------------------------------------------ 12. errors and logging

    [Fact]
    public async Task Cancellation_IsLoggedAtDebug_NeverAsAnError()
    {
        var logs = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        var probe = new CancelProbe();
        var (host, client) = await StartAsync(probe.Service(), new StreamXServerOptions { ServiceName = "server", LoggerFactory = factory }, new StreamXClientOptions { ServiceName = "client", LoggerFactory = factory });
        await using var _ = host;
        using var cts = new CancellationTokenSource();

        await using var call = client.Echo(cancellationToken: cts.Token);
        await probe.Started.Task.Within();
        await cts.CancelAsync();
        await probe.RecvFailed.Task.Within();
        await host.Dispatcher.WhenIdleAsync().Within();

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Debug);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public void StreamErrors_FormatExactlyAsKitex()
    {
        var error = StreamErrors.CanceledByUpstream with
        {
            Side = StreamSide.Server,
            CanceledPath = "A,B,",
            Cause = new StreamX.Thrift.ThriftApplicationException(12007, UserCancelText),
            Code = 12007,
        };
        Assert.Equal($"[ttstream error, code=12007] [server-side stream] [canceled path: A -> B -> ] {UserCancelText}", error.Text);
        Assert.True(error.IsKind(StreamErrors.CanceledByUpstream));
        var exception = Assert.IsType<StreamXCanceledException>(error.ToException());
        Assert.IsAssignableFrom<OperationCanceledException>(exception);
        Assert.IsType<StreamXException>((StreamErrors.IllegalFrame with { Side = StreamSide.Client }).ToException());
        Assert.Equal("[ttstream error, code=12013] canceled by connection closed", StreamErrors.ConnectionClosed.Text);
    }

    // ------------------------------------------------------------------ 13. graceful stop and connection loss

    [Fact]
    public async Task GracefulStop_FiresHandlerTokensWithAReason_ClientsSeeAClearError()
    {
        var reason = new TaskCompletionSource<StreamError?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new EchoService
        {
            EchoServer = async (req, responses, ctx) =>
            {
                await responses.SendAsync(Res("first"));
                started.SetResult();
                await ctx.CancellationToken.WhenCanceled();
                reason.SetResult(ctx.CancelReason);
                ctx.CancellationToken.ThrowIfCancellationRequested();
            },
        };
        var (host, client) = await StartAsync(service);
        await using var _ = host;

        await using var call = client.EchoServer(Req("x"));
        Assert.Equal("first", (await call.RecvAsync().Within())!.Message);
        await started.Task.Within();
        await host.StopAsync().Within();

        var why = await reason.Task.Within();
        Assert.Equal(12013, why!.Code);
        Assert.Contains("server is shutting down", why.Text, StringComparison.Ordinal);
        var error = await Await.Throws<Exception>(async () => await call.RecvAsync());
        Assert.Contains("shutting down", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Stops called concurrently share one stop: neither returns before the handler is done (it holds the stop past
    /// the second call), and a stop after the first one finished returns at once.
    /// </summary>
    [Fact]
    public async Task GracefulStop_CalledConcurrentlyAndAgain_IsOneStop()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new EchoService
        {
            EchoServer = async (req, responses, ctx) =>
            {
                started.SetResult();
                await ctx.CancellationToken.WhenCanceled();
                stopping.SetResult();
                await release.Task; // returns only when the test says so, within the grace period
            },
        };
        var (host, client) = await StartAsync(service, new StreamXServerOptions { ShutdownGracePeriod = TimeSpan.FromSeconds(30) });
        await using var _ = host;

        await using var call = client.EchoServer(Req("x"));
        await started.Task.Within();
        var first = host.StopAsync();
        var second = host.StopAsync();
        await stopping.Task.Within(); // the stop is under way and waits for this handler
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);

        release.SetResult();
        await Task.WhenAll(first, second).Within();
        await host.StopAsync().Within();
    }

    [Fact]
    public async Task GracefulStop_EndsHandlersThatIgnoreCancellation_AfterTheGracePeriod()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new EchoService
        {
            EchoServer = async (req, responses, ctx) =>
            {
                started.SetResult();
                await release.Task; // ignores its token on purpose
            },
        };
        var (host, client) = await StartAsync(service, new StreamXServerOptions { ShutdownGracePeriod = TimeSpan.FromMilliseconds(200) });
        await using var _ = host;

        await using var call = client.EchoServer(Req("x"));
        await started.Task.Within();
        await host.StopAsync().Within();
        var error = await Await.Throws<StreamXCanceledException>(async () => await call.RecvAsync());
        Assert.Equal(12013, error.Code);
        Assert.Contains("grace period", error.Message, StringComparison.Ordinal);
        release.SetResult();
    }

    [Fact]
    public async Task GracefulStop_CutShortByItsToken_ResetsHandlersStillRunning_AndCompletes()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var streamStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var unaryStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var streamToken = new TaskCompletionSource<StreamError?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var unaryToken = new TaskCompletionSource<StreamError?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new EchoService
        {
            EchoServer = async (req, responses, ctx) =>
            {
                ctx.CancellationToken.Register(() => streamToken.TrySetResult(ctx.CancelReason));
                await responses.SendAsync(Res("first"));
                streamStarted.SetResult();
                await release.Task; // ignores its token on purpose
            },
            PingPong = async (req, ctx) =>
            {
                ctx.CancellationToken.Register(() => unaryToken.TrySetResult(ctx.CancelReason));
                unaryStarted.SetResult();
                await release.Task; // ignores its token on purpose
                return Res("late");
            },
        };

        // A grace period the test never waits out: only the token ends the wait.
        var (host, client) = await StartAsync(service, new StreamXServerOptions { ShutdownGracePeriod = TimeSpan.FromHours(1) });
        await using var _ = host;
        try
        {
            await using var call = client.EchoServer(Req("x"));
            Assert.Equal("first", (await call.RecvAsync().Within())!.Message);
            await streamStarted.Task.Within();
            var unary = client.PingPongAsync(Req("u"));
            await unaryStarted.Task.Within();

            using var stop = new CancellationTokenSource();
            var stopping = host.StopAsync(stop.Token);
            Assert.Equal(12013, (await streamToken.Task.Within())!.Code); // the graceful stop began
            Assert.Equal(12013, (await unaryToken.Task.Within())!.Code);
            Assert.False(stopping.IsCompleted, "the stop did not wait for the handlers");

            await stop.CancelAsync();
            await stopping.Within(); // completes: a graceful stop cut short, not an exception

            // The stream's client gets a clear error, though its handler is still running.
            var error = await Await.Throws<Exception>(async () => await call.RecvAsync());
            var streamError = Assert.IsAssignableFrom<IStreamXError>(error).Error;
            Assert.True(
                streamError.Code == 12013 && error.Message.Contains("the stop was cut short before the handler finished", StringComparison.Ordinal)
                    || AbortedConnection(streamError),
                error.Message);

            // The unary call too: the reply says so, or (over a socket) the connection closing does.
            var unaryError = await Await.Throws<Exception>(() => unary);
            Assert.True(
                unaryError is StreamX.Thrift.ThriftApplicationException { Type: 6 } app && app.Message.Contains("the stop was cut short", StringComparison.Ordinal)
                    || unaryError is IStreamXError x && AbortedConnection(x.Error),
                unaryError.GetType().Name + ": " + unaryError.Message);

            // Nothing new is served.
            await Await.Throws<Exception>(async () => await client.EchoServer(Req("y")).RecvAsync());
        }
        finally
        {
            release.TrySetResult();
        }

        // The abandoned handlers return when they choose to; nothing of theirs is left running.
        await host.Dispatcher.WhenIdleAsync().Within();
    }

    /// <summary>A call that ended because the stop aborted its connection under it (12006), where the transport has connections.</summary>
    private bool AbortedConnection(StreamError error) => StopAbortsConnections && error.Code == 12006;

    [Fact]
    public async Task ConnectionLoss_FailsClientStreamsWith12006_AndServerHandlersWith12013()
    {
        var probe = new CancelProbe();
        var (host, client) = await StartAsync(probe.Service());
        await using var _ = host;

        await using var call = client.Echo();
        await probe.Started.Task.Within();
        var pending = call.RecvAsync().AsTask();
        host.DropConnections();

        var error = await Await.Throws<StreamXException>(() => pending);
        Assert.Equal(12006, error.Code);
        Assert.Equal(12013, (await probe.TokenFired.Task.Within())!.Code);
    }
}
