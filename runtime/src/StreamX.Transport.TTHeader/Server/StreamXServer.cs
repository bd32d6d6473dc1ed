using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
    private readonly KestrelServer _kestrel;
    private int _stopped;

    private StreamXServer(KestrelServer kestrel, StreamXDispatcher dispatcher, IPEndPoint endPoint)
    {
        _kestrel = kestrel;
        Dispatcher = dispatcher;
        LocalEndPoint = endPoint;
    }

    /// <summary>Where the server listens (the real port when port 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Routing, handlers and graceful stop.</summary>
    public StreamXDispatcher Dispatcher { get; }

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
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(dispatcher);
        transportOptions ??= new TTHeaderServerOptions();
        transportOptions.Validate();
        var loggerFactory = dispatcher.Options.LoggerFactory;
        var kestrelOptions = new KestrelServerOptions
        {
            ApplicationServices = new ServiceCollection().AddSingleton(loggerFactory).BuildServiceProvider(),
            AddServerHeader = false,
            // Header values are UTF-8 text, as in ttstream.
            RequestHeaderEncodingSelector = static _ => Encoding.UTF8,
            ResponseHeaderEncodingSelector = static _ => Encoding.UTF8,
        };
        kestrelOptions.Listen(endPoint, listen =>
        {
            // Only HTTP/2 connections reach Kestrel's HTTP layer (detection forwards nothing else).
            listen.Protocols = HttpProtocols.Http2;
            listen.UseStreamX(dispatcher, transportOptions);
        });
        var kestrel = new KestrelServer(
            Options.Create(kestrelOptions),
            new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggerFactory),
            loggerFactory);
        await kestrel.StartAsync(new HttpApplication(http ?? NotFound), cancellationToken).ConfigureAwait(false);
        var address = kestrel.Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new IPEndPoint(endPoint.Address, new Uri(address).Port);
        return new StreamXServer(kestrel, dispatcher, bound);
    }

    /// <summary>Graceful stop: handlers are canceled with a reason and given the grace period, then connections close.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await Dispatcher.StopAsync(cancellationToken).ConfigureAwait(false);

        // Connections are asked to close (they do, once their handlers are done); any that linger
        // after a short wait are aborted.
        using var abortAfter = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        abortAfter.CancelAfter(TimeSpan.FromSeconds(2));
        await _kestrel.StopAsync(abortAfter.Token).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _kestrel.Dispose();
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    /// <summary>Runs a <see cref="RequestDelegate"/> as Kestrel's application, without the ASP.NET Core host.</summary>
    private sealed class HttpApplication(RequestDelegate app) : IHttpApplication<HttpContext>
    {
        public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

        public Task ProcessRequestAsync(HttpContext context) => app(context);

        public void DisposeContext(HttpContext context, Exception? exception)
        {
        }
    }
}
