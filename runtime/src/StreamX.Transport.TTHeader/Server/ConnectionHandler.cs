using System.Buffers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;
using StreamX.Diagnostics;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// Kestrel connection middleware: reads the first 8 bytes without consuming them and hands the
/// connection to ttstream, to unary Thrift, or to the rest of the pipeline (HTTP/2), as a Kitex
/// server's protocol detection does (spec §1.4).
/// </summary>
internal sealed class ConnectionHandler(StreamXDispatcher dispatcher, TTHeaderServerOptions options, ILogger logger)
{
    // The description of the last local end point a connection arrived at: one per listener in practice.
    private LocalTelemetry? _telemetry;

    public async Task OnConnectedAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        if (options.KeepAlive is { } keepAlive && connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            try
            {
                keepAlive.Apply(socket);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The connection is already gone; detection below finds out.
            }
        }

        var input = connection.Transport.Input;
        DetectedProtocol protocol;
        byte[] first;

        // The detection timeout's timer lives only until the first bytes are in.
        var timeout = options.ProtocolDetectionTimeout;
        using (var detection = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            if (timeout is { } limit)
            {
                detection!.CancelAfter(limit);
            }

            try
            {
                var result = await input.ReadAtLeastAsync(8, detection?.Token ?? connection.ConnectionClosed).ConfigureAwait(false);
                first = result.Buffer.Length >= 8 ? result.Buffer.Slice(0, 8).ToArray() : result.Buffer.ToArray();
                protocol = ProtocolDetector.Detect(first);
                input.AdvanceTo(result.Buffer.Start);
            }
            catch (OperationCanceledException) when (detection is { IsCancellationRequested: true } && !connection.ConnectionClosed.IsCancellationRequested)
            {
                logger.LogDebug(StreamXEventIds.ConnectionProtocolDetectionTimeout, "StreamX: closing a connection from {Peer}: it did not send the 8 bytes that tell its protocol within {Timeout} (TTHeaderServerOptions.ProtocolDetectionTimeout)", connection.RemoteEndPoint, GoDuration.Format(timeout!.Value));
                return;
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
            {
                return;
            }
        }

        var peer = connection.RemoteEndPoint?.ToString();

        // Kestrel asks raw connections to close on shutdown through this feature (HTTP/2 sends GOAWAY
        // on it); without honouring it, a stop would wait for clients to hang up.
        // Reading stops when the pipe completes, not on Kestrel's ConnectionClosed token: that token
        // can fire on the peer's FIN before the bytes received ahead of it were read.
        var closeRequested = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? default;
        switch (protocol)
        {
            case DetectedProtocol.TTHeaderStreaming:
                await new ServerConnection(connection.Transport, dispatcher, options, peer, TelemetryFor(connection.LocalEndPoint)).RunAsync(closeRequested).ConfigureAwait(false);
                break;
            case DetectedProtocol.TTHeaderUnary or DetectedProtocol.FramedThrift:
                await new UnaryServerConnection(connection.Transport, dispatcher, options, peer, protocol == DetectedProtocol.FramedThrift, TelemetryFor(connection.LocalEndPoint)).RunAsync(closeRequested, connection.ConnectionClosed).ConfigureAwait(false);
                break;
            case DetectedProtocol.Http2:
                await next(connection).ConfigureAwait(false);
                break;
            case DetectedProtocol.Unknown when first is [0x16, 0x03, ..]:
                // A TLS record (handshake, TLS 1.x): a client configured for TLS on an endpoint without it.
                logger.LogInformation(StreamXEventIds.ConnectionUnexpectedTls, "StreamX: closing a connection from {Peer}: it starts a TLS handshake, but this endpoint is not configured for TLS (TTHeaderServerOptions.Tls, or listen.UseHttps before UseStreamX)", peer);
                break;
            default:
                logger.LogDebug(StreamXEventIds.ConnectionProtocolUnknown, "StreamX: closing a connection from {Peer}: not TTHeader, Framed Thrift or HTTP/2", peer);
                break;
        }
    }

    private TransportTelemetry TelemetryFor(System.Net.EndPoint? local)
    {
        if (Volatile.Read(ref _telemetry) is { } cached && Equals(cached.EndPoint, local))
        {
            return cached.Telemetry;
        }

        var telemetry = TTHeaderTelemetry.For(local);
        Volatile.Write(ref _telemetry, new LocalTelemetry(local, telemetry));
        return telemetry;
    }

    private sealed record LocalTelemetry(System.Net.EndPoint? EndPoint, TransportTelemetry Telemetry);
}
