using System.Globalization;
using System.Net;
using StreamX;
using StreamX.Examples.Echo;
using StreamX.InteropPeer;
using StreamX.Transport;
using StreamX.Transport.Grpc;
using StreamX.Transport.TTHeader;

// streamx-interop-peer server --addr 127.0.0.1:PORT [--service-name NAME] [--transport ttheader|grpc]
//     [--downstream HOST:PORT] [--downstream-transport ttheader|grpc]
// streamx-interop-peer client --addr HOST:PORT --mode server|client|bidi|multi|pingpong|cancel|cancel-bidi|timeout|servererr|bizerr
//     [--transport ttheader|grpc] [-n N] [--delay-ms D] [--cancel-after K] [--timeout-ms T] [--from NAME] [--msg TEXT]
//     [--persist k=v]... [--transient k=v]... [--streams S]
// --transport grpc: gRPC over HTTP/2 cleartext with Thrift bodies, :path /echo.TestService/<Method>
// (StreamXGrpcServer / GrpcClientTransport); the default is TTHeader Streaming.
if (args.Length == 0 || args[0] is not ("server" or "client"))
{
    return Usage();
}

Args options;
try
{
    options = Args.Parse(args.Skip(1).ToArray());
    _ = Args.Transport(options.Get("--transport"));
    _ = Args.Transport(options.Get("--downstream-transport"));
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"streamx-interop-peer: {e.Message}");
    return Usage();
}

return args[0] == "server" ? await RunServerAsync(options) : await RunClientAsync(options);

static int Usage()
{
    Console.Error.WriteLine("usage: streamx-interop-peer server --addr HOST:PORT [--service-name NAME] [--transport ttheader|grpc] [--downstream HOST:PORT] [--downstream-transport ttheader|grpc]");
    Console.Error.WriteLine("       streamx-interop-peer client --addr HOST:PORT --mode MODE [--transport ttheader|grpc] [-n N] [--delay-ms D] [--cancel-after K] [--timeout-ms T] [--from NAME] [--msg TEXT] [--persist k=v]... [--transient k=v]... [--streams S]");
    return 2;
}

static async Task<int> RunServerAsync(Args a)
{
    var name = a.Get("--service-name") ?? "oracle-server";
    var transport = Args.Transport(a.Get("--transport"));
    TestService.TestServiceClient? downstream = null;
    ClientTransport? downstreamTransport = null;
    if (a.Get("--downstream") is { } target)
    {
        // The outbound client names itself with this server's name: the next hop sees it in the canceled path.
        downstreamTransport = Args.CreateClientTransport(Args.Transport(a.Get("--downstream-transport") ?? transport), target);
        downstream = new TestService.TestServiceClient(downstreamTransport, new StreamXClientOptions { ServiceName = name });
    }

    var endPoint = Args.EndPoint(a.Get("--addr") ?? "127.0.0.1:8888");
    var serverOptions = new StreamXServerOptions { ServiceName = name };
    ServiceDefinition[] services = [TestService.TestServiceBase.BindService(new OracleService(downstream))];
    IPEndPoint local;
    Func<Task> stopServer;
    if (transport == "grpc")
    {
        var server = await StreamXGrpcServer.StartAsync(endPoint, serverOptions, services);
        (local, stopServer) = (server.LocalEndPoint, async () => await server.DisposeAsync());
    }
    else
    {
        var server = await StreamXServer.StartAsync(endPoint, serverOptions, services);
        (local, stopServer) = (server.LocalEndPoint, async () => await server.DisposeAsync());
    }

    Events.Emit("server_listening", ("addr", local.ToString()), ("transport", transport));
    var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
    AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
    await stop.Task;
    await stopServer();
    if (downstreamTransport is not null)
    {
        await downstreamTransport.DisposeAsync();
    }

    return 0;
}

static async Task<int> RunClientAsync(Args a)
{
    var mode = a.Get("--mode") ?? "server";
    var n = int.Parse(a.Get("-n") ?? "3", CultureInfo.InvariantCulture);
    var delay = int.Parse(a.Get("--delay-ms") ?? "200", CultureInfo.InvariantCulture);
    var msg = a.Get("--msg") ?? "hello";
    var transport = Args.CreateClientTransport(Args.Transport(a.Get("--transport")), a.Get("--addr") ?? "127.0.0.1:8888");
    var client = new TestService.TestServiceClient(transport, new StreamXClientOptions { ServiceName = a.Get("--from") ?? "oracle-client" });
    var call = new CallOptions
    {
        PersistentMetainfo = a.Pairs("--persist"),
        TransientMetainfo = a.Pairs("--transient"),
        Timeout = a.Get("--timeout-ms") is { } t ? TimeSpan.FromMilliseconds(int.Parse(t, CultureInfo.InvariantCulture)) : null,
    };
    var serverMessage = mode switch
    {
        "servererr" => $"{msg},count:{n},delay:{delay},error:oracle handler failure",
        "bizerr" => $"{msg},count:{n},delay:{delay},bizerr:4001:oracle biz failure",
        _ => $"{msg},count:{n},delay:{delay}",
    };

    try
    {
        switch (mode)
        {
            case "pingpong":
                Events.Emit("client_sent", ("method", "PingPong"), ("message", msg));
                try
                {
                    var pong = await client.PingPongAsync(new Request { Message = msg }, call);
                    Events.Emit("client_end", ("method", "PingPong"), ("mode", mode), ("response", pong.Message), ("err", string.Empty));
                }
                catch (Exception e)
                {
                    Events.Emit("client_end", [("method", "PingPong"), ("mode", mode), ("response", null), .. Events.Error(e)]);
                }

                break;
            case "client":
                await using (var stream = client.EchoClient(call))
                {
                    try
                    {
                        for (var i = 0; i < n; i++)
                        {
                            var text = $"{msg}-{i};";
                            await stream.SendAsync(new Request { Message = text });
                            Events.Emit("client_sent", ("method", "EchoClient"), ("index", i), ("message", text));
                        }

                        var response = await stream.CloseAndRecvAsync();
                        Events.Emit("client_end", ("method", "EchoClient"), ("mode", mode), ("response", response.Message), ("err", string.Empty));
                    }
                    catch (Exception e)
                    {
                        Events.Emit("client_end", [("method", "EchoClient"), ("mode", mode), ("response", null), .. Events.Error(e)]);
                    }
                }

                break;
            case "bidi" or "cancel-bidi":
                await RunBidiAsync(client, call, mode, msg, n, mode == "cancel-bidi" ? int.Parse(a.Get("--cancel-after") ?? "2", CultureInfo.InvariantCulture) : -1);
                break;
            case "multi":
                var streams = int.Parse(a.Get("--streams") ?? "3", CultureInfo.InvariantCulture);
                await Task.WhenAll(Enumerable.Range(0, streams).Select(s => RunServerStreamAsync(client, call, mode, $"{msg}-{s},count:{n},delay:{delay}", -1)));
                break;
            default:
                var cancelAfter = mode == "cancel" ? int.Parse(a.Get("--cancel-after") ?? "2", CultureInfo.InvariantCulture) : -1;
                await RunServerStreamAsync(client, call, mode, serverMessage, cancelAfter);
                break;
        }

        return 0;
    }
    finally
    {
        await transport.DisposeAsync();
    }
}

static async Task RunServerStreamAsync(TestService.TestServiceClient client, CallOptions call, string mode, string message, int cancelAfter)
{
    using var cts = new CancellationTokenSource();
    await using var stream = client.EchoServer(new Request { Message = message }, call, cts.Token);
    Events.Emit("client_sent", ("method", "EchoServer"), ("message", message));
    var received = 0;
    Exception? error = null;
    try
    {
        await foreach (var response in stream)
        {
            Events.Emit("client_recv", ("method", "EchoServer"), ("index", received), ("message", response.Message));
            if (++received == cancelAfter)
            {
                Events.Emit("client_cancel", ("method", "EchoServer"), ("after", received));
                await cts.CancelAsync();
            }
        }
    }
    catch (Exception e)
    {
        error = e;
    }

    await EmitEnd(stream, "EchoServer", mode, received, error);
}

static async Task RunBidiAsync(TestService.TestServiceClient client, CallOptions call, string mode, string msg, int n, int cancelAfter)
{
    using var cts = new CancellationTokenSource();
    await using var stream = client.Echo(call, cts.Token);
    var received = 0;
    Exception? error = null;
    try
    {
        await stream.RunAsync(
            async (s, ct) =>
            {
                for (var i = 0; i < n; i++)
                {
                    var text = $"{msg}-{i}";
                    await s.SendAsync(new Request { Message = text }, ct);
                    Events.Emit("client_sent", ("method", "Echo"), ("index", i), ("message", text));
                }

                if (cancelAfter < 0)
                {
                    await s.CloseSendAsync(ct);
                }
            },
            async (s, ct) =>
            {
                await foreach (var response in s.ReadAllAsync(ct))
                {
                    Events.Emit("client_recv", ("method", "Echo"), ("index", received), ("message", response.Message));
                    if (++received == cancelAfter)
                    {
                        Events.Emit("client_cancel", ("method", "Echo"), ("after", received));
                        await cts.CancelAsync();
                    }
                }
            });
    }
    catch (Exception e)
    {
        error = e;
    }

    await EmitEnd(stream, "Echo", mode, received, error);
}

static async Task EmitEnd(ReceivingCall<Response> stream, string method, string mode, int received, Exception? error)
{
    var header = await stream.GetHeadersAsync();
    var trailer = await stream.GetTrailersAsync();
    Events.Emit("client_end", [
        ("method", method), ("mode", mode), ("recv_count", received),
        ("header", header.Count == 0 ? null : header), ("trailer", trailer is { Count: > 0 } ? trailer : null),
        ("is_eof", error is null), ("is_streaming_canceled", error is OperationCanceledException),
        ("is_streaming_timeout", error is IStreamXError { Error.Category: StreamErrorCategory.Timeout }),
        .. Events.Error(error)]);
}

/// <summary>A tiny parser for the Go client's flags (repeatable <c>k=v</c> pairs included).</summary>
internal sealed class Args
{
    private readonly List<(string Key, string Value)> _values = new();

    public static Args Parse(string[] args)
    {
        var result = new Args();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith('-') || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected '--option value', got '{args[i]}'");
            }

            result._values.Add((args[i], args[++i]));
        }

        return result;
    }

    public string? Get(string key) => _values.LastOrDefault(v => v.Key == key).Value;

    public IReadOnlyDictionary<string, string>? Pairs(string key)
    {
        var pairs = _values.Where(v => v.Key == key).Select(v => v.Value.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        return pairs.Count == 0 ? null : pairs;
    }

    /// <summary>The value of <c>--transport</c>/<c>--downstream-transport</c>: <c>ttheader</c> (default) or <c>grpc</c>.</summary>
    public static string Transport(string? value) => value switch
    {
        null or "ttheader" => "ttheader",
        "grpc" => "grpc",
        _ => throw new ArgumentException($"--transport must be ttheader or grpc, got '{value}'"),
    };

    /// <summary>
    /// The client side of a transport. gRPC: HTTP/2 cleartext with <c>:path</c> <c>/echo.TestService/&lt;Method&gt;</c>
    /// (the IDL's <c>namespace go echo</c>, as a Kitex client sends it), request content type <c>application/grpc+thrift</c>.
    /// </summary>
    public static ClientTransport CreateClientTransport(string transport, string hostPort) => transport == "grpc"
        ? new GrpcClientTransport(new GrpcClientOptions { Address = new Uri("http://" + EndPoint(hostPort)), Package = "echo" })
        : new TTHeaderClientTransport(EndPoint(hostPort));

    public static IPEndPoint EndPoint(string hostPort)
    {
        var colon = hostPort.LastIndexOf(':');
        var host = hostPort[..colon];
        var address = host is "localhost" or "" ? IPAddress.Loopback : IPAddress.Parse(host);
        return new IPEndPoint(address, int.Parse(hostPort[(colon + 1)..], CultureInfo.InvariantCulture));
    }
}
