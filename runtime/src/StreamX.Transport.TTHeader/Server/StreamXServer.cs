using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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
    public static async Task<StreamXServer> StartAsync(IPEndPoint endPoint, StreamXServerOptions options, IEnumerable<ServiceDefinition> services, TTHeaderServerOptions? transportOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        transportOptions ??= new TTHeaderServerOptions();
        transportOptions.Validate();
        var dispatcher = new StreamXDispatcher(options, services);
        var kestrelOptions = new KestrelServerOptions
        {
            ApplicationServices = new ServiceCollection().AddSingleton(options.LoggerFactory).BuildServiceProvider(),
            AddServerHeader = false,
        };
        kestrelOptions.Listen(endPoint, listen => listen.UseStreamX(dispatcher, transportOptions));
        var kestrel = new KestrelServer(
            Options.Create(kestrelOptions),
            new SocketTransportFactory(Options.Create(new SocketTransportOptions()), options.LoggerFactory),
            options.LoggerFactory);
        await kestrel.StartAsync(new NotHttp(), cancellationToken).ConfigureAwait(false);
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

    /// <summary>HTTP requests (a gRPC client on this port) are not served by this entry point.</summary>
    private sealed class NotHttp : IHttpApplication<IFeatureCollection>
    {
        public IFeatureCollection CreateContext(IFeatureCollection contextFeatures) => contextFeatures;

        public Task ProcessRequestAsync(IFeatureCollection context)
        {
            context.Get<IHttpResponseFeature>()!.StatusCode = 404;
            return Task.CompletedTask;
        }

        public void DisposeContext(IFeatureCollection context, Exception? exception)
        {
        }
    }
}
