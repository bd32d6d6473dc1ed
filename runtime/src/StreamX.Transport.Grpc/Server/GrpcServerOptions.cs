namespace StreamX.Transport.Grpc;

/// <summary>Options of the gRPC side of a StreamX server.</summary>
public sealed record GrpcServerOptions
{
    /// <summary>The largest message accepted from a client (default 4 MiB, as gRPC's); larger ends the call with RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>The largest message a handler may send (default 4 MiB); larger fails the handler's send.</summary>
    public int MaxSendMessageSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// End a handler when the client's <c>grpc-timeout</c> passes (default true): its token fires with
    /// 12015 (<c>stream timeout</c>) and the client gets DEADLINE_EXCEEDED. False ignores the header.
    /// </summary>
    public bool HonorDeadlines { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> for invalid values.</summary>
    public void Validate()
    {
        if (MaxReceiveMessageSize <= 0 || MaxSendMessageSize <= 0)
        {
            throw new ArgumentException("MaxReceiveMessageSize and MaxSendMessageSize must be positive.", nameof(MaxReceiveMessageSize));
        }
    }
}
