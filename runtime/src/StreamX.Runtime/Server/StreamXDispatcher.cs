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
    private readonly ILogger _logger;
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
            task = stream.CompleteAsync(unknown ?? (Exception)UnknownMethodException.Method(stream.MethodName), $"{stream.ServiceName}.{stream.MethodName}");
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
    public async Task<ReadOnlyMemory<byte>> InvokeUnaryAsync(string serviceName, string methodName, ReadOnlyMemory<byte> arguments, IReadOnlyDictionary<string, string> headers, string? peer, Func<StreamError?>? cancelReason, CancellationToken cancellationToken)
    {
        if (_stopped)
        {
            throw new ThriftApplicationException(6, "server is shutting down");
        }

        if (FindMethod(serviceName, methodName, out var unknown) is not UnaryServerMethod method)
        {
            throw new ThriftApplicationException(unknown?.ApplicationExceptionType ?? 1, unknown?.Message ?? $"unknown method {methodName}");
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
        var task = RunUnaryAsync(method, arguments, context, info, handlerCts.Token);
        Track(task, null);
        try
        {
            return await task.ConfigureAwait(false);
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
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _stopped = true;
        foreach (var stream in _running.Values)
        {
            stream?.Cancel(ShutdownReason);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        var all = Task.WhenAll(_running.Keys);
        try
        {
            await all.WaitAsync(Options.ShutdownGracePeriod, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("StreamX server stop: {Count} handler(s) still running after the grace period of {Grace}", _running.Count, Options.ShutdownGracePeriod);
            var abandoned = StreamErrors.ConnectionClosed with { Side = StreamSide.Server, Cause = new InvalidOperationException("server stopped: the handler did not finish within the shutdown grace period") };
            await Task.WhenAll(_running.Values.OfType<ServerStreamCore>().Select(s => s.ResetAsync(abandoned))).ConfigureAwait(false);
        }
    }

    private async Task RunStreamAsync(ServerStreamCore stream, StreamingServerMethod method)
    {
        StreamCounters.HandlerStarted();
        var name = $"{stream.ServiceName}.{stream.MethodName}";
        Exception? failure = null;
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
            await stream.CompleteAsync(failure, name).ConfigureAwait(false);
            if (stream.EncodingFailure is { } unencodable && !ReferenceEquals(unencodable, failure))
            {
                _logger.LogWarning("StreamX {Method}: {Message}; the client was sent an error instead", name, unencodable.Message);
            }

            StreamCounters.HandlerEnded();
        }
    }

    private async Task<ReadOnlyMemory<byte>> RunUnaryAsync(UnaryServerMethod method, ReadOnlyMemory<byte> arguments, ServerCallContext context, StreamCallInfo info, CancellationToken cancellationToken)
    {
        StreamCounters.HandlerStarted();
        var name = $"{context.ServiceName}.{context.MethodName}";
        try
        {
            await Task.Yield();
            using (ServerCallContext.Enter(context))
            {
                var result = await method.Invoke(arguments, context, info, Options, cancellationToken).ConfigureAwait(false);
                return method.IsOneway ? ReadOnlyMemory<byte>.Empty : result;
            }
        }
        catch (BizStatusException)
        {
            throw; // a business status travels as itself (headers), not as an application exception
        }
        catch (Exception e)
        {
            Log(name, e, cancellationToken);
            var failure = e is OperationCanceledException and not IStreamXError && context.CancelReason is { } reason ? reason.ToException() : e;
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
            _logger.LogDebug("StreamX {Method}: handler ended by cancellation: {Message}", method, e.Message);
        }
        else if (e is BizStatusException)
        {
            _logger.LogDebug("StreamX {Method}: business status {Message}", method, e.Message);
        }
        else
        {
            _logger.LogWarning(e, "StreamX {Method}: handler failed", method);
        }
    }
}
