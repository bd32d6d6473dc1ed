using Microsoft.Extensions.Logging;

namespace StreamX.Diagnostics;

/// <summary>
/// The stable event ids of every StreamX log entry (docs/observability.md lists them with their
/// levels): filter or route on <see cref="EventId.Id"/>, never on the text. Client entries are
/// 1xxx (category <c>StreamX.Client</c>), server entries 2xxx (<c>StreamX.Server</c>), transport
/// entries 3xxx. Cancellations are logged at Debug: they are not faults.
/// </summary>
public static class StreamXEventIds
{
    /// <summary>1001 (Debug): a client stream was canceled by its caller's token.</summary>
    public static readonly EventId ClientCanceledByCaller = new(1001, nameof(ClientCanceledByCaller));

    /// <summary>1002 (Debug): a client stream made inside a handler was canceled with that handler's call (cascade).</summary>
    public static readonly EventId ClientCanceledWithServerCall = new(1002, nameof(ClientCanceledWithServerCall));

    /// <summary>1003 (Debug): a client stream's deadline passed (12015).</summary>
    public static readonly EventId ClientStreamTimeout = new(1003, nameof(ClientStreamTimeout));

    /// <summary>1004 (Debug): a unary call ended by its token, its deadline or its server call.</summary>
    public static readonly EventId ClientUnaryCanceled = new(1004, nameof(ClientUnaryCanceled));

    /// <summary>2001 (Debug): a handler ended because its call was canceled.</summary>
    public static readonly EventId HandlerCanceled = new(2001, nameof(HandlerCanceled));

    /// <summary>2002 (Debug): a handler ended with a business status (<see cref="BizStatusException"/>).</summary>
    public static readonly EventId HandlerBusinessStatus = new(2002, nameof(HandlerBusinessStatus));

    /// <summary>2003 (Warning): a handler failed; the client gets the exception (12001).</summary>
    public static readonly EventId HandlerFailed = new(2003, nameof(HandlerFailed));

    /// <summary>2004 (Warning): a handler's response header or trailer could not be encoded; the client was sent an error instead.</summary>
    public static readonly EventId FrameNotEncodable = new(2004, nameof(FrameNotEncodable));

    /// <summary>2005 (Warning): a server stop was cut short by its token while handlers were still running.</summary>
    public static readonly EventId StopCutShort = new(2005, nameof(StopCutShort));

    /// <summary>2006 (Warning): handlers were still running when a server stop's grace period ran out.</summary>
    public static readonly EventId StopGracePeriodExceeded = new(2006, nameof(StopGracePeriodExceeded));

    /// <summary>3001 (Information): a TTHeader endpoint without TLS closed a connection that started a TLS handshake.</summary>
    public static readonly EventId ConnectionUnexpectedTls = new(3001, nameof(ConnectionUnexpectedTls));

    /// <summary>3002 (Debug): a TTHeader endpoint closed a connection that spoke none of its protocols.</summary>
    public static readonly EventId ConnectionProtocolUnknown = new(3002, nameof(ConnectionProtocolUnknown));

    /// <summary>3003 (Debug): a TTHeader endpoint closed a connection that did not send enough to tell its protocol in time.</summary>
    public static readonly EventId ConnectionProtocolDetectionTimeout = new(3003, nameof(ConnectionProtocolDetectionTimeout));
}
