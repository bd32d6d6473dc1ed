using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StreamX.Transport.Grpc;
using StreamX.Transport.TTHeader;

namespace StreamX.Hosting;

/// <summary>Adds services and listeners to the dispatcher registered by <see cref="StreamXServiceCollectionExtensions.AddStreamX"/>.</summary>
public sealed class StreamXBuilder
{
    internal StreamXBuilder(IServiceCollection services)
    {
        Services = services;
    }

    /// <summary>The app's services.</summary>
    public IServiceCollection Services { get; }

    private StreamXRegistration Registration =>
        (StreamXRegistration)Services.First(d => d.ServiceType == typeof(StreamXRegistration)).ImplementationInstance!;

    /// <summary>
    /// Adds a service: <paramref name="bind"/> runs once, when the dispatcher is created, typically
    /// <c>sp =&gt; TestService.TestServiceBase.BindService(sp.GetRequiredService&lt;Echo&gt;())</c>. The handler object
    /// serves every call (register it as a singleton; it may take other services in its constructor).
    /// </summary>
    /// <param name="bind">Makes the service's definition.</param>
    /// <returns>This builder.</returns>
    public StreamXBuilder AddService(Func<IServiceProvider, ServiceDefinition> bind)
    {
        ArgumentNullException.ThrowIfNull(bind);
        Registration.Bindings.Add(bind);
        return this;
    }

    /// <summary>Adds a service whose definition needs nothing from the container.</summary>
    /// <param name="service">The service's definition (<c>TestService.TestServiceBase.BindService(new Echo())</c>).</param>
    /// <returns>This builder.</returns>
    public StreamXBuilder AddService(ServiceDefinition service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return AddService(_ => service);
    }

    /// <summary>
    /// Serves the dispatcher on its own Kestrel endpoint for the host's lifetime (a <see cref="StreamXServer"/>):
    /// TTHeader Streaming and unary Thrift, plus gRPC on the same port with <paramref name="serveGrpc"/>. For apps
    /// without a web host (workers, console apps on the Generic Host). The bound address (port 0 gets a free one) is
    /// on the <see cref="StreamXHostedServer"/> services once the host has started.
    /// </summary>
    /// <param name="endPoint">Where to listen.</param>
    /// <param name="options">TTHeader transport options (limits, TLS).</param>
    /// <param name="serveGrpc">Also serve gRPC (HTTP/2) on this port.</param>
    /// <param name="grpcOptions">gRPC options when <paramref name="serveGrpc"/> is set.</param>
    /// <returns>This builder.</returns>
    public StreamXBuilder ListenTTHeader(IPEndPoint endPoint, TTHeaderServerOptions? options = null, bool serveGrpc = false, GrpcServerOptions? grpcOptions = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        options?.Validate();
        return AddListener(new StreamXHostedServer(
            $"ttheader{(serveGrpc ? "+grpc" : string.Empty)} {endPoint}",
            async (dispatcher, ct) =>
            {
                var server = await StreamXServer.StartAsync(endPoint, dispatcher, options, serveGrpc ? StreamXGrpc.CreateRequestDelegate(dispatcher, grpcOptions) : null, ct).ConfigureAwait(false);
                return (server.LocalEndPoint, server.StopAsync, server.DisposeAsync);
            }));
    }

    /// <summary>Serves the dispatcher over gRPC only, on its own Kestrel endpoint (a <see cref="StreamXGrpcServer"/>), for the host's lifetime.</summary>
    /// <param name="endPoint">Where to listen.</param>
    /// <param name="options">gRPC options.</param>
    /// <param name="tls">Kestrel's HTTPS options for HTTP/2 over TLS; null for cleartext.</param>
    /// <returns>This builder.</returns>
    public StreamXBuilder ListenGrpc(IPEndPoint endPoint, GrpcServerOptions? options = null, HttpsConnectionAdapterOptions? tls = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return AddListener(new StreamXHostedServer(
            $"grpc {endPoint}",
            async (dispatcher, ct) =>
            {
                var server = await StreamXGrpcServer.StartAsync(endPoint, dispatcher, options, tls, ct).ConfigureAwait(false);
                return (server.LocalEndPoint, server.StopAsync, server.DisposeAsync);
            }));
    }

    private StreamXBuilder AddListener(StreamXHostedServer listener)
    {
        Services.AddSingleton(listener);
        Services.AddSingleton<IHostedService>(sp =>
        {
            listener.Attach(sp.GetRequiredService<StreamXDispatcher>());
            return listener;
        });
        return this;
    }
}
