using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using StreamX.Diagnostics;
using StreamX.Thrift;
using StreamX.Transport;

namespace StreamX;

/// <summary>
/// Routes streams and unary calls to bound services and runs handlers with their lifecycle:
/// ambient call context, middleware, the Trailer when the handler returns, and graceful stop.
/// Transports own connections and frames; the dispatcher owns handlers. Thread-safe.
/// </summary>
public sealed class StreamXDispatcher
{
    private readonly Dictionary<string, ServiceDefinition> _services = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, ServerStreamCore?> _running = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _stopCutShort = new();
    private readonly CancellationTokenSource _abandoned = new();
    private readonly object _stopGate = new();
    private readonly ILogger _logger;
    private Task? _stop;
    private volatile string? _abandonedReason;
    private volatile bool _stopped;

    /// <summary>Creates a dispatcher for the given services.</summary>
    public StreamXDispatcher(StreamXServerOptions options, IEnumerable<ServiceDefinition> services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        options.Validate();
        Options = options;
        _logger = options.LoggerFactory.CreateLogger("StreamX.Server");
        foreach (var service in services)
        {
            if (!_services.TryAdd(service.ServiceName, service))
            {
                throw new ArgumentException($"service '{service.ServiceName}' is registered twice", nameof(services));
            }
        }
    }

    /// <summary>The options.</summary>
    public StreamXServerOptions Options { get; }

    /// <summary>The hosted services.</summary>
    public IReadOnlyCollection<ServiceDefinition> Services => _services.Values;

    /// <summary>True once <see cref="StopAsync"/> began: new streams and calls are refused.</summary>
    public bool IsStopping => _stopped;

    /// <summary>
    /// Finds a method by service name (ttstream <c>isn</c>; when empty, by method name alone, as
    /// Kitex does). Returns null with the exception to send for an unknown service or method.
    /// </summary>
    public ServerMethod? FindMethod(string? serviceName, string methodName, out UnknownMethodException? unknown)
    {
        unknown = null;
        if (!string.IsNullOrEmpty(serviceName))
        {
            if (!_services.TryGetValue(serviceName, out var service))
            {
                unknown = UnknownMethodException.Service(serviceName);
                return null;
            }

            if (service.Methods.TryGetValue(methodName, out var method))
            {
                return method;
            }

            unknown = UnknownMethodException.Method(methodName);
            return null;
        }

        foreach (var service in _services.Values)
        {
            if (service.Methods.TryGetValue(methodName, out var method))
            {
                return method;
            }
        }

        unknown = UnknownMethodException.Method(methodName);
        return null;
    }

    /// <summary>
    /// Starts the handler for a stream a client opened. Unknown services and methods are answered
    /// at once with a Header and a Trailer carrying the exception (Kitex leaves the client hanging).
    /// Never blocks on the handler.
    /// </summary>
    public void AcceptStream(ServerStreamCore stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var method = FindMethod(stream.ServiceName, stream.MethodName, out var unknown);
        Task task;
        if (_stopped)
        {
            task = stream.CompleteAsync(new ThriftApplicationException(6, "server is shutting down"), $"{stream.ServiceName}.{stream.MethodName}");
        }
        else if (method is not StreamingServerMethod streaming)
        {
            var answer = unknown ?? (Exception)UnknownMethodException.Method(stream.MethodName);
            CallTelemetry.RecordUnknownServerCall(stream.ServiceName, stream.MethodName, unknown?.ApplicationExceptionType != UnknownMethodException.UnknownServiceType, stream.TransportTelemetry, stream.RequestHeaders, stream.Peer, answer);
            task = stream.CompleteAsync(answer, $"{stream.ServiceName}.{stream.MethodName}");
        }
        else
        {
            task = Task.Run(() => RunStreamAsync(stream, streaming));
        }

        Track(task, stream);
    }

    /// <summary>
    /// Runs a unary handler: argument struct bytes in, result struct bytes out (empty for oneway).
    /// Unknown methods and handler failures are thrown as <see cref="ThriftApplicationException"/>,
    /// a business status as the handler's <see cref="BizStatusException"/>.
    /// <paramref name="cancellationToken"/> is the call's lifetime (the client's cancel, the connection).
    /// </summary>
    public Task<ReadOnlyMemory<byte>> InvokeUnaryAsync(string serviceName, string methodName, ReadOnlyMemory<byte> arguments, IReadOnlyDictionary<string, string> headers, string? peer, Func<StreamError?>? cancelReason, CancellationToken cancellationToken) =>
        InvokeUnaryAsync(serviceName, methodName, arguments, headers, peer, cancelReason, TransportTelemetry.Unknown, cancellationToken);

    /// <summary>
    /// Runs a unary handler, as <see cref="InvokeUnaryAsync(string, string, ReadOnlyMemory{byte}, IReadOnlyDictionary{string, string}, string?, Func{StreamError?}?, CancellationToken)"/>
    /// does; <paramref name="transport"/> describes the transport and connection for traces and metrics.
    /// </summary>
    public async Task<ReadOnlyMemory<byte>> InvokeUnaryAsync(string serviceName, string methodName, ReadOnlyMemory<byte> arguments, IReadOnlyDictionary<string, string> headers, string? peer, Func<StreamError?>? cancelReason, TransportTelemetry transport, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        if (_stopped)
        {
            throw new ThriftApplicationException(6, "server is shutting down");
        }

        if (FindMethod(serviceName, methodName, out var unknown) is not UnaryServerMethod method)
        {
            var answer = new ThriftApplicationException(unknown?.ApplicationExceptionType ?? 1, unknown?.Message ?? $"unknown method {methodName}");
            CallTelemetry.RecordUnknownServerCall(serviceName, methodName, unknown?.ApplicationExceptionType != UnknownMethodException.UnknownServiceType, transport, headers, peer, answer);
            throw answer;
        }

        // The handler's token: the call's lifetime, the server stopping, and the handler returning
        // (12012, which cascades into any stream the handler left open).
        using var handlerCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        StreamError? returned = null;
        StreamError? Reason() => returned
            ?? cancelReason?.Invoke()
            ?? (_stopping.IsCancellationRequested ? ShutdownReason : null)
            ?? (handlerCts.IsCancellationRequested ? StreamErrors.CanceledByUpstream with { Side = StreamSide.Server } : null);
        var context = new ServerCallContext(serviceName, methodName, headers, peer, handlerCts.Token, Reason, Options.ServiceName);
        var info = new StreamCallInfo(serviceName, methodName, StreamingMode.Unary, StreamSide.Server, new Dictionary<string, string>(headers).AsReadOnly());
        var task = RunUnaryAsync(method, arguments, context, info, transport, handlerCts.Token);
        Track(task, null);
        try
        {
            return await task.WaitAsync(_abandoned.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abandoned.IsCancellationRequested && !task.IsCompleted)
        {
            // The stop gave up on the handler (grace period over, or cut short): the caller gets an answer now.
            _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw new ThriftApplicationException(6, _abandonedReason ?? "server stopped");
        }
        finally
        {
            if (!handlerCts.IsCancellationRequested)
            {
                returned = StreamErrors.HandlerReturned with { Side = StreamSide.Server };
                await handlerCts.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    private static readonly StreamError ShutdownReason = StreamErrors.ConnectionClosed with { Cause = new InvalidOperationException("server is shutting down") };

    /// <summary>Completes when every handler running now (and the end of its stream) has finished.</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_running.Keys);

    /// <summary>
    /// Graceful stop: refuse new calls, fire every running handler's token (reason 12013,
    /// <c>server is shutting down</c>), wait up to the grace period for them to return, then end what
    /// is left (their clients get a clear error either way).
    /// </summary>
    /// <param name="cancellationToken">
    /// Cuts the wait short, as a host's stop token does (<c>IHostedService.StopAsync</c>: the stop should no longer
    /// be graceful): handlers still running then are ended at once, exactly as when the grace period runs out, and
    /// the returned task completes normally. It does not throw <see cref="OperationCanceledException"/>.
    /// </param>
    /// <returns>Completes when the handlers have returned or been ended. Calling again returns the same stop (a token
    /// passed then can still cut it short).</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        // Registered before the stop starts, so a token that has already fired cuts it short at once.
        using var cut = cancellationToken.Register(static s => ((StreamXDispatcher)s!).CutStopShort(), this);
        TaskCompletionSource? first = null;
        Task stop;
        lock (_stopGate)
        {
            if (_stop is null)
            {
                first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _stop = first.Task;
            }

            stop = _stop;
        }

        if (first is null)
        {
            await stop.ConfigureAwait(false);
            return;
        }

        try
        {
            await StopCoreAsync().ConfigureAwait(false);
            first.SetResult();
        }
        catch (Exception e)
        {
            first.SetException(e);
            throw;
        }
    }

    /// <summary>The caller's token fired: the stop's callbacks run on the thread pool, not inside the caller's <c>Cancel()</c>.</summary>
    private void CutStopShort() => _ = _stopCutShort.CancelAsync();

    private async Task StopCoreAsync()
    {
        _stopped = true;
        foreach (var stream in _running.Values)
        {
            stream?.Cancel(ShutdownReason);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        var all = Task.WhenAll(_running.Keys);
        using (var grace = CancellationTokenSource.CreateLinkedTokenSource(_stopCutShort.Token))
        {
            grace.CancelAfter(Options.ShutdownGracePeriod);
            await all.WaitAsync(grace.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (all.IsCompleted)
        {
            return;
        }

        // Ended as one: streams are reset, unary calls answered with an error; the handlers themselves run
        // on until they return, and nothing more of theirs is sent.
        var cutShort = _stopCutShort.IsCancellationRequested;
        var why = cutShort
            ? "server stopped: the stop was cut short before the handler finished"
            : "server stopped: the handler did not finish within the shutdown grace period";
        if (cutShort)
        {
            _logger.LogWarning(StreamXEventIds.StopCutShort, "StreamX server stop cut short by its token: ending {Count} handler(s) still running", _running.Count);
        }
        else
        {
            _logger.LogWarning(StreamXEventIds.StopGracePeriodExceeded, "StreamX server stop: {Count} handler(s) still running after the grace period of {Grace}", _running.Count, Options.ShutdownGracePeriod);
        }

        _abandonedReason = why;
        await _abandoned.CancelAsync().ConfigureAwait(false);
        var abandoned = StreamErrors.ConnectionClosed with { Side = StreamSide.Server, Cause = new InvalidOperationException(why) };
        var resets = Task.WhenAll(_running.Values.OfType<ServerStreamCore>().Select(s => s.ResetAsync(abandoned)));

        // The resets are queued at once; waiting for them to be written is part of the graceful path only
        // (a connection whose peer stopped reading could hold them back indefinitely).
        await resets.WaitAsync(_stopCutShort.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunStreamAsync(ServerStreamCore stream, StreamingServerMethod method)
    {
        StreamCounters.HandlerStarted();
        var name = $"{stream.ServiceName}.{stream.MethodName}";
        Exception? failure = null;

        // The span is current for the handler: calls it makes downstream are its children. (Kept on the
        // stream, not in a local: this method's state machine stays as small as it was without telemetry.)
        stream.Telemetry = CallTelemetry.StartServer(stream.ServiceName, stream.MethodName, method.Mode, stream.TransportTelemetry, stream.RequestHeaders, stream.Peer, Options.RecordMessageEvents);
        try
        {
            var context = new ServerCallContext(stream, Options.ServiceName);
            var info = new StreamCallInfo(stream.ServiceName, stream.MethodName, method.Mode, StreamSide.Server, new Dictionary<string, string>(stream.RequestHeaders).AsReadOnly());
            using (ServerCallContext.Enter(context))
            {
                StreamHandler terminal = _ => new ValueTask(method.Invoke(stream, context, info, Options));
                var chain = Options.StreamMiddlewares.IsEmpty ? terminal : MiddlewareChain.Build(Options.StreamMiddlewares, terminal);
                await chain(info).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            // A handler that stops because its own token fired reports why the token fired.
            failure = e is OperationCanceledException and not IStreamXError && stream.CancelReason is { } reason ? reason.ToException() : e;
            Log(name, e, stream.CancellationToken);
        }
        finally
        {
            // Why the call was canceled while the handler ran, if it was (the Trailer's 12012 is not a reason);
            // the span ends once the Trailer is written.
            stream.Telemetry?.HandlerReturned(failure, stream.CancelReason);
            await stream.CompleteAsync(failure, name).ConfigureAwait(false);
            stream.Telemetry?.EndHandler();
            if (stream.EncodingFailure is { } unencodable && !ReferenceEquals(unencodable, failure))
            {
                _logger.LogWarning(StreamXEventIds.FrameNotEncodable, "StreamX {Method}: {Message}; the client was sent an error instead", name, unencodable.Message);
            }

            StreamCounters.HandlerEnded();
        }
    }

    private async Task<ReadOnlyMemory<byte>> RunUnaryAsync(UnaryServerMethod method, ReadOnlyMemory<byte> arguments, ServerCallContext context, StreamCallInfo info, TransportTelemetry transport, CancellationToken cancellationToken)
    {
        StreamCounters.HandlerStarted();
        var name = $"{context.ServiceName}.{context.MethodName}";
        var telemetry = CallTelemetry.StartServer(context.ServiceName, context.MethodName, StreamingMode.Unary, transport, context.RequestHeaders, context.Peer, Options.RecordMessageEvents);
        telemetry?.MessageReceived(arguments.Length);
        try
        {
            await Task.Yield();
            using (ServerCallContext.Enter(context))
            {
                var result = await method.Invoke(arguments, context, info, Options, cancellationToken).ConfigureAwait(false);
                if (method.IsOneway)
                {
                    telemetry?.EndHandler(null, context.CancelReason);
                    return ReadOnlyMemory<byte>.Empty;
                }

                telemetry?.MessageSent(result.Length);
                telemetry?.EndHandler(null, context.CancelReason);
                return result;
            }
        }
        catch (BizStatusException e)
        {
            telemetry?.EndHandler(e, null);
            throw; // a business status travels as itself (headers), not as an application exception
        }
        catch (Exception e)
        {
            var canceledBy = context.CancelReason;
            Log(name, e, cancellationToken);
            var failure = e is OperationCanceledException and not IStreamXError && canceledBy is { } reason ? reason.ToException() : e;
            telemetry?.EndHandler(failure, canceledBy);
            throw ServerStreamCore.ToApplicationException(failure, name);
        }
        finally
        {
            StreamCounters.HandlerEnded();
        }
    }

    private void Track(Task task, ServerStreamCore? stream)
    {
        _running[task] = stream;
        _ = task.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, ServerStreamCore?>)state!).TryRemove(t, out _), _running, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Log(string method, Exception e, CancellationToken callToken)
    {
        if (e is OperationCanceledException || callToken.IsCancellationRequested)
        {
            _logger.LogDebug(StreamXEventIds.HandlerCanceled, "StreamX {Method}: handler ended by cancellation: {Message}", method, e.Message);
        }
        else if (e is BizStatusException)
        {
            _logger.LogDebug(StreamXEventIds.HandlerBusinessStatus, "StreamX {Method}: business status {Message}", method, e.Message);
        }
        else
        {
            _logger.LogWarning(StreamXEventIds.HandlerFailed, e, "StreamX {Method}: handler failed", method);
        }
    }
}
