using StreamX.Thrift;

namespace StreamX;

/// <summary>
/// Kitex's ttstream error templates (codes 12001–12015, exact base messages) and the rules that
/// build concrete errors from them (spec §4.3). Copy a template with <c>with</c> or the helpers.
/// </summary>
public static class StreamErrors
{
    /// <summary>12001: the peer's handler failed; the cause is its exception.</summary>
    public static readonly StreamError ApplicationException = new(12001, "application exception", StreamErrorCategory.None);

    /// <summary>12002: a second Header frame.</summary>
    public static readonly StreamError UnexpectedHeader = new(12002, "unexpected header frame", StreamErrorCategory.Protocol);

    /// <summary>12003: a malformed business error in a Trailer.</summary>
    public static readonly StreamError IllegalBizError = new(12003, "illegal biz err", StreamErrorCategory.Protocol);

    /// <summary>12004: a frame that cannot be decoded.</summary>
    public static readonly StreamError IllegalFrame = new(12004, "illegal frame", StreamErrorCategory.Protocol);

    /// <summary>12005: an operation the stream's state forbids (Send after CloseSend).</summary>
    public static readonly StreamError IllegalOperation = new(12005, "illegal operation", StreamErrorCategory.Protocol);

    /// <summary>12006: the connection failed or closed.</summary>
    public static readonly StreamError TransportClosing = new(12006, "transport is closing", StreamErrorCategory.Protocol);

    /// <summary>12007: the caller canceled.</summary>
    public static readonly StreamError UserCanceled = new(12007, "user code invoking stream RPC with context processed by context.WithCancel or context.WithTimeout, then invoking cancel() actively", StreamErrorCategory.Canceled);

    /// <summary>12008: defined by Kitex, never produced.</summary>
    public static readonly StreamError UserCanceledWithCause = new(12008, "user code canceled with cancelCause(error)", StreamErrorCategory.Canceled);

    /// <summary>12009: the client received a reset.</summary>
    public static readonly StreamError CanceledByDownstream = new(12009, "canceled by downstream", StreamErrorCategory.Canceled);

    /// <summary>12010: the server received a reset.</summary>
    public static readonly StreamError CanceledByUpstream = new(12010, "canceled by upstream", StreamErrorCategory.Canceled);

    /// <summary>12011: canceled by something that is not a stream error.</summary>
    public static readonly StreamError InternalCanceled = new(12011, "internal canceled", StreamErrorCategory.Canceled);

    /// <summary>12012: the server handler returned while the stream (or its downstream) was still in use.</summary>
    public static readonly StreamError HandlerReturned = new(12012, "canceled by business handler returning", StreamErrorCategory.Canceled);

    /// <summary>12013: the connection closed under a server stream.</summary>
    public static readonly StreamError ConnectionClosed = new(12013, "canceled by connection closed", StreamErrorCategory.Canceled);

    /// <summary>12014: a receive took longer than its timeout.</summary>
    public static readonly StreamError RecvTimeout = new(12014, "stream Recv timeout", StreamErrorCategory.Timeout);

    /// <summary>12015: the stream's deadline passed.</summary>
    public static readonly StreamError StreamTimeout = new(12015, "stream timeout", StreamErrorCategory.Timeout);

    /// <summary>The cause text of Send after CloseSend.</summary>
    public const string ClosedSendCause = "stream is closed send";

    /// <summary><c>[ttstream error, code=12005] [client-side stream] stream is closed send</c>.</summary>
    public static StreamError SendAfterClose(StreamSide side) =>
        IllegalOperation with { Side = side, Cause = new InvalidOperationException(ClosedSendCause) };

    /// <summary>12015 with Kitex's text: <c>stream timeout, timeout in ctx: 500ms</c>.</summary>
    public static StreamError Timeout(TimeSpan? configured) => StreamTimeout with
    {
        Side = StreamSide.Client,
        Cause = new TimeoutException(configured is { } t
            ? $"stream timeout, timeout in ctx: {GoDuration.Format(t)}"
            : "stream timeout, no explicit timeout set in stream ctx"),
    };

    /// <summary>12014 with Kitex's text: <c>stream Recv timeout, timeout config={Timeout:100ms DisableCancelRemote:false}</c>.</summary>
    public static StreamError ReceiveTimeout(RecvTimeoutConfig config) => RecvTimeout with
    {
        Side = StreamSide.Client,
        CanRetry = config.DisableCancelRemote,
        Cause = new TimeoutException(
            $"stream Recv timeout, timeout config={{Timeout:{GoDuration.Format(config.Timeout)} DisableCancelRemote:{(config.DisableCancelRemote ? "true" : "false")}}}"),
    };

    /// <summary>
    /// The error for a reset received from the peer (spec §4.3): a copy of 12009 (client) or 12010
    /// (server) with the path from the frame, the remote exception as cause, and the remote code.
    /// A missing payload counts as exception (13, <c>rst</c>).
    /// </summary>
    public static StreamError FromReset(StreamSide receiver, ThriftApplicationException? remote, string? canceledPath)
    {
        remote ??= new ThriftApplicationException(13, "rst");
        var template = receiver == StreamSide.Client ? CanceledByDownstream : CanceledByUpstream;
        return template with
        {
            Side = receiver,
            CanceledPath = string.IsNullOrEmpty(canceledPath) ? null : canceledPath,
            Cause = remote,
            Code = remote.Type,
        };
    }

    /// <summary>12001 for a Trailer that carries an exception: the code stays 12001, the text is the remote message.</summary>
    public static StreamError FromTrailerException(StreamSide receiver, ThriftApplicationException remote) =>
        ApplicationException with { Side = receiver, Cause = remote };
}
