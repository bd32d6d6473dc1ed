using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Primitives;
using StreamX.Thrift;

namespace StreamX.Transport.Grpc;

/// <summary>
/// Serves StreamX services to gRPC clients: one HTTP/2 request is one stream or unary call, routed by
/// <c>:path</c> (<c>/[package.]Service/Method</c>, service and method only, as Kitex routes) to the
/// <see cref="StreamXDispatcher"/>. Accepts <c>application/grpc+thrift</c> and <c>application/grpc</c>
/// (the body is Thrift Binary either way) and answers with the request's content type. Use it as an
/// ASP.NET Core terminal handler, through <see cref="StreamXGrpcExtensions.UseStreamXGrpc"/>, or let
/// <see cref="StreamXGrpcServer"/> host it.
/// </summary>
public sealed class StreamXGrpcHandler
{
    private readonly StreamXDispatcher _dispatcher;
    private readonly GrpcServerOptions _options;

    // The description of the last local end point a request arrived at: one per listener in practice.
    private LocalTelemetry? _telemetry;

    /// <summary>Creates the handler.</summary>
    public StreamXGrpcHandler(StreamXDispatcher dispatcher, GrpcServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        options ??= new GrpcServerOptions();
        options.Validate();
        _dispatcher = dispatcher;
        _options = options;
    }

    /// <summary>True for a request this handler serves: POST with a gRPC content type.</summary>
    public static bool IsGrpcRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpMethods.IsPost(request.Method) && GrpcProtocol.IsGrpcContentType(request.ContentType);
    }

    /// <summary>Serves one request (a <see cref="RequestDelegate"/>).</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = Stopwatch.GetTimestamp(); // a grpc-timeout counts from here
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsPost(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        if (!HttpProtocol.IsHttp2(request.Protocol))
        {
            response.StatusCode = StatusCodes.Status426UpgradeRequired;
            response.Headers.Upgrade = "h2c";
            return;
        }

        RemoveLimits(context);
        var contentType = request.ContentType!;

        // Every answer says what this server decodes (an encoding it cannot decode is UNIMPLEMENTED, below).
        response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcMessageCodec.AcceptEncoding;
        if (!GrpcProtocol.TryParsePath(request.Path.Value, out var serviceName, out var methodName))
        {
            await TrailersOnlyAsync(context, contentType, GrpcStatusCode.Unimplemented, $"malformed method path '{request.Path.Value}'; expected /[package.]Service/Method").ConfigureAwait(false);
            return;
        }

        var encoding = request.Headers[GrpcProtocol.EncodingHeader].ToString();
        if (!GrpcMessageCodec.TryParse(encoding, out _))
        {
            await TrailersOnlyAsync(context, contentType, GrpcStatusCode.Unimplemented, $"grpc-encoding '{encoding}' is not supported (supported: {GrpcMessageCodec.Supported})").ConfigureAwait(false);
            return;
        }

        var responseCompression = GrpcMessageCodec.Negotiate(_options.ResponseCompression, request.Headers[GrpcProtocol.AcceptEncodingHeader].ToString());

        TimeSpan? timeout = null;
        var timeoutText = request.Headers[GrpcProtocol.TimeoutHeader].ToString();
        if (timeoutText.Length > 0)
        {
            if (!GrpcProtocol.TryParseTimeout(timeoutText, out var parsed))
            {
                await TrailersOnlyAsync(context, contentType, GrpcStatusCode.Internal, $"malformed grpc-timeout '{timeoutText}'").ConfigureAwait(false);
                return;
            }

            timeout = _options.HonorDeadlines ? parsed : null;
        }

        var headers = GrpcMetadata.FromWire(Pairs(request.Headers));
        var caller = request.Headers[GrpcProtocol.CallerHeader].ToString();
        var call = new CallInfo(
            serviceName,
            methodName,
            contentType,
            headers,
            caller.Length == 0 ? null : caller,
            request.Headers[GrpcProtocol.FeaturesHeader].ToString().Contains(GrpcProtocol.CancelDetailsFeature, StringComparison.Ordinal),
            timeout,
            context.Connection.RemoteIpAddress is { } ip ? $"{ip}:{context.Connection.RemotePort}" : null,
            started,
            TelemetryFor(context.Connection))
        {
            InbandHalfClose = request.Headers[GrpcProtocol.FeaturesHeader].ToString().Contains(GrpcProtocol.InbandHalfCloseFeature, StringComparison.Ordinal),
            RequestEncoding = encoding,
            ResponseCompression = responseCompression,
        };

        if (_dispatcher.FindMethod(serviceName, methodName, out _) is UnaryServerMethod)
        {
            await HandleUnaryAsync(context, call).ConfigureAwait(false);
        }
        else
        {
            // Streaming methods, and unknown ones: the dispatcher answers those at once (UNIMPLEMENTED).
            await HandleStreamAsync(context, call).ConfigureAwait(false);
        }
    }

    private sealed record CallInfo(string Service, string Method, string ContentType, IReadOnlyDictionary<string, string> Headers, string? Caller, bool CancelDetails, TimeSpan? Timeout, string? Peer, long Started, TransportTelemetry Telemetry)
    {
        /// <summary>The client half-closes in-band (the <c>half-close</c> feature, with cancel details).</summary>
        public bool InbandHalfClose { get; init; }

        /// <summary>The request's <c>grpc-encoding</c> (one StreamX decodes): how its compressed messages are compressed.</summary>
        public string? RequestEncoding { get; init; }

        /// <summary>How response messages are compressed: the server's choice when the client accepts it, else none.</summary>
        public GrpcCompression ResponseCompression { get; init; }

        /// <summary>What is left of the client's <c>grpc-timeout</c> (never negative).</summary>
        public TimeSpan Remaining(TimeSpan timeout)
        {
            var left = timeout - Stopwatch.GetElapsedTime(Started);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }

        /// <summary>
        /// True when a client's reset now is its deadline: the client started its clock before the
        /// request reached us and resets the stream when it runs out (grpc-js does, without waiting for
        /// our DEADLINE_EXCEEDED), so its reset can arrive a little before our own timer fires.
        /// </summary>
        public bool IsClientDeadline() => Timeout is { } t && Remaining(t) <= DeadlineSkew(t);
    }

    /// <summary>How early before our timer a client's reset still counts as its deadline: a tenth of the timeout, 20 to 250 ms.</summary>
    internal static TimeSpan DeadlineSkew(TimeSpan timeout) =>
        TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 10, TimeSpan.FromMilliseconds(20).Ticks, TimeSpan.FromMilliseconds(250).Ticks));

    /// <summary>The client reset the stream: its deadline (12015) when that is why, else a reset (12010).</summary>
    private static void OnClientReset(ServerStreamCore core, CallInfo call)
    {
        if (call.IsClientDeadline())
        {
            _ = core.ResetAsync(TimeoutReason(call.Timeout!.Value, call.Caller));
        }
        else
        {
            core.OnReset(GrpcServerCall.ResetException, call.Caller);
        }
    }

    private async Task HandleStreamAsync(HttpContext context, CallInfo call)
    {
        var wire = new GrpcServerCall(context, call.ContentType, call.CancelDetails, _options, call.Caller)
        {
            InbandHalfClose = call.InbandHalfClose,
            RequestEncoding = call.RequestEncoding,
            ResponseCompression = call.ResponseCompression,
        };
        var core = new ServerStreamCore(call.Service, call.Method, call.Headers, wire, _dispatcher.Options.ReceiveBufferCapacity, call.Peer) { TransportTelemetry = call.Telemetry };
        wire.Core = core;
        wire.OnClientReset = () => OnClientReset(core, call);
        using var deadline = call.Timeout is { } t ? new Timer(_ => _ = core.ResetAsync(TimeoutReason(t, call.Caller)), null, call.Remaining(t), Timeout.InfiniteTimeSpan) : null;
        using var stopReading = new CancellationTokenSource();
        var reading = wire.ReadLoopAsync(stopReading.Token);
        wire.Reading = reading;
        wire.Start();
        _dispatcher.AcceptStream(core);

        // While the request body is open the read loop tells a reset from a lost connection; once it
        // ended, an abort is either, and the connection's own state decides.
        var connectionClosed = context.Features.Get<IConnectionLifetimeFeature>()?.ConnectionClosed ?? CancellationToken.None;
        using var aborted = context.RequestAborted.Register(() =>
        {
            if (!reading.IsCompleted)
            {
                return;
            }

            if (connectionClosed.IsCancellationRequested && !wire.WasResetByClient())
            {
                core.OnConnectionClosed(new IOException("the client closed the connection"));
            }
            else
            {
                OnClientReset(core, call);
            }
        });
        await wire.Released.ConfigureAwait(false);
        await wire.Written.ConfigureAwait(false);
        await stopReading.CancelAsync().ConfigureAwait(false);
        await reading.ConfigureAwait(false);
    }


    private async Task HandleUnaryAsync(HttpContext context, CallInfo call)
    {
        var messages = new List<ReadOnlyMemory<byte>>(1);
        try
        {
            await ReadAllAsync(context.Request.BodyReader, call.RequestEncoding, messages, context.RequestAborted).ConfigureAwait(false);
        }
        catch (GrpcStatusException e)
        {
            await TrailersOnlyAsync(context, call.ContentType, e.StatusCode, e.Detail).ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionAbortedException or BadHttpRequestException)
        {
            return; // the client is gone
        }

        if (messages.Count != 1)
        {
            await TrailersOnlyAsync(context, call.ContentType, GrpcStatusCode.Internal, $"a unary request must carry exactly one message, this one carried {messages.Count}").ConfigureAwait(false);
            return;
        }

        using var deadline = call.Timeout is { } t ? new CancellationTokenSource(call.Remaining(t)) : null;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, deadline?.Token ?? CancellationToken.None);

        // Decided when the reset arrives (registered after the linked source, so it runs before the handler's callbacks).
        var resetAtDeadline = false;
        using var onReset = context.RequestAborted.Register(() => Volatile.Write(ref resetAtDeadline, call.IsClientDeadline()));
        StreamError? Reason() =>
            deadline is { IsCancellationRequested: true } || (context.RequestAborted.IsCancellationRequested && Volatile.Read(ref resetAtDeadline))
                ? TimeoutReason(call.Timeout!.Value, call.Caller)
            : context.RequestAborted.IsCancellationRequested ? StreamErrors.FromReset(StreamSide.Server, GrpcServerCall.ResetException, call.Caller)
            : null;

        ReadOnlyMemory<byte> result;
        try
        {
            result = await _dispatcher.InvokeUnaryAsync(call.Service, call.Method, messages[0], call.Headers, call.Peer, Reason, call.Telemetry, linked.Token).ConfigureAwait(false);
        }
        catch (ThriftApplicationException e)
        {
            if (!context.RequestAborted.IsCancellationRequested)
            {
                await TrailersOnlyAsync(context, call.ContentType, GrpcErrors.ForApplicationException(e), e.Message, new KeyValuePair<string, string>(GrpcProtocol.ExceptionTypeTrailer, e.Type.ToString(CultureInfo.InvariantCulture))).ConfigureAwait(false);
            }

            return;
        }
        catch (BizStatusException e)
        {
            await TrailersOnlyAsync(context, call.ContentType, GrpcStatusCode.Internal, e.StatusMessage, [.. BizStatus.ToTrailers(e)]).ConfigureAwait(false);
            return;
        }

        try
        {
            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = call.ContentType;
            if (!result.IsEmpty || _dispatcher.FindMethod(call.Service, call.Method, out _) is UnaryServerMethod { IsOneway: false })
            {
                if (call.ResponseCompression != GrpcCompression.None)
                {
                    response.Headers[GrpcProtocol.EncodingHeader] = GrpcMessageCodec.Name(call.ResponseCompression);
                }

                var (bytes, flag) = GrpcMessageCodec.Encode(result, call.ResponseCompression, _options.CompressionLevel);
                GrpcFraming.Write(response.BodyWriter, bytes.Span, flag);
            }

            response.AppendTrailer(GrpcProtocol.StatusHeader, "0");
            await response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ConnectionAbortedException or OperationCanceledException)
        {
            // The client is gone.
        }
    }

    private async Task ReadAllAsync(PipeReader reader, string? encoding, List<ReadOnlyMemory<byte>> messages, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            try
            {
                while (GrpcFraming.TryRead(ref buffer, _options.MaxReceiveMessageSize, out var frame))
                {
                    messages.Add(GrpcMessageCodec.ReadPayload(frame, encoding, _options.MaxReceiveMessageSize, GrpcServerCall.ReceiveLimit, "client"));
                }

                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        throw new GrpcStatusException(GrpcStatusCode.Internal, $"the request body ended inside a message ({buffer.Length} byte(s) left over)");
                    }

                    return;
                }
            }
            finally
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }

    /// <summary>The reason a handler sees when the client's <c>grpc-timeout</c> passes: 12015 with the caller's path, as a ttstream client's deadline Rst.</summary>
    private static StreamError TimeoutReason(TimeSpan timeout, string? caller) => StreamErrors.StreamTimeout with
    {
        Side = StreamSide.Server,
        Cause = new TimeoutException($"stream timeout, timeout in ctx: {GoDuration.Format(timeout)}"),
        CanceledPath = caller,
    };

    private static async Task TrailersOnlyAsync(HttpContext context, string contentType, GrpcStatusCode status, string message, params KeyValuePair<string, string>[] extra)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.Headers[GrpcProtocol.StatusHeader] = ((int)status).ToString(CultureInfo.InvariantCulture);
        if (message.Length > 0)
        {
            response.Headers[GrpcProtocol.MessageHeader] = GrpcProtocol.EncodeMessage(message);
        }

        foreach (var (k, v) in extra)
        {
            response.Headers.Append(k, v);
        }

        try
        {
            await response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ConnectionAbortedException or OperationCanceledException)
        {
            // The client is gone.
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> Pairs(IHeaderDictionary headers)
    {
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                if (value is not null)
                {
                    yield return new(name, value);
                }
            }
        }
    }

    private TransportTelemetry TelemetryFor(ConnectionInfo connection)
    {
        var address = connection.LocalIpAddress;
        var port = connection.LocalPort;
        if (Volatile.Read(ref _telemetry) is { } cached && cached.Port == port && Equals(cached.Address, address))
        {
            return cached.Telemetry;
        }

        var telemetry = GrpcTelemetry.Server(address, port);
        Volatile.Write(ref _telemetry, new LocalTelemetry(address, port, telemetry));
        return telemetry;
    }

    private sealed record LocalTelemetry(System.Net.IPAddress? Address, int Port, TransportTelemetry Telemetry);

    /// <summary>Streams live as long as their callers: no body size cap, no minimum data rates.</summary>
    private static void RemoveLimits(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }

        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } requestRate)
        {
            requestRate.MinDataRate = null;
        }

        if (context.Features.Get<IHttpMinResponseDataRateFeature>() is { } responseRate)
        {
            responseRate.MinDataRate = null;
        }
    }
}
