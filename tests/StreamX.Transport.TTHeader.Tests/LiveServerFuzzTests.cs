using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StreamX.Examples.Echo;
using StreamX.Thrift;
using StreamX.Transport.TTHeader.Tests.Replay;
using StreamX.Transport.TTHeader.Tests.Support;
using Xunit.Abstractions;

namespace StreamX.Transport.TTHeader.Tests;

/// <summary>Runs alone: it fails on any unobserved task exception in the process, so no other test may run beside it.</summary>
[CollectionDefinition(nameof(LiveServerFuzzCollection), DisableParallelization = true)]
public sealed class LiveServerFuzzCollection
{
}

/// <summary>
/// A live StreamXServer (Kestrel, 127.0.0.1:0, the oracle echo) under 200,000 hostile frames: seeded and
/// deterministic per batch, batched many frames per connection. Most frames are valid but hostile (streams for
/// unknown methods and services, data for unknown or ended streams, duplicate and huge headers, Rst and Trailer with
/// garbage payloads, odd flags and protocol ids, extreme stream ids); a batch may end with a mutated frame (bit flips,
/// truncation, a lying LENGTH, random bytes, an unknown frame type, bad magic, transforms, …). A malformed frame
/// closes its connection (12004); the next batch connects again.
/// </summary>
/// <remarks>
/// Checked: connections ending in a frame that must be fatal are closed by the server; connections with only
/// well-formed frames are never closed early by the server; every 40 batches a good client — on a long-lived
/// connection and on a fresh one — still completes an EchoServer round trip and a PingPong; memory after a full
/// collection stays under 200 MB; no unhandled or unobserved exception anywhere in the process; every wait is
/// bounded. Bounded at about a minute on two cores.
/// </remarks>
[Collection(nameof(LiveServerFuzzCollection))]
[Trait("Category", "Slow")]
public sealed class LiveServerFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261121;
    private const int TargetFrames = 200_000;
    private const int Workers = 4;
    private const int HealthEvery = 40;
    private const long MemoryCap = 200L * 1024 * 1024;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(75);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(15);

    private static readonly string[] Methods = ["Echo", "EchoClient", "EchoServer", "PingPong", string.Empty, "Nope", "echo", "EchoServer\u0000", "Échö"];

    private static readonly HashSet<string> FatalKinds =
    [
        "bad-type", "no-type", "bad-magic", "header-size-0", "header-too-big", "transforms", "bad-info-id", "no-streaming-flag",
        "bad-protocol", "header-over-limit", "huge-length", "short-length",
    ];

    [Fact]
    public async Task A_live_server_survives_200k_hostile_frames()
    {
        var failures = new ConcurrentQueue<string>();
        UnhandledExceptionEventHandler onUnhandled = (_, e) => failures.Enqueue("unhandled exception: " + e.ExceptionObject);
        EventHandler<UnobservedTaskExceptionEventArgs> onUnobserved = (_, e) =>
        {
            failures.Enqueue("unobserved task exception: " + e.Exception);
            e.SetObserved();
        };
        AppDomain.CurrentDomain.UnhandledException += onUnhandled;
        TaskScheduler.UnobservedTaskException += onUnobserved;
        try
        {
            await RunAsync(failures);

            // Surface unobserved task exceptions of everything the run left behind.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        finally
        {
            AppDomain.CurrentDomain.UnhandledException -= onUnhandled;
            TaskScheduler.UnobservedTaskException -= onUnobserved;
        }

        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(20)));
    }

    private async Task RunAsync(ConcurrentQueue<string> failures)
    {
        var clock = Stopwatch.StartNew();
        var echo = new OracleEcho { Record = false, MaxCount = 3, Pause = (_, _, _) => Task.CompletedTask };
        await using var server = await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new StreamXServerOptions { ServiceName = "fuzz-server" }, [TestService.TestServiceBase.BindService(echo)]);
        await using var longLived = new TTHeaderClientTransport(server.LocalEndPoint, new TTHeaderClientOptions { MuxPoolSize = 1 });
        var corpus = Captures.Streaming.Select(f => f.Raw).ToArray();

        var nextBatch = -1;
        long frames = 0, batches = 0, serverClosedFatal = 0, closedAfterHalfClose = 0, healthChecks = 0;
        long peakMemory = 0;
        var kinds = new ConcurrentDictionary<string, int>();
        var stop = false;

        async Task HealthAsync()
        {
            await HealthCheckAsync(new TestService.TestServiceClient(longLived), "long-lived connection");
            await using (var fresh = new TTHeaderClientTransport(server.LocalEndPoint, new TTHeaderClientOptions { MuxPoolSize = 1 }))
            {
                await HealthCheckAsync(new TestService.TestServiceClient(fresh), "fresh connection");
            }

            var memory = GC.GetTotalMemory(forceFullCollection: true);
            InterlockedMax(ref peakMemory, memory);
            Assert.True(memory < MemoryCap, $"managed memory {memory / (1024 * 1024)} MB after a full collection (cap {MemoryCap / (1024 * 1024)} MB)");
            Interlocked.Increment(ref healthChecks);
        }

        async Task WorkerAsync()
        {
            while (!Volatile.Read(ref stop))
            {
                var index = Interlocked.Increment(ref nextBatch);
                if (Interlocked.Read(ref frames) >= TargetFrames)
                {
                    Volatile.Write(ref stop, true);
                    return;
                }

                if (clock.Elapsed > Budget)
                {
                    Volatile.Write(ref stop, true);
                    failures.Enqueue($"only {Interlocked.Read(ref frames)} frames within {Budget}");
                    return;
                }

                if (index % HealthEvery == 0)
                {
                    await HealthAsync();
                }

                var batch = Batch.Generate(new Random(Seed + index), corpus);
                foreach (var k in batch.Kinds)
                {
                    kinds.AddOrUpdate(k, 1, (_, n) => n + 1);
                }

                var outcome = await SendAsync(server.LocalEndPoint, batch, index);
                if (outcome is { } problem)
                {
                    failures.Enqueue(problem);
                }
                else if (batch.ExpectFatal)
                {
                    Interlocked.Increment(ref serverClosedFatal);
                }
                else
                {
                    Interlocked.Increment(ref closedAfterHalfClose);
                }

                Interlocked.Add(ref frames, batch.Frames);
                Interlocked.Increment(ref batches);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(WorkerAsync)));
        await HealthAsync();

        output.WriteLine($"{frames} frames in {batches} connections in {clock.Elapsed.TotalSeconds:F1} s; {serverClosedFatal} closed by the server for a fatal frame, {closedAfterHalfClose} after our half-close; {healthChecks} health checks; peak managed memory {peakMemory / (1024 * 1024)} MB");
        output.WriteLine(string.Join(", ", kinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}")));
        Assert.True(frames >= TargetFrames, $"{frames} frames");
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(20)));

        // The generator must really produce what it claims, or the run proves little.
        Assert.All(FatalKinds, k => Assert.True(kinds.GetValueOrDefault(k) > 30, $"kind {k}: {kinds.GetValueOrDefault(k)}"));
        Assert.True(serverClosedFatal > 500 && closedAfterHalfClose > 500, $"fatal {serverClosedFatal}, half-closed {closedAfterHalfClose}");
    }

    private static async Task HealthCheckAsync(TestService.TestServiceClient client, string what)
    {
        using var cts = new CancellationTokenSource(Step);
        try
        {
            var call = client.EchoServer(new Request { Message = "health,count:3" }, null, cts.Token);
            var got = new List<string?>();
            await foreach (var response in call.ReadAllAsync(cts.Token))
            {
                got.Add(response.Message);
            }

            Assert.Equal(["health,count:3#0", "health,count:3#1", "health,count:3#2"], got);
            Assert.Equal("ping", (await client.PingPongAsync(new Request { Message = "ping" }, null, cts.Token)).Message);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Assert.Fail($"health check on a {what}: no round trip within {Step}");
        }
    }

    /// <summary>Sends one batch on its own connection; returns a problem description, or null.</summary>
    private static async Task<string?> SendAsync(IPEndPoint endPoint, Batch batch, int index)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = new CancellationTokenSource(Step);
        await socket.ConnectAsync(endPoint, cts.Token);

        // Drain whatever the server answers until it closes; note whether it closed before our half-close.
        var halfClosed = 0;
        var drain = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0)
                {
                }
            }
            catch (SocketException)
            {
                // A reset: the server closed with our bytes unread, which is a close too.
            }

            return Volatile.Read(ref halfClosed) == 0;
        });

        try
        {
            await socket.SendAsync(batch.Bytes, SocketFlags.None, cts.Token);
        }
        catch (SocketException) when (batch.MayCloseEarly)
        {
            // The server already closed over an earlier bad frame of this batch.
        }
        catch (SocketException e)
        {
            return $"batch {index}: writing failed: {e.Message} (kinds {string.Join(",", batch.Kinds)})";
        }
        catch (OperationCanceledException)
        {
            return $"batch {index}: the server did not read {batch.Bytes.Length} bytes within {Step} (kinds {string.Join(",", batch.Kinds)})";
        }

        if (!batch.ExpectFatal)
        {
            Volatile.Write(ref halfClosed, 1);
            try
            {
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException) when (batch.MayCloseEarly)
            {
            }
        }

        bool closedFirst;
        try
        {
            closedFirst = await drain;
        }
        catch (OperationCanceledException)
        {
            return $"batch {index}: the server kept the connection open for {Step} " +
                (batch.ExpectFatal ? $"after a fatal {batch.Kinds[^1]} frame" : "after our half-close") + $" (kinds {string.Join(",", batch.Kinds)})";
        }

        if (closedFirst && !batch.ExpectFatal && !batch.MayCloseEarly)
        {
            return $"batch {index}: the server closed a connection that carried only well-formed frames (kinds {string.Join(",", batch.Kinds)})";
        }

        return null;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>One connection's bytes: hostile but well-formed frames, maybe ending with one mutated frame.</summary>
    private sealed class Batch
    {
        private readonly MemoryStream _bytes = new();
        private readonly Random _r;
        private readonly byte[][] _corpus;

        private Batch(Random random, byte[][] corpus)
        {
            _r = random;
            _corpus = corpus;
        }

        public byte[] Bytes => _bytes.ToArray();

        public int Frames => Kinds.Count;

        public List<string> Kinds { get; } = new();

        /// <summary>Ends with a frame every decoder must reject: the server must close the connection.</summary>
        public bool ExpectFatal { get; private set; }

        /// <summary>Ends with a mutation that may or may not be fatal (or the connection is not ttstream at all).</summary>
        public bool MayCloseEarly { get; private set; }

        public static Batch Generate(Random r, byte[][] corpus)
        {
            var batch = new Batch(r, corpus);
            if (r.Next(40) == 0)
            {
                // Not even a ttstream connection: protocol detection gets garbage or a unary packet first.
                batch.MayCloseEarly = true;
                batch.Add("detect-garbage", r.Next(2) == 0 ? batch.RandomBytes(1, 64) : Captures.Of(r.Next(2) == 0 ? "pingpong" : "pingpong-ttheader").First().Raw);
            }
            else
            {
                batch.Add("open", batch.Header(1 + r.Next(8), batch.Method(), valid: true));
            }

            var count = 10 + r.Next(70);
            for (var i = 0; i < count; i++)
            {
                batch.AddHostile();
            }

            switch (r.Next(10))
            {
                case < 3:
                    break; // well-formed to the end: we half-close
                case < 6:
                    batch.AddFatal();
                    break;
                default:
                    batch.MayCloseEarly = true;
                    batch.AddMutated();
                    break;
            }

            return batch;
        }

        private void Add(string kind, byte[] frame)
        {
            _bytes.Write(frame);
            Kinds.Add(kind);
        }

        private int StreamId() => _r.Next(12) switch
        {
            0 => int.MinValue + _r.Next(3),
            1 => int.MaxValue - _r.Next(3),
            2 => 0,
            3 => -_r.Next(1, 100),
            4 => _r.Next(),
            _ => _r.Next(1, 9),
        };

        private string Method() => _r.Next(3) == 0 ? Methods[_r.Next(Methods.Length)] : Methods[_r.Next(4)];

        private string Message()
        {
            var text = new StringBuilder("fuzz");
            if (_r.Next(2) == 0)
            {
                text.Append(",count:").Append(_r.Next(-2, 1000));
            }

            if (_r.Next(6) == 0)
            {
                text.Append(",error:boom");
            }

            if (_r.Next(6) == 0)
            {
                text.Append(",bizerr:").Append(_r.Next(-3, 5000)).Append(":biz");
            }

            if (_r.Next(6) == 0)
            {
                text.Append(",header:h,trailer:t");
            }

            if (_r.Next(10) == 0)
            {
                text.Append(",delay:").Append(_r.Next());
            }

            return text.ToString();
        }

        private byte[] RandomBytes(int min, int max)
        {
            var bytes = new byte[_r.Next(min, max)];
            _r.NextBytes(bytes);
            return bytes;
        }

        private string RandomText(int max) => new(Enumerable.Range(0, _r.Next(0, max)).Select(_ => (char)_r.Next(0x20, 0x2FF)).ToArray());

        private byte[] Payload() => _r.Next(10) switch
        {
            < 5 => ThriftSerializer.Serialize(new Request { Message = Message() }, ThriftProtocol.Binary),
            < 7 => RandomBytes(0, 64),
            7 => [],
            8 => ThriftSerializer.Serialize(new Request { Message = new string('x', _r.Next(1000, 64 * 1024)) }, ThriftProtocol.Binary),
            _ => ExceptionPayload.Encode("Echo", _r.Next(), _r.Next(), RandomText(50)),
        };

        private byte[] Header(int streamId, string method, bool valid)
        {
            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            switch (_r.Next(8))
            {
                case 0:
                    break; // no isn: lookup by method name
                case 1:
                    headers["isn"] = "NoSuchService";
                    break;
                default:
                    headers["isn"] = TestService.ServiceName;
                    break;
            }

            if (!valid || _r.Next(3) == 0)
            {
                headers["RPC_PERSIST_" + RandomText(8)] = RandomText(20);
                headers["RPC_TRANSIT_" + RandomText(8)] = RandomText(20);
                headers[RandomText(10)] = RandomText(30);
            }

            if (_r.Next(10) == 0)
            {
                headers[FrameCodec.AclTokenKey] = RandomText(16);
            }

            return Codec.Encode(Frame.Create(FrameType.Header, streamId, method, headers));
        }

        private void AddHostile()
        {
            var sid = StreamId();
            switch (_r.Next(20))
            {
                case 0 or 1 or 2:
                    Add("header", Header(sid, Method(), valid: false));
                    break;
                case 3 or 4 or 5:
                    Add("data", Codec.Encode(Frame.Create(FrameType.Data, sid, Method(), payload: Payload())));
                    break;
                case 6:
                    Add("data-unknown-stream", Codec.Encode(Frame.Create(FrameType.Data, 100_000 + _r.Next(1000), "Echo", payload: Payload())));
                    break;
                case 7:
                    var trailers = _r.Next(2) == 0 ? null : new Dictionary<string, string> { ["biz-status"] = RandomText(6), ["biz-message"] = RandomText(10), ["biz-extra"] = "{not json" };
                    Add("trailer", Codec.Encode(Frame.Create(FrameType.Trailer, sid, Method(), trailers, _r.Next(2) == 0 ? ReadOnlyMemory<byte>.Empty : RandomBytes(0, 40))));
                    break;
                case 8:
                    var path = _r.Next(2) == 0 ? null : new Dictionary<string, string> { ["ttscp"] = RandomText(40) };
                    Add("rst-garbage", Codec.Encode(Frame.Create(FrameType.Rst, sid, Method(), path, RandomBytes(0, 80))));
                    break;
                case 9:
                    Add("rst", Codec.Encode(Frame.Create(FrameType.Rst, sid, Method(), new Dictionary<string, string> { ["ttscp"] = "a,b" }, ExceptionPayload.Encode("Echo", sid, 12007, RandomText(30)))));
                    break;
                case 10:
                    Add("meta", Codec.Encode(Frame.Create(FrameType.Meta, sid, Method(), new Dictionary<string, string> { ["rip"] = RandomText(15) }, RandomBytes(0, 20))));
                    break;
                case 11:
                    // Duplicate keys, several blocks of each kind, padding between blocks, an ACL token block.
                    Add("duplicate-headers", new FrameBuilder { StreamId = sid }
                        .Strings(("isn", "Nope"), ("isn", TestService.ServiceName), ("k", "1"), ("k", "2"))
                        .Raw(0x00, 0x00)
                        .Ints((9, "Nope"), (27, "5"), (9, Method()))
                        .Token(RandomText(8))
                        .Strings(("k", "3"))
                        .Ints((27, "2"), (1, "x"), (65535, RandomText(10)))
                        .Build());
                    break;
                case 12:
                    Add("header-huge", HugeHeader(sid, 20_000 + _r.Next(40_000)));
                    break;
                case 13:
                    // Valid odd fields: extra flag bits, every accepted protocol id.
                    var odd = FrameBuilder.Standard(((char)('1' + _r.Next(5))).ToString(), Method());
                    odd.StreamId = sid;
                    odd.Flags = (ushort)(0x0002 | _r.Next(0x10000));
                    odd.ProtocolId = new byte[] { 0x00, 0x03, 0x04, 0x10, 0x11 }[_r.Next(5)];
                    odd.Payload = RandomBytes(0, 30);
                    Add("odd-fields", odd.Build());
                    break;
                case 14 or 15:
                    // A captured Kitex frame, verbatim but for the stream id.
                    Add("captured", ReplayScript.WithStreamId(_corpus[_r.Next(_corpus.Length)], sid));
                    break;
                case 16:
                    // A captured frame with bits flipped in its payload only (the frame stays well-formed).
                    var raw = (byte[])_corpus[_r.Next(_corpus.Length)].Clone();
                    var payloadAt = 14 + (BinaryPrimitives.ReadUInt16BigEndian(raw.AsSpan(12)) * 4);
                    if (payloadAt < raw.Length)
                    {
                        for (var i = 0; i < 1 + _r.Next(4); i++)
                        {
                            raw[_r.Next(payloadAt, raw.Length)] ^= (byte)(1 << _r.Next(8));
                        }
                    }

                    Add("payload-bitflip", raw);
                    break;
                case 17:
                    // A burst on one stream: open, many messages, half-close.
                    var method = Methods[_r.Next(3)];
                    Add("burst-open", Header(sid, method, valid: true));
                    for (var i = 0; i < 5 + _r.Next(40); i++)
                    {
                        Add("burst-data", Codec.Encode(Frame.Create(FrameType.Data, sid, method, payload: ThriftSerializer.Serialize(new Request { Message = "b" + i }, ThriftProtocol.Binary))));
                    }

                    Add("burst-trailer", Codec.Encode(Frame.Create(FrameType.Trailer, sid, method)));
                    break;
                default:
                    Add("reopen", Header(1 + _r.Next(8), Method(), valid: true));
                    break;
            }
        }

        private byte[] HugeHeader(int streamId, int bytes)
        {
            var headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["isn"] = TestService.ServiceName };
            var total = 0;
            for (var i = 0; total < bytes; i++)
            {
                var value = new string((char)('a' + (i % 26)), Math.Min(1000, bytes - total));
                headers["k" + i] = value;
                total += value.Length + 8;
            }

            return Codec.Encode(Frame.Create(FrameType.Header, streamId, Method(), headers));
        }

        private void AddFatal()
        {
            ExpectFatal = true;
            var sid = StreamId();
            switch (_r.Next(12))
            {
                case 0:
                    Add("bad-type", FrameBuilder.Standard(new[] { "0", "6", "9", "33", "x", "-1", " 2", "2 " }[_r.Next(8)]).Build());
                    break;
                case 1:
                    Add("no-type", new FrameBuilder().Ints((9, "Echo")).Build());
                    break;
                case 2:
                    var badMagic = FrameBuilder.Standard();
                    badMagic.Magic = (ushort)_r.Next(0x1100, 0x10000);
                    Add("bad-magic", badMagic.Build());
                    break;
                case 3:
                    var zero = FrameBuilder.Standard();
                    zero.HeaderWords = 0;
                    Add("header-size-0", zero.Build());
                    break;
                case 4:
                    var big = FrameBuilder.Standard();
                    big.HeaderWords = 16_385 + _r.Next(65535 - 16_385);
                    Add("header-too-big", big.Build());
                    break;
                case 5:
                    var transforms = FrameBuilder.Standard();
                    transforms.Transforms = [(byte)(1 + _r.Next(3))];
                    Add("transforms", transforms.Build());
                    break;
                case 6:
                    Add("bad-info-id", FrameBuilder.Standard().Raw((byte)new[] { 0x02, 0x03, 0x12, 0x20, 0xFF }[_r.Next(5)], 0, 0).Build());
                    break;
                case 7:
                    var flags = FrameBuilder.Standard();
                    flags.Flags = (ushort)(_r.Next(0x10000) & ~0x0002);
                    Add("no-streaming-flag", flags.Build());
                    break;
                case 8:
                    var protocol = FrameBuilder.Standard();
                    protocol.ProtocolId = new byte[] { 0x01, 0x02, 0x05, 0x12, 0xFF }[_r.Next(5)];
                    Add("bad-protocol", protocol.Build());
                    break;
                case 9:
                    Add("header-over-limit", HugeHeader(sid, 70_000));
                    break;
                case 10:
                    var huge = FrameBuilder.Standard();
                    huge.Length = (uint)(16 * 1024 * 1024) + (uint)_r.Next(int.MaxValue);
                    Add("huge-length", huge.Build());
                    break;
                default:
                    var shortLength = FrameBuilder.Standard();
                    shortLength.Length = (uint)_r.Next(0, 10 + 8);
                    Add("short-length", shortLength.Build());
                    break;
            }
        }

        private void AddMutated()
        {
            var raw = (byte[])_corpus[_r.Next(_corpus.Length)].Clone();
            switch (_r.Next(4))
            {
                case 0:
                    for (var i = 0; i < 1 + _r.Next(4); i++)
                    {
                        raw[_r.Next(raw.Length)] ^= (byte)(1 << _r.Next(8));
                    }

                    Add("bitflip", raw);
                    break;
                case 1:
                    // A prefix of one frame, then a whole frame: the stream of frames loses its boundaries.
                    Add("truncate", raw[.._r.Next(1, raw.Length)].Concat(_corpus[_r.Next(_corpus.Length)]).ToArray());
                    break;
                case 2:
                    var length = _r.Next(3) switch
                    {
                        0 => (uint)_r.Next(0, raw.Length - 4),
                        1 => (uint)(raw.Length - 4 + _r.Next(1, 4096)),
                        _ => (uint)_r.NextInt64(0, uint.MaxValue),
                    };
                    BinaryPrimitives.WriteUInt32BigEndian(raw, length);
                    Add("length-lie", raw);
                    break;
                default:
                    Add("random", RandomBytes(1, 300));
                    break;
            }
        }
    }
}
