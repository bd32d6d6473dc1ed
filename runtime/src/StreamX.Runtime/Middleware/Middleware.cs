namespace StreamX;

/// <summary>The innermost action of a stream: open it (client) or run the handler (server).</summary>
public delegate ValueTask StreamHandler(StreamCallInfo call);

/// <summary>Wraps stream creation (client) or the handler (server). First registered runs outermost.</summary>
public delegate StreamHandler StreamMiddleware(StreamHandler next);

/// <summary>Sends one message.</summary>
public delegate ValueTask SendHandler(StreamCallInfo call, object message, CancellationToken cancellationToken);

/// <summary>Wraps every send. First registered runs outermost.</summary>
public delegate SendHandler SendMiddleware(SendHandler next);

/// <summary>Receives one message (null at the end of the stream).</summary>
public delegate ValueTask<object?> RecvHandler(StreamCallInfo call, CancellationToken cancellationToken);

/// <summary>Wraps every receive. First registered runs outermost.</summary>
public delegate RecvHandler RecvMiddleware(RecvHandler next);

/// <summary>Performs one unary call (client) or runs one unary handler (server); request and response are the method's argument and result structs.</summary>
public delegate ValueTask<object> UnaryHandler(StreamCallInfo call, object request, CancellationToken cancellationToken);

/// <summary>Wraps unary calls. First registered runs outermost.</summary>
public delegate UnaryHandler UnaryMiddleware(UnaryHandler next);

/// <summary>What middleware sees of a call.</summary>
public sealed class StreamCallInfo
{
    internal StreamCallInfo(string serviceName, string methodName, StreamingMode mode, StreamSide side, IDictionary<string, string> requestHeaders)
    {
        ServiceName = serviceName;
        MethodName = methodName;
        Mode = mode;
        Side = side;
        RequestHeaders = requestHeaders;
    }

    /// <summary>The IDL service name.</summary>
    public string ServiceName { get; }

    /// <summary>The IDL method name.</summary>
    public string MethodName { get; }

    /// <summary>How the method streams.</summary>
    public StreamingMode Mode { get; }

    /// <summary>Which side this middleware runs on.</summary>
    public StreamSide Side { get; }

    /// <summary>Request headers: writable by client stream middleware before the stream opens; read-only on the server.</summary>
    public IDictionary<string, string> RequestHeaders { get; }

    /// <summary>State middleware can share across its stream, send and receive hooks.</summary>
    public IDictionary<string, object?> Items { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);
}

/// <summary>Composes middleware lists into handlers (first registered = outermost).</summary>
internal static class MiddlewareChain
{
    public static StreamHandler Build(IReadOnlyList<StreamMiddleware> middlewares, StreamHandler inner)
    {
        for (var i = middlewares.Count - 1; i >= 0; i--)
        {
            inner = middlewares[i](inner);
        }

        return inner;
    }

    public static SendHandler Build(IReadOnlyList<SendMiddleware> middlewares, SendHandler inner)
    {
        for (var i = middlewares.Count - 1; i >= 0; i--)
        {
            inner = middlewares[i](inner);
        }

        return inner;
    }

    public static RecvHandler Build(IReadOnlyList<RecvMiddleware> middlewares, RecvHandler inner)
    {
        for (var i = middlewares.Count - 1; i >= 0; i--)
        {
            inner = middlewares[i](inner);
        }

        return inner;
    }

    public static UnaryHandler Build(IReadOnlyList<UnaryMiddleware> middlewares, UnaryHandler inner)
    {
        for (var i = middlewares.Count - 1; i >= 0; i--)
        {
            inner = middlewares[i](inner);
        }

        return inner;
    }
}
