using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace StreamX.Transport.Grpc;

/// <summary>
/// A StreamX gRPC server for console apps: Kestrel with an HTTP/2 endpoint (cleartext, prior
/// knowledge) serving the given services to any gRPC client.
/// <code>
/// await using var server = await StreamXGrpcServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 8888),
///     new StreamXServerOptions { ServiceName = "echo" }, [TestService.TestServiceBase.BindService(new Echo())]);
/// </code>
/// To serve gRPC and TTHeader Streaming on one port, pass <see cref="StreamXGrpc.CreateRequestDelegate"/>
/// to the TTHeader transport's <c>StreamXServer.StartAsync(endPoint, dispatcher, options, http)</c>.
/// </summary>
public sealed class StreamXGrpcServer : IAsyncDisposable
{
    private readonly KestrelServer _kestrel;
    private int _stopped;

    private StreamXGrpcServer(KestrelServer kestrel, StreamXDispatcher dispatcher, IPEndPoint endPoint)
    {
        _kestrel = kestrel;
        Dispatcher = dispatcher;
        LocalEndPoint = endPoint;
    }

    /// <summary>Where the server listens (the real port when port 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Routing, handlers and graceful stop.</summary>
    public StreamXDispatcher Dispatcher { get; }

    /// <summary>Starts listening with a new dispatcher for <paramref name="services"/>.</summary>
    public static Task<StreamXGrpcServer> StartAsync(IPEndPoint endPoint, StreamXServerOptions options, IEnumerable<ServiceDefinition> services, GrpcServerOptions? grpcOptions = null, CancellationToken cancellationToken = default) =>
        StartAsync(endPoint, new StreamXDispatcher(options, services), grpcOptions, cancellationToken);

    /// <summary>Starts listening with an existing dispatcher.</summary>
    public static async Task<StreamXGrpcServer> StartAsync(IPEndPoint endPoint, StreamXDispatcher dispatcher, GrpcServerOptions? grpcOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(dispatcher);
        var handler = new StreamXGrpcHandler(dispatcher, grpcOptions);
        var loggerFactory = dispatcher.Options.LoggerFactory;
        var kestrelOptions = new KestrelServerOptions
        {
            ApplicationServices = new ServiceCollection().AddSingleton(loggerFactory).BuildServiceProvider(),
            AddServerHeader = false,
            RequestHeaderEncodingSelector = static _ => Encoding.UTF8,
            ResponseHeaderEncodingSelector = static _ => Encoding.UTF8,
        };
        kestrelOptions.Listen(endPoint, listen => listen.Protocols = HttpProtocols.Http2);
        var kestrel = new KestrelServer(
            Options.Create(kestrelOptions),
            new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggerFactory),
            loggerFactory);
        await kestrel.StartAsync(new RequestDelegateApplication(handler.HandleAsync), cancellationToken).ConfigureAwait(false);
        var address = kestrel.Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StreamXGrpcServer(kestrel, dispatcher, new IPEndPoint(endPoint.Address, new Uri(address).Port));
    }

    /// <summary>Graceful stop: handlers are canceled with a reason and given the grace period, then connections close.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await Dispatcher.StopAsync(cancellationToken).ConfigureAwait(false);
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
}

/// <summary>Runs a <see cref="RequestDelegate"/> as Kestrel's application, without the ASP.NET Core host.</summary>
internal sealed class RequestDelegateApplication(RequestDelegate app) : IHttpApplication<HttpContext>
{
    public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

    public Task ProcessRequestAsync(HttpContext context) => app(context);

    public void DisposeContext(HttpContext context, Exception? exception)
    {
    }
}
