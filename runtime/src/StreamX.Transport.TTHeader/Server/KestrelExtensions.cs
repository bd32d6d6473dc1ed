using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// StreamX on a Kestrel endpoint of an app that already has a host (ASP.NET Core, Generic Host):
/// <code>
/// var dispatcher = new StreamXDispatcher(new StreamXServerOptions { ServiceName = "echo" }, [TestService.TestServiceBase.BindService(new Echo())]);
/// builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(8888, listen => listen.UseStreamX(dispatcher)));
/// // on shutdown: await dispatcher.StopAsync() (handlers' tokens fire with a reason), then the host stops.
/// </code>
/// The endpoint serves TTHeader Streaming and unary TTHeader/Framed Thrift, detected per connection;
/// HTTP/2 connections continue down the Kestrel pipeline (to the app's own endpoints). With
/// <see cref="TTHeaderServerOptions.Tls"/> the endpoint is TLS for all of them.
/// </summary>
public static class KestrelExtensions
{
    /// <summary>Serves StreamX on this endpoint through connection middleware.</summary>
    public static ListenOptions UseStreamX(this ListenOptions listen, StreamXDispatcher dispatcher, TTHeaderServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(dispatcher);
        options ??= new TTHeaderServerOptions();
        options.Validate();
        if (options.Tls is { } tls)
        {
            listen.UseHttps(tls);
        }

        var handler = new ConnectionHandler(dispatcher, options, dispatcher.Options.LoggerFactory.CreateLogger("StreamX.TTHeader"));
        listen.Use(next => context => handler.OnConnectedAsync(context, next));
        return listen;
    }
}
