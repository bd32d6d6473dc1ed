using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using StreamX.Thrift;

namespace StreamX.Transport.Grpc;

/// <summary>
/// The client side of StreamX over gRPC: every stream and unary call is one HTTP/2 request on .NET's
/// <see cref="SocketsHttpHandler"/> (HTTP/2 with prior knowledge for <c>http://</c>, TLS/ALPN for
/// <c>https://</c>, several connections when one is full). Thread-safe; share one per server.
/// <code>
/// var client = new TestService.TestServiceClient(new GrpcClientTransport(new GrpcClientOptions { Address = new Uri("http://127.0.0.1:8888") }));
/// </code>
/// </summary>
public sealed class GrpcClientTransport : ClientTransport
{
    private static readonly string UserAgent = "streamx-dotnet/" + (typeof(GrpcClientTransport).Assembly.GetName().Version?.ToString(3) ?? "0");
    private readonly HttpMessageInvoker _invoker;
    private int _disposed;

    /// <summary>Creates a transport.</summary>
    public GrpcClientTransport(GrpcClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = options.EnableMultipleHttp2Connections,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            // StreamX header values are UTF-8 strings (ttstream carries any text): keep them intact.
            RequestHeaderEncodingSelector = static (_, _) => Encoding.UTF8,
            ResponseHeaderEncodingSelector = static (_, _) => Encoding.UTF8,
        };
        handler.ConnectCallback = ConnectAsync;
        options.ConfigureHandler?.Invoke(handler);
        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
        Telemetry = GrpcTelemetry.Client(options.Address);
    }

    /// <summary>Creates a transport to <c>http://{endPoint}</c> (HTTP/2 over cleartext).</summary>
    public GrpcClientTransport(IPEndPoint endPoint)
        : this(new GrpcClientOptions { Address = new Uri("http://" + (endPoint ?? throw new ArgumentNullException(nameof(endPoint)))) })
    {
    }

    /// <summary>The options.</summary>
    public GrpcClientOptions Options { get; }

    /// <inheritdoc />
    public override TransportTelemetry Telemetry { get; }

    /// <summary>
    /// Closes every connection this transport opened (as if the network failed): their streams end
    /// with 12006 and the server's handlers see 12013. New calls open new connections. Connections
    /// made by a <see cref="GrpcClientOptions.ConfigureHandler"/> that replaced the connect callback are not tracked.
    /// </summary>
    public void CloseConnections()
    {
        foreach (var socket in _sockets.Keys)
        {
            _sockets.TryRemove(socket, out _);
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // Already closed.
            }
            catch (ObjectDisposedException)
            {
                // Already closed.
            }

            socket.Dispose();
        }
    }

    private readonly ConcurrentDictionary<Socket, byte> _sockets = new();

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        foreach (var stale in _sockets.Keys.Where(s => !s.Connected))
        {
            _sockets.TryRemove(stale, out _);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _sockets[socket] = 0;
        return new NetworkStream(socket, ownsSocket: true);
    }

    internal HttpMessageInvoker Invoker => _invoker;

    /// <inheritdoc />
    public override async ValueTask<StreamWire> OpenStreamAsync(ClientStreamCore stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var call = new GrpcClientCall(this, stream);
        return await call.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<ReadOnlyMemory<byte>> InvokeUnaryAsync(UnaryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        CheckSize(request.Arguments.Length);
        var (bytes, flag) = Encode(request.Arguments);
        var content = new ByteArrayContent(GrpcFraming.ToArray(bytes.Span, flag));
        content.Headers.TryAddWithoutValidation("Content-Type", Options.ContentType);
        using var http = CreateRequest(request.ServiceName, request.MethodName, request.Headers, request.CallerServiceName, request.Timeout, content, streaming: false);
        HttpResponseMessage response;
        try
        {
            response = await _invoker.SendAsync(http, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StreamXException(StreamErrors.TransportClosing with { Side = StreamSide.Client, Cause = e });
        }

        using (response)
        {
            if (GrpcHttp.CheckHeaders(response) is { } early)
            {
                throw Failure(early, request);
            }

            var messages = new List<ReadOnlyMemory<byte>>(1);
            try
            {
                var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await GrpcHttp.ReadMessagesAsync(body, GrpcHttp.Encoding(response), Options.MaxReceiveMessageSize, m => { messages.Add(m); return ValueTask.CompletedTask; }, null, cancellationToken).ConfigureAwait(false);
            }
            catch (GrpcStatusException e)
            {
                throw new StreamXException(StreamErrors.IllegalFrame with { Side = StreamSide.Client, Cause = e });
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                throw new StreamXException(StreamErrors.TransportClosing with { Side = StreamSide.Client, Cause = e });
            }

            var outcome = GrpcOutcome.From(response.TrailingHeaders);
            if (!outcome.IsOk)
            {
                throw Failure(outcome, request);
            }

            if (request.IsOneway)
            {
                return ReadOnlyMemory<byte>.Empty;
            }

            return messages.Count == 1
                ? messages[0]
                : throw new StreamXException(StreamErrors.IllegalFrame with
                {
                    Side = StreamSide.Client,
                    Cause = new GrpcStatusException(GrpcStatusCode.Internal, $"a unary response must carry exactly one message, this one carried {messages.Count}"),
                });
        }
    }

    // The server's grpc-timeout timer beat this side's own: fail exactly as the local deadline would.
    private static Exception Failure(GrpcOutcome outcome, UnaryRequest request) =>
        outcome.IsDeadline && request.Timeout is { } timeout ? StreamErrors.Timeout(timeout).ToException() : outcome.ToUnaryException();

    /// <summary>Fails a send larger than <see cref="GrpcClientOptions.MaxSendMessageSize"/> (RESOURCE_EXHAUSTED as cause).</summary>
    internal void CheckSize(int length)
    {
        if (length > Options.MaxSendMessageSize)
        {
            throw new StreamXException(StreamErrors.IllegalOperation with
            {
                Side = StreamSide.Client,
                Cause = new GrpcStatusException(GrpcStatusCode.ResourceExhausted, $"trying to send a message larger than max ({length} vs. {Options.MaxSendMessageSize})"),
            });
        }
    }

    /// <summary>One request message as it goes on the wire: compressed (flag 1) when <see cref="GrpcClientOptions.RequestCompression"/> says so.</summary>
    internal (ReadOnlyMemory<byte> Bytes, byte Flag) Encode(ReadOnlyMemory<byte> payload) =>
        GrpcMessageCodec.Encode(payload, Options.RequestCompression, Options.CompressionLevel);

    /// <summary>Builds the HTTP/2 request of a call; throws <see cref="ArgumentException"/> for a header that cannot travel.</summary>
    internal HttpRequestMessage CreateRequest(string service, string method, IReadOnlyDictionary<string, string> headers, string? caller, TimeSpan? timeout, HttpContent content, bool streaming)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Options.Address, GrpcProtocol.Path(Options.Package, service, method)))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        try
        {
            request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            request.Headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcMessageCodec.AcceptEncoding);
            if (Options.RequestCompression != GrpcCompression.None)
            {
                request.Headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, GrpcMessageCodec.Name(Options.RequestCompression));
            }

            if (timeout is { } t && Options.PropagateDeadline)
            {
                request.Headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcProtocol.EncodeTimeout(t));
            }

            if (!string.IsNullOrEmpty(caller))
            {
                request.Headers.TryAddWithoutValidation(GrpcProtocol.CallerHeader, GrpcMetadata.CheckValue(GrpcProtocol.CallerHeader, caller, "client service name"));
            }

            if (streaming && Options.CancelDetails != GrpcCancelDetails.Never)
            {
                request.Headers.TryAddWithoutValidation(GrpcProtocol.FeaturesHeader, Options.CancelDetails == GrpcCancelDetails.Always
                    ? GrpcProtocol.CancelDetailsFeature + "," + GrpcProtocol.InbandHalfCloseFeature
                    : GrpcProtocol.CancelDetailsFeature);
            }

            foreach (var (key, value) in headers)
            {
                var name = GrpcMetadata.ToWireName(key, "request header");
                if (!request.Headers.TryAddWithoutValidation(name, GrpcMetadata.CheckValue(key, value, "request header")))
                {
                    throw new ArgumentException($"request header '{key}' cannot be sent as gRPC metadata", nameof(headers));
                }
            }
        }
        catch
        {
            request.Dispose();
            throw;
        }

        return request;
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _invoker.Dispose();
            CloseConnections();
        }

        return base.DisposeAsync();
    }
}
