namespace StreamX.Transport;

/// <summary>What a transport needs to open a client stream: the target, headers and identity.</summary>
public sealed class ClientStreamSettings
{
    /// <summary>Creates settings.</summary>
    public ClientStreamSettings(string serviceName, string methodName, StreamingMode mode, string? callerServiceName, IReadOnlyDictionary<string, string> headers)
    {
        ServiceName = serviceName;
        MethodName = methodName;
        Mode = mode;
        CallerServiceName = callerServiceName;
        Headers = headers;
    }

    /// <summary>The IDL service name (ttstream <c>isn</c>).</summary>
    public string ServiceName { get; }

    /// <summary>The IDL method name.</summary>
    public string MethodName { get; }

    /// <summary>The streaming mode.</summary>
    public StreamingMode Mode { get; }

    /// <summary>This client's own service name (the node added to canceled paths), or null.</summary>
    public string? CallerServiceName { get; }

    /// <summary>Request headers, metainfo already prefixed (<c>RPC_PERSIST_</c>, <c>RPC_TRANSIT_</c>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>
    /// The stream's deadline measured from its start, or null. The runtime enforces it on this side;
    /// a transport that can tell the server (gRPC's <c>grpc-timeout</c>) sends it too.
    /// </summary>
    public TimeSpan? Timeout { get; init; }
}
