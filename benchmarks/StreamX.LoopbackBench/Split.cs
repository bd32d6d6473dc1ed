using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StreamX.Examples.Echo;
using StreamX.Thrift;
using StreamX.Transport.TTHeader;

namespace StreamX.LoopbackBench;

/// <summary>
/// <c>--split</c>: where the ping-pong gap comes from. Four round trips of one 1 KiB message each way, measured in
/// alternating chunks as (b) is:
/// <list type="bullet">
/// <item><c>raw</c>: the raw baseline of (b).</item>
/// <item><c>kes</c>: Kestrel only. The raw client against the raw echo as Kestrel connection middleware (the
/// transport options StreamXServer uses): what hosting on Kestrel costs before any StreamX code runs.</item>
/// <item><c>srv</c>: StreamX server only. A raw client (the raw baseline's socket and pipes) writes a pre-encoded
/// TTHeader Data frame on a bidi Echo stream it opened with a Header frame, and reads one whole frame back.</item>
/// <item><c>cli</c>: StreamX client only. <c>SendAsync</c> + <c>RecvAsync</c> on a bidi call against a fake
/// TTHeader server on raw sockets that decodes each frame and writes a Data frame back as it came (Request and
/// Response are wire-identical).</item>
/// <item><c>full</c>: StreamX on both sides, as (b).</item>
/// </list>
/// So <c>srv − raw</c> is what the server side adds (Kestrel, read loop, dispatcher, handler), <c>cli − raw</c>
/// what the client side adds.
/// </summary>
internal static class Split
{
    private const int Chunk = 1_000;

    public static async Task<int> RunAsync(int pings, double warmup)
    {
        await using var raw = new RawServer();
        await using var sx = await StreamXSide.StartAsync();
        await using var fake = new FakeEchoServer();
        await using var kestrel = await KestrelEchoServer.StartAsync();

        await using var rawClient = await RawClient.ConnectAsync(raw.EndPoint);
        await rawClient.BeginPingPongAsync();
        await using var kestrelClient = await RawClient.ConnectAsync(kestrel.EndPoint);
        await kestrelClient.BeginPingPongAsync();
        await using var frameClient = await RawFrameClient.ConnectAsync(sx.EndPoint);
        await using var fakeTransport = new TTHeaderClientTransport(fake.EndPoint);
        var fakeClient = new TestService.TestServiceClient(fakeTransport, new StreamXClientOptions { ServiceName = "bench-client" });
        await using var cliCall = fakeClient.Echo();
        await using var fullCall = sx.Client.Echo();

        var message = Payload.Bytes.AsMemory();
        var request = Payload.Request;
        string[] names = ["raw", "kes", "srv", "cli", "full"];
        Func<Task>[] trips =
        [
            async () => await rawClient.PingAsync(message),
            async () => await kestrelClient.PingAsync(message),
            async () => await frameClient.PingAsync(),
            async () =>
            {
                await cliCall.SendAsync(request);
                _ = await cliCall.RecvAsync() ?? throw new InvalidOperationException("the echo stream ended");
            },
            async () =>
            {
                await fullCall.SendAsync(request);
                _ = await fullCall.RecvAsync() ?? throw new InvalidOperationException("the echo stream ended");
            },
        ];

        await frameClient.OpenAsync();
        await WarmUp.RunAsync("split", TimeSpan.FromSeconds(warmup), trips);

        var samples = trips.Select(_ => new long[pings]).ToArray();
        GC.Collect();
        for (var done = 0; done < pings; done += Chunk)
        {
            var n = Math.Min(Chunk, pings - done);
            for (var side = 0; side < trips.Length; side++)
            {
                var trip = trips[side];
                var into = samples[side];
                for (var i = done; i < done + n; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    await trip();
                    into[i] = Stopwatch.GetTimestamp() - start;
                }
            }
        }

        for (var side = 0; side < trips.Length; side++)
        {
            // Paired per chunk with the raw chunk measured just before it, as in (b).
            var ratios = new List<double>();
            for (var done = 0; done < pings; done += Chunk)
            {
                var n = Math.Min(Chunk, pings - done);
                ratios.Add(Percentiles.Of(samples[side][done..(done + n)]).P50 / Percentiles.Of(samples[0][done..(done + n)]).P50);
            }

            ratios.Sort();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  split {names[side],-4}: {Percentiles.Of(samples[side])}; /raw per chunk: median {ratios[ratios.Count / 2]:0.00}"));
        }

        return 0;
    }

    /// <summary>A raw socket client speaking just enough TTHeader: one bidi Echo stream, one pre-encoded Data frame per ping.</summary>
    private sealed class RawFrameClient : IAsyncDisposable
    {
        private readonly Socket _socket;
        private readonly IDuplexPipe _pipe;
        private readonly byte[] _data;

        private RawFrameClient(Socket socket)
        {
            _socket = socket;
            _pipe = RawPipe.Create(socket);
            var writer = new ArrayBufferWriter<byte>();
            FrameCodec.Write(writer, Frame.Create(FrameType.Data, 1, "Echo", payload: ThriftSerializer.Serialize(Payload.Request, ThriftProtocol.Binary)));
            _data = writer.WrittenSpan.ToArray();
        }

        public static async Task<RawFrameClient> ConnectAsync(IPEndPoint endPoint)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(endPoint).ConfigureAwait(false);
            return new RawFrameClient(socket);
        }

        /// <summary>Opens the stream and does one exchange, so the server's Header frame is out of the way.</summary>
        public async Task OpenAsync()
        {
            FrameCodec.Write(_pipe.Output, Frame.Create(FrameType.Header, 1, "Echo", new Dictionary<string, string> { ["isn"] = TestService.ServiceName }));
            _pipe.Output.Write(_data);
            await _pipe.Output.FlushAsync().ConfigureAwait(false);
            await ReadFrameAsync().ConfigureAwait(false); // Header
            await ReadFrameAsync().ConfigureAwait(false); // Data
        }

        public async Task PingAsync()
        {
            _pipe.Output.Write(_data);
            await _pipe.Output.FlushAsync().ConfigureAwait(false);
            await ReadFrameAsync().ConfigureAwait(false);
        }

        /// <summary>Skips one whole frame (a TTHeader LENGTH is the 4-byte prefix RawPipe reads).</summary>
        private ValueTask ReadFrameAsync() => RawPipe.SkipMessageAsync(_pipe.Input);

        public async ValueTask DisposeAsync()
        {
            await _pipe.Output.CompleteAsync().ConfigureAwait(false);
            await _pipe.Input.CompleteAsync().ConfigureAwait(false);
            _socket.Dispose();
        }
    }

    /// <summary>The raw baseline's echo (RawServer.EchoAsync's loop) as Kestrel connection middleware.</summary>
    private sealed class KestrelEchoServer : IAsyncDisposable
    {
        private readonly KestrelServer _kestrel;

        private KestrelEchoServer(KestrelServer kestrel, IPEndPoint endPoint)
        {
            _kestrel = kestrel;
            EndPoint = endPoint;
        }

        public IPEndPoint EndPoint { get; }

        public static async Task<KestrelEchoServer> StartAsync()
        {
            var options = new KestrelServerOptions
            {
                ApplicationServices = new ServiceCollection().AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance).BuildServiceProvider(),
                AddServerHeader = false,
            };
            options.Listen(IPAddress.Loopback, 0, listen => listen.Use(_ => EchoAsync));
            var kestrel = new KestrelServer(
                Options.Create(options),
                new SocketTransportFactory(Options.Create(new SocketTransportOptions()), NullLoggerFactory.Instance),
                NullLoggerFactory.Instance);
            await kestrel.StartAsync(new NoApplication(), CancellationToken.None).ConfigureAwait(false);
            var address = kestrel.Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new KestrelEchoServer(kestrel, new IPEndPoint(IPAddress.Loopback, new Uri(address).Port));
        }

        private static async Task EchoAsync(ConnectionContext connection)
        {
            var input = connection.Transport.Input;
            _ = await RawPipe.ReadMessageAsync(input).ConfigureAwait(false); // the 'P' command
            await RawServer.EchoAsync(input, connection.Transport.Output).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            using var abort = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await _kestrel.StopAsync(abort.Token).ConfigureAwait(false);
            _kestrel.Dispose();
        }

        private sealed class NoApplication : IHttpApplication<IFeatureCollection>
        {
            public IFeatureCollection CreateContext(IFeatureCollection contextFeatures) => contextFeatures;

            public Task ProcessRequestAsync(IFeatureCollection context) => Task.CompletedTask;

            public void DisposeContext(IFeatureCollection context, Exception? exception)
            {
            }
        }
    }

    /// <summary>A fake ttstream server on raw sockets: answers a Header with a Header and echoes each Data frame.</summary>
    private sealed class FakeEchoServer : IAsyncDisposable
    {
        private readonly Socket _listener;
        private readonly Task _loop;
        private Socket? _accepted;

        public FakeEchoServer()
        {
            _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(16);
            EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
            _loop = Task.Run(ServeAsync);
        }

        public IPEndPoint EndPoint { get; }

        private async Task ServeAsync()
        {
            try
            {
                var socket = await _listener.AcceptAsync().ConfigureAwait(false);
                socket.NoDelay = true;
                _accepted = socket;
                var pipe = RawPipe.Create(socket);
                while (true)
                {
                    var result = await pipe.Input.ReadAsync().ConfigureAwait(false);
                    var buffer = result.Buffer;
                    var wrote = false;
                    while (FrameCodec.TryRead(ref buffer, default, out var frame))
                    {
                        var reply = frame!.Type switch
                        {
                            FrameType.Header => Frame.Create(FrameType.Header, frame.StreamId, frame.Method),
                            FrameType.Data => frame,
                            FrameType.Trailer => Frame.Create(FrameType.Trailer, frame.StreamId, frame.Method),
                            _ => null,
                        };
                        if (reply is not null)
                        {
                            FrameCodec.Write(pipe.Output, reply);
                            wrote = true;
                        }
                    }

                    pipe.Input.AdvanceTo(buffer.Start, buffer.End);
                    if (wrote)
                    {
                        await pipe.Output.FlushAsync().ConfigureAwait(false);
                    }

                    if (result.IsCompleted)
                    {
                        return;
                    }
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Dispose();
            _accepted?.Dispose();
            await _loop.ConfigureAwait(false);
        }
    }
}
