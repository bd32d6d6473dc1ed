using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using StreamX.Transport.Grpc;
using StreamX.Transport.TTHeader;

namespace StreamX.Hosting;

/// <summary>
/// StreamX on the app's own Kestrel (ASP.NET Core), with the dispatcher registered by
/// <see cref="StreamXServiceCollectionExtensions.AddStreamX"/>:
/// <code>
/// builder.Services.AddStreamX(options).AddService(sp =&gt; TestService.TestServiceBase.BindService(sp.GetRequiredService&lt;Echo&gt;()));
/// builder.WebHost.ConfigureKestrel(k =&gt; k.ListenAnyIP(8888, listen =&gt; listen.UseStreamX()));
/// var app = builder.Build();
/// app.UseStreamXGrpc();   // gRPC on the app's HTTP/2 endpoints
/// </code>
/// The host stops the dispatcher gracefully before Kestrel closes connections; nothing else to call.
/// </summary>
public static class StreamXKestrelExtensions
{
    /// <summary>Serves the app's StreamX dispatcher on this endpoint (TTHeader Streaming and unary Thrift; HTTP/2 continues down the pipeline).</summary>
    /// <param name="listen">The Kestrel endpoint.</param>
    /// <param name="options">TTHeader transport options (limits, TLS).</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="InvalidOperationException"><c>services.AddStreamX()</c> was not called.</exception>
    public static ListenOptions UseStreamX(this ListenOptions listen, TTHeaderServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(listen);
        return listen.UseStreamX(Dispatcher(listen.ApplicationServices), options);
    }

    /// <summary>Serves gRPC requests with the app's StreamX dispatcher; other requests go on down the pipeline.</summary>
    /// <param name="app">The app.</param>
    /// <param name="options">gRPC options.</param>
    /// <returns>The app.</returns>
    /// <exception cref="InvalidOperationException"><c>services.AddStreamX()</c> was not called.</exception>
    public static IApplicationBuilder UseStreamXGrpc(this IApplicationBuilder app, GrpcServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseStreamXGrpc(Dispatcher(app.ApplicationServices), options);
    }

    private static StreamXDispatcher Dispatcher(IServiceProvider? services) =>
        services?.GetService<StreamXDispatcher>()
        ?? throw new InvalidOperationException("No StreamX dispatcher is registered: call builder.Services.AddStreamX() (StreamX.Hosting) before using it.");
}
