namespace StreamX.Transport;

/// <summary>
/// What traces and metrics say about the transport a call went over: its name, its protocol and,
/// where the transport knows it, the server's address (docs/observability.md lists the attributes).
/// A client transport describes itself once (<see cref="ClientTransport.Telemetry"/>); a server
/// describes each connection (<see cref="ServerStreamCore.TransportTelemetry"/>). Immutable; create
/// one per transport or connection, never per call, so a call costs nothing when nobody listens.
/// </summary>
public sealed record TransportTelemetry
{
    /// <summary>Describes a transport called <paramref name="name"/> (lower case, e.g. <c>ttheader</c>).</summary>
    public TransportTelemetry(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>A transport that does not describe itself.</summary>
    public static TransportTelemetry Unknown { get; } = new("unknown");

    /// <summary>The transport's name, the <c>streamx.transport</c> attribute and tag: <c>ttheader</c>, <c>grpc</c>, <c>inmemory</c>.</summary>
    public string Name { get; }

    /// <summary>The application protocol on the wire (<c>network.protocol.name</c>): <c>ttheader</c>, <c>http</c>; null when none.</summary>
    public string? ProtocolName { get; init; }

    /// <summary>Its version (<c>network.protocol.version</c>), e.g. <c>2</c> for HTTP/2; null when it has none.</summary>
    public string? ProtocolVersion { get; init; }

    /// <summary>The OSI transport (<c>network.transport</c>): <c>tcp</c>, <c>unix</c>; null for none (in-memory).</summary>
    public string? NetworkTransport { get; init; }

    /// <summary>
    /// The server's address (<c>server.address</c>): on a client the host or IP it calls, on a server
    /// the local address the connection arrived at; null when unknown.
    /// </summary>
    public string? ServerAddress { get; init; }

    /// <summary>The server's port (<c>server.port</c>), or null.</summary>
    public int? ServerPort { get; init; }
}
