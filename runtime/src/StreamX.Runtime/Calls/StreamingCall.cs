using System.Runtime.CompilerServices;
using StreamX.Thrift;
using StreamX.Transport;

namespace StreamX;

/// <summary>
/// What every streaming call has: response headers and trailers, and disposal. Disposing a call
/// that has not ended resets it (the server's token fires); disposing an ended call is a no-op.
/// No finalizer: an abandoned, undisposed call is ended by its token, deadline or the connection.
/// </summary>
public abstract class StreamingCall : IAsyncDisposable
{
    private protected StreamingCall(ClientStreamCore core, StreamCallInfo info, StreamXClientOptions options)
    {
        Core = core;
        Info = info;
        Options = options;
    }

    /// <summary>The IDL method.</summary>
    public string MethodName => Info.MethodName;

    private protected ClientStreamCore Core { get; }

    private protected StreamCallInfo Info { get; }

    private protected StreamXClientOptions Options { get; }

    /// <summary>The server's response headers (empty if the stream ended without any).</summary>
    public Task<IReadOnlyDictionary<string, string>> GetHeadersAsync(CancellationToken cancellationToken = default) => Core.GetHeadersAsync(cancellationToken);

    /// <summary>The server's trailers, once the stream has ended with a Trailer; null after a reset or local end.</summary>
    public Task<IReadOnlyDictionary<string, string>?> GetTrailersAsync(CancellationToken cancellationToken = default) => Core.GetTrailersAsync(cancellationToken);

    /// <summary>Resets the call if it has not ended (the server sees a cancel with this client's path).</summary>
    public ValueTask DisposeAsync()
    {
        if (!Core.IsFinished)
        {
            var error = StreamErrors.UserCanceled with { Side = StreamSide.Client };
            Core.Abort(error, error with { CanceledPath = StreamError.AppendPath(null, Core.Settings.CallerServiceName) }, new ObjectDisposedException($"{Info.ServiceName}.{Info.MethodName}", "the call was disposed"));
        }

        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Resets the call as a cancellation by <paramref name="token"/>'s owner.</summary>
    private protected void Cancel(CancellationToken token)
    {
        var error = StreamErrors.UserCanceled with { Side = StreamSide.Client };
        Core.Abort(error, error with { CanceledPath = StreamError.AppendPath(null, Core.Settings.CallerServiceName) }, error.ToException(token));
    }

    /// <summary>The send path through the middleware chain (always a handler, even with no middleware).</summary>
    internal static SendHandler SendHandlerFor<TRequest>(ClientStreamCore core, StreamXClientOptions options)
        where TRequest : class, IThriftStruct<TRequest> =>
        SendChainFor<TRequest>(core, options) ?? SendTerminal<TRequest>(core);

    /// <summary>The send middleware chain, or null when there is none (the call then sends directly).</summary>
    private protected static SendHandler? SendChainFor<TRequest>(ClientStreamCore core, StreamXClientOptions options)
        where TRequest : class, IThriftStruct<TRequest> =>
        options.SendMiddlewares.IsEmpty
            ? null
            : MiddlewareChain.Build(options.SendMiddlewares, SendTerminal<TRequest>(core));

    /// <summary>Encodes and sends: what the send middleware chain ends in.</summary>
    private static SendHandler SendTerminal<TRequest>(ClientStreamCore core)
        where TRequest : class, IThriftStruct<TRequest> =>
        (_, message, ct) => core.SendAsync(PayloadCodec.Encode((TRequest)message), ct);

    /// <summary>The receive middleware chain, or null when there is none (the call then receives directly).</summary>
    private protected static RecvHandler? RecvChainFor<TResponse>(ClientStreamCore core, StreamXClientOptions options)
        where TResponse : class, IThriftStruct<TResponse> =>
        options.RecvMiddlewares.IsEmpty
            ? null
            : MiddlewareChain.Build(options.RecvMiddlewares, async (_, ct) => await RecvDirectAsync<TResponse>(core, ct).ConfigureAwait(false));

    /// <summary>
    /// Receives and decodes: what the middleware chain ends in, and with no middleware the whole receive (no async
    /// layer of its own, and no round trip through <see cref="object"/>). The core's typed receive is pooled, as the
    /// ValueTasks of .NET's own I/O (PipeReader.ReadAsync, Socket.ReceiveAsync): await it once, as any ValueTask.
    /// </summary>
    private protected static ValueTask<TResponse?> RecvDirectAsync<TResponse>(ClientStreamCore core, CancellationToken cancellationToken)
        where TResponse : class, IThriftStruct<TResponse> =>
        core.RecvAsync<TResponse>(cancellationToken);

    /// <summary>Sends one message, through the middleware chain <paramref name="send"/> when there is one.</summary>
    private protected ValueTask Send<TRequest>(SendHandler? send, TRequest message, CancellationToken cancellationToken)
        where TRequest : class, IThriftStruct<TRequest>
    {
        ArgumentNullException.ThrowIfNull(message);
        return send is null ? Core.SendAsync(PayloadCodec.Encode(message), cancellationToken) : send(Info, message, cancellationToken);
    }

    /// <summary>Receives one message, through the middleware chain <paramref name="recv"/> when there is one.</summary>
    private protected ValueTask<TResponse?> Recv<TResponse>(RecvHandler? recv, CancellationToken cancellationToken)
        where TResponse : class, IThriftStruct<TResponse> =>
        recv is null ? RecvDirectAsync<TResponse>(Core, cancellationToken) : RecvThroughAsync<TResponse>(recv, cancellationToken);

    private async ValueTask<TResponse?> RecvThroughAsync<TResponse>(RecvHandler recv, CancellationToken cancellationToken)
        where TResponse : class, IThriftStruct<TResponse> =>
        (TResponse?)await recv(Info, cancellationToken).ConfigureAwait(false);
}

/// <summary>A call that receives <typeparamref name="TResponse"/> messages.</summary>
/// <typeparam name="TResponse">The response struct.</typeparam>
public abstract class ReceivingCall<TResponse> : StreamingCall, IAsyncEnumerable<TResponse>
    where TResponse : class, IThriftStruct<TResponse>
{
    private readonly RecvHandler? _recv;

    private protected ReceivingCall(ClientStreamCore core, StreamCallInfo info, StreamXClientOptions options)
        : base(core, info, options)
    {
        _recv = RecvChainFor<TResponse>(core, options);
    }

    /// <summary>
    /// The next message, or null at the end of the stream (not an exception). A canceled
    /// <paramref name="cancellationToken"/> abandons only this wait: the stream stays healthy and no
    /// message is lost. The call's own token (given when it was started) ends the whole stream.
    /// Await the result once (it may come from a pool, as <c>PipeReader.ReadAsync</c>'s does).
    /// </summary>
    public ValueTask<TResponse?> RecvAsync(CancellationToken cancellationToken = default) => Recv<TResponse>(_recv, cancellationToken);

    /// <summary>Every message until the end; errors are thrown after the messages received before them.</summary>
    public async IAsyncEnumerable<TResponse> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await RecvAsync(cancellationToken).ConfigureAwait(false) is { } message)
        {
            yield return message;
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerator<TResponse> GetAsyncEnumerator(CancellationToken cancellationToken = default) => ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
}

/// <summary>
/// A server-streaming call: the request was sent when the call started; read responses with
/// <c>await foreach</c> or <see cref="ReceivingCall{TResponse}.RecvAsync"/>.
/// </summary>
/// <typeparam name="TResponse">The response struct.</typeparam>
public sealed class ServerStreamingCall<TResponse> : ReceivingCall<TResponse>
    where TResponse : class, IThriftStruct<TResponse>
{
    internal ServerStreamingCall(ClientStreamCore core, StreamCallInfo info, StreamXClientOptions options)
        : base(core, info, options)
    {
    }

    internal void SendRequest(SendHandler send, object request) => _ = SendRequestAsync(send, request);

    private async Task SendRequestAsync(SendHandler send, object request)
    {
        try
        {
            await send(Info, request, CancellationToken.None).ConfigureAwait(false);
            await Core.CloseSendAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The stream ended first (canceled, reset, connection lost): receives report why.
        }
    }
}

/// <summary>A client-streaming call: send requests, then <see cref="CloseAndRecvAsync"/> for the one response.</summary>
/// <typeparam name="TRequest">The request struct.</typeparam>
/// <typeparam name="TResponse">The response struct.</typeparam>
public sealed class ClientStreamingCall<TRequest, TResponse> : StreamingCall
    where TRequest : class, IThriftStruct<TRequest>
    where TResponse : class, IThriftStruct<TResponse>
{
    private readonly SendHandler? _send;
    private readonly RecvHandler? _recv;

    internal ClientStreamingCall(ClientStreamCore core, StreamCallInfo info, StreamXClientOptions options)
        : base(core, info, options)
    {
        _send = SendChainFor<TRequest>(core, options);
        _recv = RecvChainFor<TResponse>(core, options);
    }

    /// <summary>Sends one request. Concurrent sends are safe and keep their order. After <see cref="CloseAndRecvAsync"/>: 12005.</summary>
    public ValueTask SendAsync(TRequest message, CancellationToken cancellationToken = default) => Send(_send, message, cancellationToken);

    /// <summary>Half-closes and returns the server's response.</summary>
    /// <exception cref="StreamXException">The stream ended without a response (12001 from the server, or 12004 when no message came).</exception>
    public async Task<TResponse> CloseAndRecvAsync(CancellationToken cancellationToken = default)
    {
        await Core.CloseSendAsync(cancellationToken).ConfigureAwait(false);
        var response = await Recv<TResponse>(_recv, cancellationToken).ConfigureAwait(false)
            ?? throw new StreamXException(StreamErrors.IllegalFrame with
            {
                Side = StreamSide.Client,
                Cause = new InvalidOperationException($"{Info.ServiceName}.{Info.MethodName}: the stream ended without a response"),
            });

        // The caller has the call's result: for traces and metrics the call succeeded, whether the caller
        // then waits for the trailer or disposes the call at once (which resets a stream not yet ended).
        Core.ResultReceived();
        return response;
    }
}

/// <summary>A bidirectional call: send and receive independently, half-close with <see cref="CloseSendAsync"/>.</summary>
/// <typeparam name="TRequest">The request struct.</typeparam>
/// <typeparam name="TResponse">The response struct.</typeparam>
public sealed class BidiStreamingCall<TRequest, TResponse> : ReceivingCall<TResponse>
    where TRequest : class, IThriftStruct<TRequest>
    where TResponse : class, IThriftStruct<TResponse>
{
    private readonly SendHandler? _send;

    internal BidiStreamingCall(ClientStreamCore core, StreamCallInfo info, StreamXClientOptions options)
        : base(core, info, options)
    {
        _send = SendChainFor<TRequest>(core, options);
    }

    /// <summary>Sends one request. Concurrent sends are safe and keep their order. After <see cref="CloseSendAsync"/>: 12005.</summary>
    public ValueTask SendAsync(TRequest message, CancellationToken cancellationToken = default) => Send(_send, message, cancellationToken);

    /// <summary>Half-closes: the server's reader ends after the messages already sent. Idempotent.</summary>
    public ValueTask CloseSendAsync(CancellationToken cancellationToken = default) => Core.CloseSendAsync(cancellationToken);

    /// <summary>
    /// Runs a send loop and a receive loop together (Go's errgroup + context.AfterFunc): when either
    /// fails, the call is reset so the other stops, and the first error is thrown. The send loop
    /// should end by calling <see cref="CloseSendAsync"/>; the receive loop by reading to the end.
    /// </summary>
    public async Task RunAsync(Func<BidiStreamingCall<TRequest, TResponse>, CancellationToken, Task> sendLoop, Func<BidiStreamingCall<TRequest, TResponse>, CancellationToken, Task> receiveLoop, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sendLoop);
        ArgumentNullException.ThrowIfNull(receiveLoop);
        using var group = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? first = null;

        async Task Run(Func<BidiStreamingCall<TRequest, TResponse>, CancellationToken, Task> loop)
        {
            try
            {
                await loop(this, group.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                if (Interlocked.CompareExchange(ref first, e, null) is null)
                {
                    // Cancel the call (the server sees a cancel) so the other loop stops with an
                    // OperationCanceledException for the group's token.
                    await group.CancelAsync().ConfigureAwait(false);
                    Cancel(group.Token);
                }
            }
        }

        await Task.WhenAll(Run(sendLoop), Run(receiveLoop)).ConfigureAwait(false);
        if (first is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
    }
}
