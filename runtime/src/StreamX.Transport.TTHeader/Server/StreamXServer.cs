using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using StreamX.Hosting;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// A StreamX server for console apps: Kestrel underneath (its socket engine, limits and shutdown),
/// Kitex-compatible TTHeader Streaming on a TCP port, and unary TTHeader/Framed Thrift on the same
/// port, told apart by the first bytes of each connection as a Kitex server does.
/// <code>
/// await using var server = await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 8888),
///     new StreamXServerOptions { ServiceName = "echo" }, [TestService.TestServiceBase.BindService(new Echo())]);
/// </code>
/// </summary>
public sealed class StreamXServer : IAsyncDisposable
{
    private readonly KestrelHost _host;

    private StreamXServer(KestrelHost host)
    {
        _host = host;
    }

    /// <summary>Where the server listens (the real port when port 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint => _host.LocalEndPoint;

    /// <summary>Routing, handlers and graceful stop.</summary>
    public StreamXDispatcher Dispatcher => _host.Dispatcher;

    /// <summary>Starts listening.</summary>
    public static Task<StreamXServer> StartAsync(IPEndPoint endPoint, StreamXServerOptions options, IEnumerable<ServiceDefinition> services, TTHeaderServerOptions? transportOptions = null, CancellationToken cancellationToken = default) =>
        StartAsync(endPoint, new StreamXDispatcher(options, services), transportOptions, http: null, cancellationToken);

    /// <summary>
    /// Starts listening with an existing dispatcher. With <paramref name="http"/>, HTTP/2 connections
    /// on the same port (told apart by their first bytes, as a Kitex server does) are served by it —
    /// for gRPC: <c>StreamXGrpc.CreateRequestDelegate(dispatcher)</c> from StreamX.Transport.Grpc.
    /// Without it they are answered 404.
    /// </summary>
    public static async Task<StreamXServer> StartAsync(IPEndPoint endPoint, StreamXDispatcher dispatcher, TTHeaderServerOptions? transportOptions, RequestDelegate? http, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        transportOptions ??= new TTHeaderServerOptions();
        transportOptions.Validate();
        var host = await KestrelHost.StartAsync(
            endPoint,
            dispatcher,
            listen =>
            {
                // Only HTTP/2 connections reach Kestrel's HTTP layer (detection forwards nothing else).
                listen.Protocols = HttpProtocols.Http2;
                listen.UseStreamX(dispatcher, transportOptions);
            },
            transportOptions.KestrelLimits,
            http ?? NotFound,
            cancellationToken).ConfigureAwait(false);
        return new StreamXServer(host);
    }

    /// <summary>Graceful stop: handlers are canceled with a reason and given the grace period, then connections close.</summary>
    /// <param name="cancellationToken">
    /// Cuts the stop short, as a host's stop token does: handlers still running are ended at once (their streams
    /// reset, their unary calls answered with an error), connections are aborted, and the returned task completes
    /// normally; it does not throw <see cref="OperationCanceledException"/>. See <see cref="StreamXDispatcher.StopAsync"/>.
    /// </param>
    /// <returns>Completes when the server has stopped. Calling again returns the same stop (a token passed then can
    /// still cut it short).</returns>
    public Task StopAsync(CancellationToken cancellationToken = default) => _host.StopAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
