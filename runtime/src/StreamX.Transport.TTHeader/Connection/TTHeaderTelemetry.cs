using System.Net;
using System.Net.Sockets;

namespace StreamX.Transport.TTHeader;

/// <summary>What traces and metrics record about a TTHeader connection: transport <c>ttheader</c>, protocol <c>ttheader</c>, and the server's end point.</summary>
internal static class TTHeaderTelemetry
{
    public const string Name = "ttheader";

    /// <summary>Describes the server at <paramref name="server"/> (the address a client dials, or the local end of an accepted connection).</summary>
    public static TransportTelemetry For(EndPoint? server) => server switch
    {
        IPEndPoint ip => new(Name) { ProtocolName = Name, NetworkTransport = "tcp", ServerAddress = ip.Address.ToString(), ServerPort = ip.Port },
        DnsEndPoint dns => new(Name) { ProtocolName = Name, NetworkTransport = "tcp", ServerAddress = dns.Host, ServerPort = dns.Port },
        UnixDomainSocketEndPoint unix => new(Name) { ProtocolName = Name, NetworkTransport = "unix", ServerAddress = unix.ToString() },
        _ => new(Name) { ProtocolName = Name },
    };
}
