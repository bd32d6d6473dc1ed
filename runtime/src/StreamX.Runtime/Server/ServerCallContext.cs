using StreamX.Transport;

namespace StreamX;

/// <summary>
/// Everything a handler knows about its call: the cancellation token (with the reason it fired),
/// request headers and metainfo, response headers and trailers, the peer, the method. While a
/// handler runs it is also <see cref="Current"/>, so outbound calls made inside the handler join
/// its lifecycle (cascading cancel) without passing anything — as Go's ctx does.
/// </summary>
public sealed class ServerCallContext
{
    private static readonly AsyncLocal<ServerCallContext?> Ambient = new();
    private readonly ServerStreamCore? _stream;
    private readonly CancellationToken _token;
    private readonly Func<StreamError?> _reason;

    internal ServerCallContext(ServerStreamCore stream, string? serverServiceName)
    {
        _stream = stream;
        _token = stream.CancellationToken;
        _reason = () => stream.CancelReason;
        ServiceName = stream.ServiceName;
        MethodName = stream.MethodName;
        RequestHeaders = stream.RequestHeaders;
        Peer = stream.Peer;
        ServerServiceName = serverServiceName;
    }

    internal ServerCallContext(string serviceName, string methodName, IReadOnlyDictionary<string, string> headers, string? peer, CancellationToken token, Func<StreamError?> reason, string? serverServiceName)
    {
        _token = token;
        _reason = reason;
        ServiceName = serviceName;
        MethodName = methodName;
        RequestHeaders = headers;
        Peer = peer;
        ServerServiceName = serverServiceName;
    }

    /// <summary>The call whose handler is running on this async flow, or null.</summary>
    public static ServerCallContext? Current => Ambient.Value;

    /// <summary>
    /// Fires when the client cancels (a reset: its token, its deadline or a cascade), the connection
    /// closes, the server stops, or the handler returns. <see cref="CancelReason"/> says which.
    /// </summary>
    public CancellationToken CancellationToken => _token;

    /// <summary>Why <see cref="CancellationToken"/> fired (code, side, canceled path), or null.</summary>
    public StreamError? CancelReason => _reason();

    /// <summary>The IDL service name.</summary>
    public string ServiceName { get; }

    /// <summary>The IDL method name.</summary>
    public string MethodName { get; }

    /// <summary>This server's own service name (the node outbound calls add to canceled paths).</summary>
    public string? ServerServiceName { get; }

    /// <summary>The client's headers, metainfo included.</summary>
    public IReadOnlyDictionary<string, string> RequestHeaders { get; }

    /// <summary>The client's address, or null.</summary>
    public string? Peer { get; }

    /// <summary>Persistent metainfo received (<c>RPC_PERSIST_</c> keys, prefix removed); forwarded by outbound calls.</summary>
    public IReadOnlyDictionary<string, string> PersistentMetainfo => Strip(Metadata.PersistentPrefix);

    /// <summary>Transient metainfo received (<c>RPC_TRANSIT_</c> keys, prefix removed).</summary>
    public IReadOnlyDictionary<string, string> TransientMetainfo => Strip(Metadata.TransientPrefix);

    /// <summary>Merges response headers (sent with the first message or when the handler returns).</summary>
    public void SetHeader(IEnumerable<KeyValuePair<string, string>> headers) => Stream.SetHeader(headers);

    /// <summary>Merges and sends the response headers now.</summary>
    public ValueTask SendHeaderAsync(IEnumerable<KeyValuePair<string, string>> headers, CancellationToken cancellationToken = default) =>
        Stream.SendHeaderAsync(headers, cancellationToken);

    /// <summary>Merges trailers, sent when the handler returns.</summary>
    public void SetTrailer(IEnumerable<KeyValuePair<string, string>> trailers) => Stream.SetTrailer(trailers);

    private ServerStreamCore Stream => _stream ?? throw new InvalidOperationException("unary calls have no response headers or trailers on this transport");

    private IReadOnlyDictionary<string, string> Strip(string prefix) => Metadata.Copy(RequestHeaders
        .Where(h => h.Key.StartsWith(prefix, StringComparison.Ordinal) && !h.Key.StartsWith(Metadata.TransientUpstreamPrefix, StringComparison.Ordinal))
        .Select(h => new KeyValuePair<string, string>(h.Key[prefix.Length..], h.Value)));

    /// <summary>Makes this context <see cref="Current"/> for the handler's async flow.</summary>
    internal static IDisposable Enter(ServerCallContext context)
    {
        var previous = Ambient.Value;
        Ambient.Value = context;
        return new Scope(previous);
    }

    private sealed class Scope(ServerCallContext? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
