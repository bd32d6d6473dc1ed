using System.Diagnostics;
using System.Globalization;
using System.Net;
using StreamX.Transport;
using static StreamX.Diagnostics.Telemetry.Names;

namespace StreamX.Diagnostics;

/// <summary>
/// The telemetry of one call on one side: its span (when the <c>StreamX</c> source has listeners), its
/// metric tags, its start time and its message counters. Created only when something listens
/// (<see cref="StartClient"/> and <see cref="StartServer"/> return null otherwise), so a call that
/// nobody observes allocates nothing for it; per-message hooks then cost a null check.
/// </summary>
/// <remarks>
/// Ends exactly once, from whichever flow ends the call (a transport's read loop, a timer, the
/// handler): the first <c>End…</c> wins. Outcomes (docs/observability.md): a normal end leaves the span's
/// status unset; a business status is not an error (as in Kitex); a cancellation the call's own side
/// asked for (the caller's token, its server call, a client's reset seen by the server) is not an error
/// either and is recorded as <c>streamx.canceled</c> with its code and path; anything else is an error.
/// </remarks>
internal sealed class CallTelemetry
{
    private readonly Telemetry.SideInstruments _instruments;
    private readonly KeyValuePair<string, object?>[] _tags;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly bool _messageEvents;
    private readonly bool _countedActive;
    private int _sentIds;
    private int _receivedIds;
    private int _ended;
    private Exception? _handlerFailure;
    private StreamError? _canceledBy;

    private CallTelemetry(Telemetry.SideInstruments instruments, KeyValuePair<string, object?>[] tags, Activity? activity, bool messageEvents)
    {
        _instruments = instruments;
        _tags = tags;
        Activity = activity;
        _messageEvents = messageEvents;
        if (instruments.Started.Enabled)
        {
            instruments.Started.Add(1, tags);
        }

        if (instruments.Active.Enabled)
        {
            instruments.Active.Add(1, tags);
            _countedActive = true;
        }
    }

    private enum Outcome
    {
        Ok,
        BusinessStatus,
        Canceled,
        Failed,
    }

    /// <summary>The call's span, or null when the source has no listener or the sampler dropped it.</summary>
    public Activity? Activity { get; }

    /// <summary>
    /// Starts a client call's telemetry, or returns null when nobody listens. The span (a child of
    /// <see cref="Activity.Current"/>) becomes current: a caller whose call outlives its own frame restores
    /// the previous activity.
    /// </summary>
    public static CallTelemetry? StartClient(string service, string method, StreamingMode mode, TransportTelemetry transport, bool messageEvents)
    {
        var instruments = Telemetry.Client;
        var tracing = Telemetry.Source.HasListeners();
        if (!tracing && !instruments.AnyEnabled)
        {
            return null;
        }

        var fullName = service + "/" + method;
        var tags = BuildTags(service, fullName, mode, transport, withServer: true);
        var activity = tracing ? Telemetry.Source.StartActivity(fullName, ActivityKind.Client, default(ActivityContext), tags) : null;
        if (activity is { IsAllDataRequested: true })
        {
            AddSpanAttributes(activity, transport, withServer: false, peer: null);
        }

        return new CallTelemetry(instruments, tags, activity, messageEvents);
    }

    /// <summary>
    /// Starts a handled call's telemetry, or returns null when nobody listens. The span's parent is the
    /// trace context the client sent (W3C or Kitex metainfo), or <see cref="Activity.Current"/> when it sent
    /// none or when the current activity (an HTTP server span for this request) is already in its trace.
    /// The span becomes current for the rest of the caller's flow (the handler's).
    /// </summary>
    public static CallTelemetry? StartServer(string service, string method, StreamingMode mode, TransportTelemetry transport, IReadOnlyDictionary<string, string> headers, string? peer, bool messageEvents)
    {
        var instruments = Telemetry.Server;
        var tracing = Telemetry.Source.HasListeners();
        if (!tracing && !instruments.AnyEnabled)
        {
            return null;
        }

        var fullName = service + "/" + method;
        var tags = BuildTags(service, fullName, mode, transport, withServer: false);
        var activity = tracing ? StartServerActivity(fullName, headers, tags) : null;
        if (activity is { IsAllDataRequested: true })
        {
            AddSpanAttributes(activity, transport, withServer: true, peer);
        }

        return new CallTelemetry(instruments, tags, activity, messageEvents);
    }

    /// <summary>
    /// Records a call to a service or method this server does not serve, which it answered at once with
    /// <paramref name="unknown"/>: a failed server span and call named <c>_OTHER</c> (OpenTelemetry's value for a method
    /// the server does not recognise, keeping metrics' cardinality bounded whatever clients send), with the name the
    /// client asked for in <c>rpc.method_original</c> on the span. <c>rpc.service</c> is set only when the server serves
    /// that service (<paramref name="serviceKnown"/>), so it stays bounded too. Nothing when nobody listens.
    /// </summary>
    public static void RecordUnknownServerCall(string service, string method, bool serviceKnown, TransportTelemetry transport, IReadOnlyDictionary<string, string> headers, string? peer, Exception unknown)
    {
        var instruments = Telemetry.Server;
        var tracing = Telemetry.Source.HasListeners();
        if (!tracing && !instruments.AnyEnabled)
        {
            return;
        }

        KeyValuePair<string, object?>[] tags = serviceKnown
            ? [new(RpcSystemName, Telemetry.SystemName), new(RpcService, service), new(RpcMethod, OtherMethod), new(StreamXTransport, transport.Name)]
            : [new(RpcSystemName, Telemetry.SystemName), new(RpcMethod, OtherMethod), new(StreamXTransport, transport.Name)];
        var current = Activity.Current;
        var activity = tracing ? StartServerActivity(OtherMethod, headers, tags) : null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(RpcMethodOriginal, service + "/" + method);
            AddSpanAttributes(activity, transport, withServer: true, peer);
        }

        new CallTelemetry(instruments, tags, activity, messageEvents: false).EndHandler(unknown, null);
        Activity.Current = current;
    }

    /// <summary>One message sent (its payload size in bytes).</summary>
    public void MessageSent(int size)
    {
        var counter = _instruments.MessagesSent;
        if (counter.Enabled)
        {
            counter.Add(1, _tags);
        }

        if (_messageEvents)
        {
            AddMessageEvent("SENT", ref _sentIds, size);
        }
    }

    /// <summary>One message received (its payload size in bytes).</summary>
    public void MessageReceived(int size)
    {
        var counter = _instruments.MessagesReceived;
        if (counter.Enabled)
        {
            counter.Add(1, _tags);
        }

        if (_messageEvents)
        {
            AddMessageEvent("RECEIVED", ref _receivedIds, size);
        }
    }

    /// <summary>The call ended normally.</summary>
    public void EndOk() => Finish(Outcome.Ok, null, null, 0);

    /// <summary>
    /// A client call ended as the peer decided: null or a business status is a normal end, anything
    /// else (an application exception in the trailer, a reset, a lost connection) an error.
    /// </summary>
    public void EndRemotely(Exception? end)
    {
        switch (end)
        {
            case null:
                Finish(Outcome.Ok, null, null, 0);
                break;
            case BizStatusException biz:
                Finish(Outcome.BusinessStatus, null, null, biz.StatusCode);
                break;
            default:
                Finish(Outcome.Failed, (end as IStreamXError)?.Error, end, 0);
                break;
        }
    }

    /// <summary>
    /// A client call ended on this side: its own cancellation (the caller's token, disposal, its server
    /// call) is not an error; a deadline or a receive timeout is.
    /// </summary>
    public void EndLocally(StreamError error, Exception? exception) =>
        Finish(error.Category == StreamErrorCategory.Canceled ? Outcome.Canceled : Outcome.Failed, error, exception, 0);

    /// <summary>A client call failed before or outside the stream (a middleware, the transport) with <paramref name="exception"/>.</summary>
    public void EndFailed(Exception exception) =>
        Finish(exception is BizStatusException ? Outcome.BusinessStatus : Outcome.Failed, (exception as IStreamXError)?.Error, exception, (exception as BizStatusException)?.StatusCode ?? 0);

    /// <summary>
    /// A handler's call ended. <paramref name="canceledBy"/> is why the call was canceled while the handler
    /// ran (a reset from the client, the connection, the server stopping, a deadline), or null: a
    /// cancellation is recorded as such whatever the handler then did; otherwise what the handler threw is
    /// an error (12001, the code the client is told, unless it threw a StreamX error of its own).
    /// </summary>
    public void EndHandler(Exception? failure, StreamError? canceledBy)
    {
        if (failure is BizStatusException biz)
        {
            Finish(Outcome.BusinessStatus, null, null, biz.StatusCode);
        }
        else if (canceledBy is not null)
        {
            Finish(canceledBy.Category == StreamErrorCategory.Canceled ? Outcome.Canceled : Outcome.Failed, canceledBy, null, 0);
        }
        else if (failure is not null)
        {
            var error = failure is IStreamXError x ? x.Error : StreamErrors.ApplicationException with { Side = StreamSide.Server, Cause = failure };
            Finish(Outcome.Failed, error, failure, 0);
        }
        else
        {
            Finish(Outcome.Ok, null, null, 0);
        }
    }

    /// <summary>Records how a streaming handler ended, for <see cref="EndHandler()"/> once its Trailer is written.</summary>
    public void HandlerReturned(Exception? failure, StreamError? canceledBy)
    {
        _handlerFailure = failure;
        _canceledBy = canceledBy;
    }

    /// <summary>Ends a streaming handler's call as <see cref="HandlerReturned"/> recorded.</summary>
    public void EndHandler() => EndHandler(_handlerFailure, _canceledBy);

    private void Finish(Outcome outcome, StreamError? error, Exception? exception, int bizCode)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        var instruments = _instruments;
        if (_countedActive)
        {
            instruments.Active.Add(-1, _tags);
        }

        var errorType = outcome != Outcome.Failed ? null
            : error is not null ? error.Code.ToString(CultureInfo.InvariantCulture)
            : exception?.GetType().FullName ?? "_OTHER";
        if (instruments.Duration.Enabled)
        {
            var tags = new TagList(_tags);
            if (error is not null && outcome is Outcome.Canceled or Outcome.Failed)
            {
                tags.Add(ErrorCode, error.Code);
            }

            if (errorType is not null)
            {
                tags.Add(ErrorType, errorType);
            }

            instruments.Duration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, in tags);
        }

        if (Activity is not { } activity)
        {
            return;
        }

        if (activity.IsAllDataRequested)
        {
            Describe(activity, outcome, error, exception, errorType, bizCode);
        }

        // Activity.Stop makes the span's parent current in whatever flow ends the call (a transport's read
        // loop, a timer, a handler): that flow keeps the activity it had.
        var current = Activity.Current;
        activity.Stop();
        if (!ReferenceEquals(current, activity))
        {
            Activity.Current = current;
        }
    }

    private static void Describe(Activity activity, Outcome outcome, StreamError? error, Exception? exception, string? errorType, int bizCode)
    {
        switch (outcome)
        {
            case Outcome.BusinessStatus:
                activity.SetTag(BizStatusCode, bizCode);
                break;
            case Outcome.Canceled:
                activity.SetTag(Canceled, true);
                activity.SetTag(ErrorCode, error!.Code);
                if (!string.IsNullOrEmpty(error.CanceledPath))
                {
                    activity.SetTag(CanceledPath, error.CanceledPath);
                }

                activity.AddEvent(new ActivityEvent(CanceledEvent, tags: new ActivityTagsCollection
                {
                    { ErrorCode, error.Code },
                    { ErrorMessage, error.Text },
                }));
                break;
            case Outcome.Failed:
                activity.SetStatus(ActivityStatusCode.Error, error?.Text ?? exception?.Message);
                activity.SetTag(ErrorType, errorType);
                if (error is not null)
                {
                    activity.SetTag(ErrorCode, error.Code);
                    if (!string.IsNullOrEmpty(error.CanceledPath))
                    {
                        activity.SetTag(CanceledPath, error.CanceledPath);
                    }
                }

                if (exception is not null)
                {
                    activity.AddException(exception);
                }

                break;
        }
    }

    private void AddMessageEvent(string type, ref int ids, int size)
    {
        var id = Interlocked.Increment(ref ids);
        if (Activity is { IsAllDataRequested: true } activity && Volatile.Read(ref _ended) == 0)
        {
            activity.AddEvent(new ActivityEvent(MessageEvent, tags: new ActivityTagsCollection
            {
                { MessageType, type },
                { MessageId, id },
                { MessageSize, size },
            }));
        }
    }

    private static Activity? StartServerActivity(string name, IReadOnlyDictionary<string, string> headers, KeyValuePair<string, object?>[] tags)
    {
        Activity? activity;
        if (!TraceContext.TryExtract(headers, out var traceParent, out var traceState))
        {
            activity = Telemetry.Source.StartActivity(name, ActivityKind.Server, default(ActivityContext), tags);
        }
        else if (ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent))
        {
            // An HTTP server span for this very request (ASP.NET Core's, itself the client's child) is the closer parent.
            activity = Activity.Current is { } current && current.TraceId == parent.TraceId
                ? Telemetry.Source.StartActivity(name, ActivityKind.Server, default(ActivityContext), tags)
                : Telemetry.Source.StartActivity(name, ActivityKind.Server, parent, tags);
        }
        else
        {
            // Not W3C (a hierarchical Request-Id from an older propagator): the id is the parent as it is.
            activity = Telemetry.Source.StartActivity(name, ActivityKind.Server, traceParent, tags);
            if (activity is not null && traceState is not null)
            {
                activity.TraceStateString = traceState;
            }
        }

        if (activity is not null && TraceContext.ExtractBaggage(headers) is { } baggage)
        {
            foreach (var (key, value) in baggage)
            {
                activity.AddBaggage(key, value);
            }
        }

        return activity;
    }

    private static KeyValuePair<string, object?>[] BuildTags(string service, string fullName, StreamingMode mode, TransportTelemetry transport, bool withServer)
    {
        var count = 5;
        if (withServer && transport.ServerAddress is not null)
        {
            count += transport.ServerPort is null ? 1 : 2;
        }

        var tags = new KeyValuePair<string, object?>[count];
        tags[0] = new(RpcSystemName, Telemetry.SystemName);
        tags[1] = new(RpcService, service);
        tags[2] = new(RpcMethod, fullName);
        tags[3] = new(StreamXStreamingMode, Telemetry.ModeName(mode));
        tags[4] = new(StreamXTransport, transport.Name);
        if (count > 5)
        {
            tags[5] = new(ServerAddress, transport.ServerAddress);
        }

        if (count > 6)
        {
            tags[6] = new(ServerPort, transport.ServerPort);
        }

        return tags;
    }

    private static void AddSpanAttributes(Activity activity, TransportTelemetry transport, bool withServer, string? peer)
    {
        // The name OpenTelemetry used before rpc.system.name, for backends that still key on it.
        activity.SetTag(RpcSystem, Telemetry.SystemName);
        if (withServer && transport.ServerAddress is not null)
        {
            activity.SetTag(ServerAddress, transport.ServerAddress);
            if (transport.ServerPort is { } port)
            {
                activity.SetTag(ServerPort, port);
            }
        }

        if (transport.NetworkTransport is not null)
        {
            activity.SetTag(NetworkTransport, transport.NetworkTransport);
        }

        if (transport.ProtocolName is not null)
        {
            activity.SetTag(NetworkProtocolName, transport.ProtocolName);
        }

        if (transport.ProtocolVersion is not null)
        {
            activity.SetTag(NetworkProtocolVersion, transport.ProtocolVersion);
        }

        if (peer is not null && IPEndPoint.TryParse(peer, out var endPoint))
        {
            activity.SetTag(NetworkPeerAddress, endPoint.Address.ToString());
            activity.SetTag(NetworkPeerPort, endPoint.Port);
        }
    }
}
