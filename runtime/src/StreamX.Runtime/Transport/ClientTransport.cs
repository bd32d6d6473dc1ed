namespace StreamX.Transport;

/// <summary>A unary request as a transport sends it.</summary>
/// <param name="ServiceName">The IDL service name.</param>
/// <param name="MethodName">The IDL method name.</param>
/// <param name="Arguments">Thrift Binary bytes of the method's argument struct (<c>&lt;Service&gt;_&lt;Method&gt;_args</c>).</param>
/// <param name="IsOneway">True for oneway methods: no reply is read.</param>
/// <param name="Headers">Request headers (metainfo included).</param>
/// <param name="CallerServiceName">This client's service name.</param>
public sealed record UnaryRequest(string ServiceName, string MethodName, ReadOnlyMemory<byte> Arguments, bool IsOneway, IReadOnlyDictionary<string, string> Headers, string? CallerServiceName)
{
    /// <summary>
    /// Once the call's token fired: why, as the peer should see it (code, message, canceled path).
    /// Transports that can carry a cancellation (in-memory) use it; unary TTHeader cannot and
    /// closes the connection instead.
    /// </summary>
    public Func<StreamError?>? CancellationReason { get; init; }

    /// <summary>
    /// The call's deadline measured from its start, or null. The runtime enforces it; a transport
    /// that can tell the server (gRPC's <c>grpc-timeout</c>) sends it too.
    /// </summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>
/// The client side of a transport: opens streams and performs unary calls. Implementations:
/// in-memory, TTHeader Streaming, gRPC. Thread-safe; shared by every call of a client.
/// </summary>
public abstract class ClientTransport : IAsyncDisposable
{
    /// <summary>
    /// Opens a stream: sends its Header and connects inbound events to <paramref name="stream"/>.
    /// Returns once the Header is written.
    /// </summary>
    public abstract ValueTask<StreamWire> OpenStreamAsync(ClientStreamCore stream, CancellationToken cancellationToken);

    /// <summary>
    /// Performs a unary call. Returns the Thrift Binary bytes of the result struct
    /// (<c>&lt;Service&gt;_&lt;Method&gt;_result</c>), empty for oneway; throws
    /// <see cref="StreamX.Thrift.ThriftApplicationException"/> for a remote failure.
    /// </summary>
    public abstract ValueTask<ReadOnlyMemory<byte>> InvokeUnaryAsync(UnaryRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// What traces and metrics record about this transport (name, protocol, server address). Read once
    /// per call: override with a value computed once, never one built per read.
    /// </summary>
    public virtual TransportTelemetry Telemetry => TransportTelemetry.Unknown;

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
