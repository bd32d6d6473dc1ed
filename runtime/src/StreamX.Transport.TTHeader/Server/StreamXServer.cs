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
    private readonly object _stopGate = new();
    private readonly CancellationTokenSource _stopCutShort = new();
    private Task? _stop;

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
    /// <param name="cancellationToken">
    /// Cuts the stop short, as a host's stop token does: handlers still running are ended at once (their streams
    /// reset, their unary calls answered with an error), connections are aborted, and the returned task completes
    /// normally; it does not throw <see cref="OperationCanceledException"/>. See <see cref="StreamXDispatcher.StopAsync"/>.
    /// </param>
    /// <returns>Completes when the server has stopped. Calling again returns the same stop (a token passed then can
    /// still cut it short).</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        // Registered before the stop starts, so a token that has already fired cuts it short at once.
        using var cut = cancellationToken.Register(static s => _ = ((CancellationTokenSource)s!).CancelAsync(), _stopCutShort);
        TaskCompletionSource? first = null;
        Task stop;
        lock (_stopGate)
        {
            if (_stop is null)
            {
                first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _stop = first.Task;
            }

            stop = _stop;
        }

        if (first is null)
        {
            await stop.ConfigureAwait(false);
            return;
        }

        try
        {
            await Dispatcher.StopAsync(_stopCutShort.Token).ConfigureAwait(false);

            // Connections are asked to close (they do at once: their handlers are done or were reset, and the
            // resets go out first); any that linger are aborted after a short wait, or at once when cut short.
            using var abortAfter = CancellationTokenSource.CreateLinkedTokenSource(_stopCutShort.Token);
            abortAfter.CancelAfter(TimeSpan.FromSeconds(2));
            await _kestrel.StopAsync(abortAfter.Token).ConfigureAwait(false);
            first.SetResult();
        }
        catch (Exception e)
        {
            first.SetException(e);
            throw;
        }
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
