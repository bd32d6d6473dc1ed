using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// Opens the client's TCP connections to one address, for streams and unary calls alike: connect with
/// <c>NoDelay</c> and TCP keep-alive (<see cref="TTHeaderClientOptions.KeepAlive"/>), then the TLS handshake when <see cref="TTHeaderClientOptions.Tls"/> is set, all within
/// <see cref="TTHeaderClientOptions.DialTimeout"/>. Every failure is a 12006 <see cref="StreamXException"/>
/// whose cause says what failed: the connect (<see cref="SocketException"/>), the time limit
/// (<see cref="TimeoutException"/>), the peer's certificate (<see cref="AuthenticationException"/>), or a peer
/// that is not speaking TLS (<see cref="IOException"/>).
/// </summary>
internal sealed class TcpDialer
{
    private readonly EndPoint _endPoint;
    private readonly TimeSpan _timeout;
    private readonly SslClientAuthenticationOptions? _tls;
    private readonly TcpKeepAlive? _keepAlive;

    public TcpDialer(EndPoint endPoint, TTHeaderClientOptions options)
    {
        _endPoint = endPoint;
        _timeout = options.DialTimeout;
        _keepAlive = options.KeepAlive;
        _tls = options.Tls is { } tls && string.IsNullOrEmpty(tls.TargetHost)
            ? TlsOptions.WithTargetHost(tls, DefaultTargetHost(endPoint))
            : options.Tls;
    }

    /// <summary>The TLS options used (with the target host filled in), or null for plain TCP.</summary>
    public SslClientAuthenticationOptions? Tls => _tls;

    /// <summary>The name a certificate is checked against when the options give none: the host of a <see cref="DnsEndPoint"/>, else the address.</summary>
    public static string DefaultTargetHost(EndPoint endPoint) => endPoint switch
    {
        DnsEndPoint dns => dns.Host,
        IPEndPoint ip => ip.Address.ToString(),
        _ => endPoint.ToString() ?? string.Empty,
    };

    /// <summary>Connects (and authenticates); the stream owns the socket.</summary>
    public async Task<Dialed> DialAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(_endPoint.AddressFamily == AddressFamily.Unspecified ? AddressFamily.InterNetwork : _endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
        };
        _keepAlive?.Apply(socket);

        Stream? stream = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            await socket.ConnectAsync(_endPoint, timeout.Token).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (_tls is not null)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(_tls, timeout.Token).ConfigureAwait(false);
            }

            return new Dialed(socket, stream);
        }
        catch (Exception e)
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new StreamXException(StreamErrors.TransportClosing with { Side = StreamSide.Client, Cause = Describe(e) });
        }
    }

    private Exception Describe(Exception e)
    {
        var handshake = _tls is not null ? $"TLS handshake with {_endPoint} (target host '{_tls.TargetHost}')" : null;
        return e switch
        {
            OperationCanceledException => new TimeoutException($"dial {_endPoint} timed out after {GoDuration.Format(_timeout)}{(_tls is null ? string.Empty : " (TCP connect and TLS handshake)")}"),
            SocketException => e,
            AuthenticationException when handshake is not null => new AuthenticationException($"{handshake} failed: {e.Message}", e),
            IOException when handshake is not null => new IOException($"{handshake} failed: {e.Message} (is the server serving TLS on this port?)", e),
            _ => e,
        };
    }

    /// <summary>A connected socket and the stream to use on it (TLS or not).</summary>
    public readonly record struct Dialed(Socket Socket, Stream Stream);
}
