using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StreamX.Diagnostics;
using StreamX.Thrift;
using StreamX.Transport;

namespace StreamX;

/// <summary>
/// The base of every generated client: starts calls over a <see cref="ClientTransport"/>, runs the
/// middleware, and owns each call's cancellation — the caller's token, the ambient server call
/// (so a call made inside a handler is canceled with it, cascading the canceled path), the deadline
/// and the per-receive timeout all end the stream the same way.
/// </summary>
public abstract class StreamXClientBase
{
    private readonly ILogger _logger;

    /// <summary>Creates a client over a transport.</summary>
    protected StreamXClientBase(string serviceName, ClientTransport transport, StreamXClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(transport);
        options ??= new StreamXClientOptions();
        options.Validate();
        TargetServiceName = serviceName;
        Transport = transport;
        Options = options;
        _logger = options.LoggerFactory.CreateLogger("StreamX.Client");
    }

    /// <summary>The IDL service this client calls.</summary>
    public string TargetServiceName { get; }

    /// <summary>The transport.</summary>
    public ClientTransport Transport { get; }

    /// <summary>The options.</summary>
    public StreamXClientOptions Options { get; }

    /// <summary>This client's own name in canceled paths: the options' name, else the ambient server's.</summary>
    private string? CallerName(ServerCallContext? ambient) => Options.ServiceName ?? ambient?.ServerServiceName;

    /// <summary>Starts a server-streaming call: sends the request and half-closes at once.</summary>
    protected ServerStreamingCall<TResponse> StartServerStreaming<TRequest, TResponse>(string method, TRequest request, CallOptions? options, CancellationToken cancellationToken)
        where TRequest : class, IThriftStruct<TRequest>
        where TResponse : class, IThriftStruct<TResponse>
    {
        ArgumentNullException.ThrowIfNull(request);
        var core = Start(method, StreamingMode.ServerStreaming, options, cancellationToken, out var info);
        var call = new ServerStreamingCall<TResponse>(core, info, Options);
        call.SendRequest(StreamingCall.SendHandlerFor<TRequest>(core, Options), request);
        return call;
    }

    /// <summary>Starts a client-streaming call.</summary>
    protected ClientStreamingCall<TRequest, TResponse> StartClientStreaming<TRequest, TResponse>(string method, CallOptions? options, CancellationToken cancellationToken)
        where TRequest : class, IThriftStruct<TRequest>
        where TResponse : class, IThriftStruct<TResponse> =>
        new(Start(method, StreamingMode.ClientStreaming, options, cancellationToken, out var info), info, Options);

    /// <summary>Starts a bidirectional call.</summary>
    protected BidiStreamingCall<TRequest, TResponse> StartBidiStreaming<TRequest, TResponse>(string method, CallOptions? options, CancellationToken cancellationToken)
        where TRequest : class, IThriftStruct<TRequest>
        where TResponse : class, IThriftStruct<TResponse> =>
        new(Start(method, StreamingMode.Bidirectional, options, cancellationToken, out var info), info, Options);

    /// <summary>
    /// Performs a unary call with the method's argument and result structs (Kitex's
    /// <c>_args</c>/<c>_result</c> wrappers). Cancellation, deadline and cascade work as for streams.
    /// </summary>
    protected async Task<TResult> InvokeUnaryAsync<TArgs, TResult>(string method, TArgs args, bool oneway, CallOptions? options, CancellationToken cancellationToken)
        where TArgs : class, IThriftStruct<TArgs>
        where TResult : class, IThriftStruct<TResult>, new()
    {
        ArgumentNullException.ThrowIfNull(args);
        options?.Validate();
        var ambient = ServerCallContext.Current;
        var headers = BuildHeaders(options, ambient);

        // The span stays current for the rest of this call (this method's flow), so the transport's own
        // activities (HttpClient's) are its children; it is no longer current once the call returns.
        var telemetry = CallTelemetry.StartClient(TargetServiceName, method, StreamingMode.Unary, Transport.Telemetry, Options.RecordMessageEvents);
        TraceContext.Inject(telemetry?.Activity ?? Activity.Current, headers);
        var info = new StreamCallInfo(TargetServiceName, method, StreamingMode.Unary, StreamSide.Client, headers);
        var timeout = options?.Timeout ?? Options.Timeout;
        var self = CallerName(ambient);
        using var timer = timeout is { } t ? new CancellationTokenSource(t) : null;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, ambient?.CancellationToken ?? default, timer?.Token ?? default);

        // The error this call ends with once one of its sources fired (null while none has).
        StreamError? LocalError() =>
            cancellationToken.IsCancellationRequested ? StreamErrors.UserCanceled with { Side = StreamSide.Client }
            : timer is { IsCancellationRequested: true } ? StreamErrors.Timeout(timeout)
            : ambient is { CancellationToken.IsCancellationRequested: true } ? Cascade(ambient)
            : null;

        StreamError? WireError() => LocalError() is { } local
            ? local with { CanceledPath = StreamError.AppendPath(ambient is { CancellationToken.IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested && timer is not { IsCancellationRequested: true } ? ambient.CancelReason?.CanceledPath ?? "non-ttstream path" : null, self) }
            : null;

        UnaryHandler terminal = async (call, request, ct) =>
        {
            var payload = PayloadCodec.Encode((TArgs)request);
            var unary = new UnaryRequest(TargetServiceName, method, payload, oneway, Metadata.Copy(call.RequestHeaders), self) { CancellationReason = WireError, Timeout = timeout };
            telemetry?.MessageSent(payload.Length);
            var reply = await Transport.InvokeUnaryAsync(unary, ct).ConfigureAwait(false);
            if (oneway)
            {
                return new TResult();
            }

            telemetry?.MessageReceived(reply.Length);
            return PayloadCodec.Decode<TResult>(reply, StreamSide.Client);
        };
        var handler = Options.UnaryMiddlewares.IsEmpty ? terminal : MiddlewareChain.Build(Options.UnaryMiddlewares, terminal);
        try
        {
            // The caller stops waiting when its call ends, whatever the server's handler does.
            var result = (TResult)await handler(info, args, linked.Token).AsTask().WaitAsync(linked.Token).ConfigureAwait(false);
            telemetry?.EndOk();
            return result;
        }
        catch (Exception e) when (linked.IsCancellationRequested && e is OperationCanceledException or ThriftApplicationException or IStreamXError)
        {
            var error = LocalError()!;
            _logger.LogDebug(StreamXEventIds.ClientUnaryCanceled, "StreamX {Service}.{Method}: {Error}", TargetServiceName, method, error.Text);
            var exception = error.Category == StreamErrorCategory.Canceled
                ? error.ToException(cancellationToken.IsCancellationRequested ? cancellationToken : ambient!.CancellationToken)
                : error.ToException();
            telemetry?.EndLocally(error, exception);
            throw exception;
        }
        catch (Exception e) when (telemetry is not null)
        {
            telemetry.EndFailed(e);
            throw;
        }
    }

    private ClientStreamCore Start(string method, StreamingMode mode, CallOptions? options, CancellationToken cancellationToken, out StreamCallInfo info)
    {
        options?.Validate();
        var ambient = ServerCallContext.Current;
        var headers = BuildHeaders(options, ambient);
        var previous = Activity.Current;
        var telemetry = CallTelemetry.StartClient(TargetServiceName, method, mode, Transport.Telemetry, Options.RecordMessageEvents);
        TraceContext.Inject(telemetry?.Activity ?? previous, headers);
        try
        {
            return Open(method, mode, options, cancellationToken, ambient, headers, telemetry, out info);
        }
        finally
        {
            // The span was current while the stream opened (the open captured it, so the transport's own
            // activities are its children); the call outlives this method, and the caller keeps its activity.
            if (telemetry?.Activity is not null)
            {
                Activity.Current = previous;
            }
        }
    }

    private ClientStreamCore Open(string method, StreamingMode mode, CallOptions? options, CancellationToken cancellationToken, ServerCallContext? ambient, Dictionary<string, string> headers, CallTelemetry? telemetry, out StreamCallInfo info)
    {
        info = new StreamCallInfo(TargetServiceName, method, mode, StreamSide.Client, headers);
        var timeout = options?.Timeout ?? Options.Timeout;
        var settings = new ClientStreamSettings(TargetServiceName, method, mode, CallerName(ambient), headers.AsReadOnly()) { Timeout = timeout };
        var core = new ClientStreamCore(settings, Options.ReceiveBufferCapacity, options?.RecvTimeout ?? Options.RecvTimeout, telemetry);
        var self = settings.CallerServiceName;

        // One cancellation owner: whichever source fires first decides the error and the reset.
        if (cancellationToken.CanBeCanceled)
        {
            var userToken = cancellationToken;
            core.Track(userToken.UnsafeRegister(_ => OnUserCanceled(core, userToken, ambient, self), null));
        }

        if (ambient is not null && ambient.CancellationToken != cancellationToken && ambient.CancellationToken.CanBeCanceled)
        {
            core.Track(ambient.CancellationToken.UnsafeRegister(_ => OnAmbientCanceled(core, ambient, self), null));
        }

        if (timeout is { } deadline)
        {
            core.Track(new Timer(_ => OnTimeout(core, deadline, self), null, deadline, Timeout.InfiniteTimeSpan));
        }

        if (core.IsFinished)
        {
            return core; // canceled before it started: never opened, nothing sent
        }

        var localInfo = info;
        var middlewares = Options.StreamMiddlewares;
        core.BeginOpen(
            async (c, ct) =>
            {
                if (middlewares.IsEmpty)
                {
                    return await Transport.OpenStreamAsync(c, ct).ConfigureAwait(false);
                }

                // The middleware chain wraps the open itself: code after `await next(call)` runs with the
                // stream open, and a middleware that throws instead of calling next stops it.
                StreamWire? wire = null;
                var chain = MiddlewareChain.Build(middlewares, async _ => wire = await Transport.OpenStreamAsync(c, ct).ConfigureAwait(false));
                await chain(localInfo).ConfigureAwait(false);
                return wire ?? throw new InvalidOperationException($"a stream middleware returned without opening {TargetServiceName}.{method} (throw to refuse a call)");
            },
            CancellationToken.None);
        return core;
    }

    private void OnUserCanceled(ClientStreamCore core, CancellationToken userToken, ServerCallContext? ambient, string? self)
    {
        // A handler that passes its own token explicitly cascades exactly like one that passes nothing.
        if (ambient is { CancellationToken.IsCancellationRequested: true, CancelReason: not null })
        {
            var local = Cascade(ambient);
            core.Abort(local, local with { CanceledPath = StreamError.AppendPath(ambient.CancelReason!.CanceledPath, self) }, local.ToException(userToken));
            return;
        }

        var error = StreamErrors.UserCanceled with { Side = StreamSide.Client };
        _logger.LogDebug(StreamXEventIds.ClientCanceledByCaller, "StreamX {Service}.{Method}: canceled by the caller", core.Settings.ServiceName, core.Settings.MethodName);
        core.Abort(error, error with { CanceledPath = StreamError.AppendPath(null, self) }, error.ToException(userToken));
    }

    private void OnAmbientCanceled(ClientStreamCore core, ServerCallContext ambient, string? self)
    {
        var local = Cascade(ambient);
        _logger.LogDebug(StreamXEventIds.ClientCanceledWithServerCall, "StreamX {Service}.{Method}: canceled with its server call ({Reason})", core.Settings.ServiceName, core.Settings.MethodName, local.Text);
        core.Abort(local, local with { CanceledPath = StreamError.AppendPath(ambient.CancelReason?.CanceledPath ?? (ambient.CancelReason is null ? "non-ttstream path" : null), self) }, local.ToException(ambient.CancellationToken));
    }

    private void OnTimeout(ClientStreamCore core, TimeSpan deadline, string? self)
    {
        var error = StreamErrors.Timeout(deadline);
        _logger.LogDebug(StreamXEventIds.ClientStreamTimeout, "StreamX {Service}.{Method}: {Error}", core.Settings.ServiceName, core.Settings.MethodName, error.Text);
        core.Abort(error, error with { CanceledPath = StreamError.AppendPath(null, self) }, null);
    }

    /// <summary>
    /// The error of an outbound call canceled by its server call (spec §4.3 parseCtxErr): a copy of
    /// the server call's reason on the client side, keeping code, cause and path; 12011 when the
    /// reason is unknown.
    /// </summary>
    private static StreamError Cascade(ServerCallContext ambient) => ambient.CancelReason is { } reason
        ? reason with { Side = StreamSide.Client }
        : StreamErrors.InternalCanceled with { Side = StreamSide.Client, Cause = new OperationCanceledException("the server call's token was canceled") };

    private Dictionary<string, string> BuildHeaders(CallOptions? options, ServerCallContext? ambient)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ambient is not null)
        {
            // Persistent metainfo crosses every hop; transient metainfo stops at the next one.
            foreach (var (k, v) in ambient.RequestHeaders)
            {
                if (k.StartsWith(Metadata.PersistentPrefix, StringComparison.Ordinal))
                {
                    headers[k] = v;
                }
            }
        }

        if (options?.PersistentMetainfo is { } persistent)
        {
            foreach (var (k, v) in persistent)
            {
                headers[Metadata.PersistentPrefix + k] = v;
            }
        }

        if (options?.TransientMetainfo is { } transient)
        {
            foreach (var (k, v) in transient)
            {
                headers[Metadata.TransientPrefix + k] = v;
            }
        }

        if (options?.Headers is { } extra)
        {
            foreach (var (k, v) in extra)
            {
                headers[k] = v;
            }
        }

        return headers;
    }
}
