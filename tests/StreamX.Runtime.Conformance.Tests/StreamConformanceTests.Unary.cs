using StreamX.Diagnostics;
using StreamX.Examples.Echo;
using StreamX.Runtime.Conformance.Tests.Infrastructure;
using static StreamX.Runtime.Conformance.Tests.Infrastructure.EchoService;

namespace StreamX.Runtime.Conformance.Tests;

public abstract partial class StreamConformanceTests
{
    [Fact]
    public async Task Unary_CallerCancel_EndsTheCallForThatToken_EvenIfTheHandlerIgnoresItsToken()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new EchoService
        {
            PingPong = async (req, ctx) =>
            {
                started.SetResult();
                await release.Task; // ignores its token on purpose
                return Res("too late");
            },
        };
        var (host, client) = await StartAsync(service);
        await using var _ = host;
        using var cts = new CancellationTokenSource();

        var call = client.PingPongAsync(Req("x"), cancellationToken: cts.Token);
        await started.Task.Within();
        await cts.CancelAsync();
        var error = await Await.Throws<OperationCanceledException>(() => call);
        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.Equal(12007, Assert.IsAssignableFrom<IStreamXError>(error).Error.Code);
        release.SetResult();
    }

    [Fact]
    public async Task Unary_Deadline_Is12015()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new EchoService { PingPong = async (req, ctx) => { await release.Task; return Res("too late"); } };
        var (host, client) = await StartAsync(service);
        await using var _ = host;

        var error = await Await.Throws<StreamXException>(() => client.PingPongAsync(Req("x"), new CallOptions { Timeout = TimeSpan.FromMilliseconds(100) }));
        Assert.Equal("[ttstream error, code=12015] [client-side stream] stream timeout, timeout in ctx: 100ms", error.Message);
        release.SetResult();
    }

    [Fact]
    public async Task Unary_BusinessStatus_ReachesTheClientTyped()
    {
        var service = new EchoService { PingPong = (req, ctx) => throw new BizStatusException(4001, "quota exceeded") };
        var (host, client) = await StartAsync(service);
        await using var _ = host;

        var error = await Await.Throws<BizStatusException>(() => client.PingPongAsync(Req("x")));
        Assert.Equal(4001, error.StatusCode);
        Assert.Equal("quota exceeded", error.StatusMessage);
    }

    [Fact]
    public async Task StreamMiddleware_WrapsTheOpen_TheStreamExistsAfterNext()
    {
        var afterNext = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new EchoService { Echo = async (requests, responses, ctx) => { started.TrySetResult(); await foreach (var __ in requests) { } } };
        var clientOptions = new StreamXClientOptions
        {
            StreamMiddlewares =
            [
                next => async call =>
                {
                    await next(call);
                    afterNext.TrySetResult(StreamCounters.ActiveClientStreams);
                },
            ],
        };
        var (host, client) = await StartAsync(service, clientOptions: clientOptions);
        await using var _ = host;

        await using var stream = client.Echo();
        Assert.True(await afterNext.Task.Within() >= 1);
        await started.Task.Within(); // the server already has the stream when the middleware resumes
        await stream.CloseSendAsync().Within();
    }

    [Fact]
    public async Task StreamMiddleware_ThatReturnsWithoutCallingNext_FailsTheCallClearly()
    {
        var clientOptions = new StreamXClientOptions { StreamMiddlewares = [next => call => ValueTask.CompletedTask] };
        var (host, client) = await StartAsync(new EchoService(), clientOptions: clientOptions);
        await using var _ = host;

        await using var stream = client.Echo();
        var error = await Await.Throws<InvalidOperationException>(async () => await stream.SendAsync(Req("x")));
        Assert.Contains("without opening", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidCallOptions_AreRejectedBeforeAnythingStarts()
    {
        var (host, client) = await StartAsync(new EchoService());
        await using var _ = host;
        var before = StreamCounters.ActiveClientStreams;

        Assert.Throws<ArgumentException>(() => client.Echo(new CallOptions { Timeout = TimeSpan.FromMilliseconds(-1) }));
        Assert.Throws<ArgumentException>(() => client.Echo(new CallOptions { RecvTimeout = new RecvTimeoutConfig(TimeSpan.Zero) }));
        await Assert.ThrowsAsync<ArgumentException>(() => client.PingPongAsync(Req("x"), new CallOptions { Timeout = TimeSpan.Zero }));
        Assert.Equal(before, StreamCounters.ActiveClientStreams);
    }
}
