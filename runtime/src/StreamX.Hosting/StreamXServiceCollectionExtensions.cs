using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace StreamX.Hosting;

/// <summary>
/// StreamX in an app with a .NET host:
/// <code>
/// builder.Services.AddSingleton&lt;Echo&gt;();
/// builder.Services.AddStreamX(new StreamXServerOptions { ServiceName = "echo" })
///     .AddService(sp =&gt; TestService.TestServiceBase.BindService(sp.GetRequiredService&lt;Echo&gt;()))
///     .ListenTTHeader(new IPEndPoint(IPAddress.Any, 8888));
/// </code>
/// </summary>
public static class StreamXServiceCollectionExtensions
{
    /// <summary>
    /// Registers the app's <see cref="StreamXDispatcher"/> (a singleton made of <paramref name="options"/> and every
    /// service added with <c>AddService</c>) and its graceful stop: when the host begins to stop,
    /// before any server closes its connections, the dispatcher stops as <see cref="StreamXDispatcher.StopAsync"/>
    /// describes (handlers' tokens fire with 12013, the grace period, then resets), with the host's shutdown token
    /// cutting it short. Calling it again returns a builder for the same dispatcher (a second <paramref name="options"/>
    /// is an error).
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="options">Server options; when its <see cref="StreamXServerOptions.LoggerFactory"/> is not set, the app's logging is used.</param>
    /// <returns>A builder to add services and listeners.</returns>
    /// <exception cref="InvalidOperationException">StreamX was already added with other options.</exception>
    public static StreamXBuilder AddStreamX(this IServiceCollection services, StreamXServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        options?.Validate();
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(StreamXRegistration))?.ImplementationInstance as StreamXRegistration;
        if (existing is not null)
        {
            if (options is not null && existing.Options is not null && !ReferenceEquals(options, existing.Options) && options != existing.Options)
            {
                throw new InvalidOperationException("AddStreamX was already called with other StreamXServerOptions: one app has one StreamX dispatcher; pass the options once.");
            }

            existing.Options ??= options;
            return new StreamXBuilder(services);
        }

        var registration = new StreamXRegistration { Options = options };
        services.AddSingleton(registration);
        services.TryAddSingleton(sp =>
        {
            var configured = registration.Options ?? new StreamXServerOptions();
            if (configured.LoggerFactory is NullLoggerFactory && sp.GetService<ILoggerFactory>() is { } logging)
            {
                configured = configured with { LoggerFactory = logging };
            }

            return new StreamXDispatcher(configured, registration.Bindings.Select(bind => bind(sp)).ToList());
        });
        services.AddSingleton<IHostedService, StreamXDispatcherLifetime>();
        return new StreamXBuilder(services);
    }
}

/// <summary>What <see cref="StreamXServiceCollectionExtensions.AddStreamX"/> collected (one per service collection).</summary>
internal sealed class StreamXRegistration
{
    public StreamXServerOptions? Options { get; set; }

    public List<Func<IServiceProvider, ServiceDefinition>> Bindings { get; } = new();
}
