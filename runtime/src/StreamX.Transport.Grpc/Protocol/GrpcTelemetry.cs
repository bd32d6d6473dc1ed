using System.Net;

namespace StreamX.Transport.Grpc;

/// <summary>What traces and metrics record about a gRPC call: transport <c>grpc</c>, protocol HTTP/2 over TCP, and the server's address.</summary>
internal static class GrpcTelemetry
{
    public const string Name = "grpc";

    /// <summary>A client of <paramref name="address"/> (its host and port).</summary>
    public static TransportTelemetry Client(Uri address) => new(Name)
    {
        ProtocolName = "http",
        ProtocolVersion = "2",
        NetworkTransport = "tcp",
        ServerAddress = address.IdnHost,
        ServerPort = address.Port,
    };

    /// <summary>A server whose connection arrived at <paramref name="address"/>:<paramref name="port"/> (null when not over IP).</summary>
    public static TransportTelemetry Server(IPAddress? address, int port) => new(Name)
    {
        ProtocolName = "http",
        ProtocolVersion = "2",
        NetworkTransport = address is null ? null : "tcp",
        ServerAddress = address?.ToString(),
        ServerPort = address is null ? null : port,
    };
}
