using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StreamX.Transport;

namespace StreamX.Hosting;

/// <summary>
/// Generated StreamX clients from dependency injection, as <c>AddGrpcClient</c> does for grpc-dotnet:
/// <code>
/// builder.Services.AddStreamXClient&lt;TestService.TestServiceClient&gt;(
///     sp =&gt; new TTHeaderClientTransport(new DnsEndPoint("echo", 8888)));
///
/// // then, anywhere:
/// public sealed class Chat(TestService.TestServiceClient echo) { … }
/// </code>
/// </summary>
public static class StreamXClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TClient"/> (a generated client, e.g. <c>TestService.TestServiceClient</c>) as a
    /// transient service over one transport per client type. The transport is made by <paramref name="transport"/>
    /// the first time a <typeparamref name="TClient"/> is resolved, shared by every instance (clients are thin and
    /// thread-safe; the transport pools the connections), and disposed with the container (the host's stop). Register
    /// the same client type again and the last registration is the one resolved.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="transport">Makes the transport (for example a <c>TTHeaderClientTransport</c> or <c>GrpcClientTransport</c>); it may resolve what it needs from the container.</param>
    /// <param name="options">
    /// The client's options. Where they leave them unset, the container fills in two: <see cref="StreamXClientOptions.ServiceName"/>
    /// becomes the app's own service name when the app serves StreamX (<c>AddStreamX</c> with a <c>ServiceName</c>), so calls
    /// it cancels name the app in their canceled path as a Kitex server's outbound client does; and
    /// <see cref="StreamXClientOptions.LoggerFactory"/> becomes the app's logging.
    /// </param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddStreamXClient<TClient>(this IServiceCollection services, Func<IServiceProvider, ClientTransport> transport, StreamXClientOptions? options = null)
        where TClient : StreamXClientBase
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(transport);
        options?.Validate();

        // The container makes the factory, so it also disposes it (and with it the transport); the last registration
        // of a client type is the one resolved, factory and client alike.
        services.AddSingleton(_ => new StreamXClientFactory<TClient>(transport, options));
        services.AddTransient(sp => sp.GetRequiredService<StreamXClientFactory<TClient>>().Create(sp));
        return services;
    }
}

/// <summary>
/// Makes <typeparamref name="TClient"/> instances over one lazily made transport; disposes the transport with the
/// container. Hosts dispose their containers asynchronously; a container disposed with <c>Dispose()</c> waits here for
/// the transport's <c>DisposeAsync</c> (a container that throws instead, as it does for services that are only
/// <see cref="IAsyncDisposable"/>, would surprise more).
/// </summary>
internal sealed class StreamXClientFactory<TClient> : IAsyncDisposable, IDisposable
    where TClient : StreamXClientBase
{
    private static readonly ObjectFactory Construct = ActivatorUtilities.CreateFactory(typeof(TClient), [typeof(ClientTransport), typeof(StreamXClientOptions)]);

    private readonly Func<IServiceProvider, ClientTransport> _makeTransport;
    private readonly StreamXClientOptions? _options;
    private readonly Lock _lock = new();
    private (ClientTransport Transport, StreamXClientOptions Options)? _made;
    private bool _disposed;

    public StreamXClientFactory(Func<IServiceProvider, ClientTransport> makeTransport, StreamXClientOptions? options)
    {
        _makeTransport = makeTransport;
        _options = options;
    }

    public TClient Create(IServiceProvider services)
    {
        var (transport, options) = Made(services);
        return (TClient)Construct(services, [transport, options]);
    }

    private (ClientTransport Transport, StreamXClientOptions Options) Made(IServiceProvider services)
    {
        if (_made is { } made)
        {
            return made;
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_made is null)
            {
                var transport = _makeTransport(services)
                    ?? throw new InvalidOperationException($"The transport factory of AddStreamXClient<{typeof(TClient).Name}> returned null.");
                _made = (transport, Complete(services));
            }

            return _made.Value;
        }
    }

    /// <summary>The given options with the app's service name and logging where they left them unset.</summary>
    private StreamXClientOptions Complete(IServiceProvider services)
    {
        var options = _options ?? new StreamXClientOptions();
        if (options.ServiceName is null && services.GetService<StreamXRegistration>()?.Options?.ServiceName is { } appName)
        {
            options = options with { ServiceName = appName };
        }

        if (options.LoggerFactory is NullLoggerFactory && services.GetService<ILoggerFactory>() is { } logging)
        {
            options = options with { LoggerFactory = logging };
        }

        return options;
    }

    public ValueTask DisposeAsync() => Detach()?.DisposeAsync() ?? ValueTask.CompletedTask;

    public void Dispose()
    {
        if (Detach() is { } transport)
        {
            transport.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Marks this disposed; returns the transport to dispose, once.</summary>
    private ClientTransport? Detach()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return null;
            }

            _disposed = true;
            return _made?.Transport;
        }
    }
}
