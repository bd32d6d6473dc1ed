using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StreamX.Hosting;

/// <summary>
/// Kestrel without the ASP.NET Core host, for the transports' console entry points (StreamXServer,
/// StreamXGrpcServer): one endpoint, an HTTP application given as a <see cref="RequestDelegate"/>, and the
/// graceful stop every StreamX server has. Compiled into each transport (a linked source file), so
/// neither transport depends on the other.
/// </summary>
internal sealed class KestrelHost : IAsyncDisposable
{
    private readonly KestrelServer _kestrel;
    private readonly CancellationTokenSource _stopCutShort = new();

    private KestrelHost(KestrelServer kestrel, StreamXDispatcher dispatcher, IPEndPoint endPoint)
    {
        _kestrel = kestrel;
        Dispatcher = dispatcher;
        LocalEndPoint = endPoint;
    }

    /// <summary>Where the server listens (the real port when port 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Routing, handlers and graceful stop.</summary>
    public StreamXDispatcher Dispatcher { get; }

    /// <summary>
    /// Binds <paramref name="endPoint"/> (configured by <paramref name="listen"/>) and starts serving, with Kestrel's
    /// limits as <paramref name="limits"/> sets them (the transport options' <c>KestrelLimits</c>).
    /// </summary>
    public static async Task<KestrelHost> StartAsync(IPEndPoint endPoint, StreamXDispatcher dispatcher, Action<ListenOptions> listen, Action<KestrelServerLimits>? limits, RequestDelegate app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(dispatcher);
        var loggerFactory = dispatcher.Options.LoggerFactory;
        var kestrelOptions = new KestrelServerOptions
        {
            ApplicationServices = Services(loggerFactory),
            AddServerHeader = false,
            // Header values are UTF-8 text, as in ttstream.
            RequestHeaderEncodingSelector = static _ => Encoding.UTF8,
            ResponseHeaderEncodingSelector = static _ => Encoding.UTF8,
        };
        limits?.Invoke(kestrelOptions.Limits);
        kestrelOptions.Listen(endPoint, listen);
        var kestrel = new KestrelServer(
            Options.Create(kestrelOptions),
            new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggerFactory),
            loggerFactory);
        await kestrel.StartAsync(new HttpApplication(app), cancellationToken).ConfigureAwait(false);
        var address = kestrel.Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KestrelHost(kestrel, dispatcher, new IPEndPoint(endPoint.Address, new Uri(address).Port));
    }

    /// <summary>
    /// Graceful stop: handlers are canceled with a reason and given the grace period, then connections
    /// close. A token that fires cuts it short (remaining handlers reset, connections aborted) and the
    /// stop still completes. Concurrent and repeated calls share one stop.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Registered before the stop starts, so a token that has already fired cuts it short at once. Both
        // steps are shared by concurrent and repeated calls: the dispatcher's stop is one stop, and Kestrel's
        // StopAsync awaits the first stop when called again.
        using var cut = cancellationToken.Register(static s => _ = ((CancellationTokenSource)s!).CancelAsync(), _stopCutShort);
        await Dispatcher.StopAsync(_stopCutShort.Token).ConfigureAwait(false);

        // Connections are asked to close (they do at once: their handlers are done or were reset, and the
        // resets go out first); any that linger are aborted after a short wait, or at once when cut short.
        using var abortAfter = CancellationTokenSource.CreateLinkedTokenSource(_stopCutShort.Token);
        abortAfter.CancelAfter(TimeSpan.FromSeconds(2));
        await _kestrel.StopAsync(abortAfter.Token).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _kestrel.Dispose();
    }

    /// <summary>
    /// The services Kestrel's own middleware resolves from <see cref="KestrelServerOptions.ApplicationServices"/>
    /// (<c>UseHttps</c> needs Kestrel's metrics and its HTTPS configuration): registered by Kestrel's own
    /// <c>UseKestrelCore</c> and <c>UseKestrelHttpsConfiguration</c>, which only take a web host builder, so a
    /// minimal one hands them the service collection.
    /// </summary>
    private static ServiceProvider Services(ILoggerFactory loggerFactory)
    {
        var services = new ServiceCollection().AddSingleton(loggerFactory).AddOptions().AddMetrics();
        var builder = new ServicesOnlyWebHostBuilder(services);
        builder.UseKestrelCore().UseKestrelHttpsConfiguration();
        return services.BuildServiceProvider();
    }

    /// <summary>A web host builder that only collects services (nothing else of a web host is used).</summary>
    private sealed class ServicesOnlyWebHostBuilder(IServiceCollection services) : IWebHostBuilder
    {
        // The interface still returns the obsolete IWebHost; nothing here builds one.
#pragma warning disable ASPDEPR008
        public IWebHost Build() => throw new NotSupportedException();
#pragma warning restore ASPDEPR008

        public IWebHostBuilder ConfigureAppConfiguration(Action<WebHostBuilderContext, IConfigurationBuilder> configureDelegate) => this;

        public IWebHostBuilder ConfigureServices(Action<IServiceCollection> configureServices)
        {
            configureServices(services);
            return this;
        }

        public IWebHostBuilder ConfigureServices(Action<WebHostBuilderContext, IServiceCollection> configureServices) => throw new NotSupportedException();

        public string? GetSetting(string key) => null;

        public IWebHostBuilder UseSetting(string key, string? value) => this;
    }

    /// <summary>Runs a <see cref="RequestDelegate"/> as Kestrel's application.</summary>
    private sealed class HttpApplication(RequestDelegate app) : IHttpApplication<HttpContext>
    {
        public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

        public Task ProcessRequestAsync(HttpContext context) => app(context);

        public void DisposeContext(HttpContext context, Exception? exception)
        {
        }
    }
}
