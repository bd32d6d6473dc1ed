using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace StreamX.Transport.Grpc;

/// <summary>StreamX gRPC in apps that already have ASP.NET Core.</summary>
public static class StreamXGrpcExtensions
{
    /// <summary>
    /// Serves gRPC requests (POST, <c>application/grpc*</c>) with the dispatcher's services; other
    /// requests go on down the pipeline. The endpoint must speak HTTP/2 (for cleartext:
    /// <c>listen.Protocols = HttpProtocols.Http2</c>).
    /// <code>
    /// builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(8888, l => l.Protocols = HttpProtocols.Http2));
    /// var app = builder.Build();
    /// app.UseStreamXGrpc(dispatcher);
    /// </code>
    /// </summary>
    public static IApplicationBuilder UseStreamXGrpc(this IApplicationBuilder app, StreamXDispatcher dispatcher, GrpcServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var handler = new StreamXGrpcHandler(dispatcher, options);
        return app.Use(next => context => StreamXGrpcHandler.IsGrpcRequest(context.Request) ? handler.HandleAsync(context) : next(context));
    }
}

/// <summary>Entry points for hosting the gRPC handler elsewhere.</summary>
public static class StreamXGrpc
{
    /// <summary>
    /// The handler as a <see cref="RequestDelegate"/>: pass it to the TTHeader transport's
    /// <c>StreamXServer.StartAsync(endPoint, dispatcher, options, http)</c> to serve gRPC and TTHeader
    /// Streaming on one port (connections are told apart by their first bytes, as Kitex does).
    /// </summary>
    public static RequestDelegate CreateRequestDelegate(StreamXDispatcher dispatcher, GrpcServerOptions? options = null) =>
        new StreamXGrpcHandler(dispatcher, options).HandleAsync;
}
