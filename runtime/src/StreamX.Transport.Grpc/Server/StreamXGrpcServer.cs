using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using StreamX.Hosting;

namespace StreamX.Transport.Grpc;

/// <summary>
/// A StreamX gRPC server for console apps: Kestrel with an HTTP/2 endpoint (cleartext with prior
/// knowledge, or TLS) serving the given services to any gRPC client.
/// <code>
/// await using var server = await StreamXGrpcServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 8888),
///     new StreamXServerOptions { ServiceName = "echo" }, [TestService.TestServiceBase.BindService(new Echo())]);
/// </code>
/// To serve gRPC and TTHeader Streaming on one port, pass <see cref="StreamXGrpc.CreateRequestDelegate"/>
/// to the TTHeader transport's <c>StreamXServer.StartAsync(endPoint, dispatcher, options, http)</c>.
/// </summary>
public sealed class StreamXGrpcServer : IAsyncDisposable
{
    private readonly KestrelHost _host;

    private StreamXGrpcServer(KestrelHost host)
    {
        _host = host;
    }

    /// <summary>Where the server listens (the real port when port 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint => _host.LocalEndPoint;

    /// <summary>Routing, handlers and graceful stop.</summary>
    public StreamXDispatcher Dispatcher => _host.Dispatcher;

    /// <summary>Starts listening with a new dispatcher for <paramref name="services"/>.</summary>
    public static Task<StreamXGrpcServer> StartAsync(IPEndPoint endPoint, StreamXServerOptions options, IEnumerable<ServiceDefinition> services, GrpcServerOptions? grpcOptions = null, CancellationToken cancellationToken = default) =>
        StartAsync(endPoint, new StreamXDispatcher(options, services), grpcOptions, cancellationToken);

    /// <summary>Starts listening with an existing dispatcher.</summary>
    public static Task<StreamXGrpcServer> StartAsync(IPEndPoint endPoint, StreamXDispatcher dispatcher, GrpcServerOptions? grpcOptions = null, CancellationToken cancellationToken = default) =>
        StartAsync(endPoint, dispatcher, grpcOptions, tls: null, cancellationToken);

    /// <summary>
    /// Starts listening with an existing dispatcher; with <paramref name="tls"/> (Kestrel's HTTPS options: certificate,
    /// client certificates, protocols) the endpoint is HTTP/2 over TLS, negotiated by ALPN <c>h2</c>, for
    /// <c>https://</c> clients; without it, HTTP/2 over cleartext (prior knowledge).
    /// </summary>
    public static async Task<StreamXGrpcServer> StartAsync(IPEndPoint endPoint, StreamXDispatcher dispatcher, GrpcServerOptions? grpcOptions, HttpsConnectionAdapterOptions? tls, CancellationToken cancellationToken = default)
    {
        if (tls is { ServerCertificate: null, ServerCertificateSelector: null })
        {
            throw new ArgumentException("tls needs a ServerCertificate or a ServerCertificateSelector.", nameof(tls));
        }

        var handler = new StreamXGrpcHandler(dispatcher, grpcOptions);
        var host = await KestrelHost.StartAsync(
            endPoint,
            dispatcher,
            listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (tls is not null)
                {
                    listen.UseHttps(tls);
                }
            },
            grpcOptions?.KestrelLimits,
            handler.HandleAsync,
            cancellationToken).ConfigureAwait(false);
        return new StreamXGrpcServer(host);
    }

    /// <summary>
    /// Graceful stop: handlers are canceled with a reason and given the grace period, then connections close.
    /// A token that fires cuts it short (remaining handlers reset, connections aborted); the task still
    /// completes normally. See <see cref="StreamXDispatcher.StopAsync"/>.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _host.StopAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
