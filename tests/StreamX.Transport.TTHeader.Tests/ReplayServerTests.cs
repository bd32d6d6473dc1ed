using System.Buffers;
using System.Net;
using System.Net.Sockets;
using StreamX.Examples.Echo;
using StreamX.Thrift;
using StreamX.Transport.TTHeader.Tests.Replay;
using StreamX.Transport.TTHeader.Tests.Support;
using Xunit.Abstractions;

namespace StreamX.Transport.TTHeader.Tests;

/// <summary>
/// Our StreamXServer in the Kitex server's seat: the captured client→server bytes of every scenario are replayed on
/// raw TCP connections (one per captured connection) to a StreamXServer hosting <see cref="OracleEcho"/> (our copy of
/// the Go oracle's handlers), and what our server answers must match the captured server→client frames semantically
/// (<see cref="FrameSemantics"/>) while our handlers log what the Go handlers logged (<c>server.jsonl</c>), error texts
/// included.
/// </summary>
/// <remarks>
/// <para>Replay is driven by frames, not wall time: before sending a client frame, the replay waits until our server
/// has sent every frame the Kitex server had sent on that stream before it in the capture. Pauses between EchoServer
/// responses are 0 except where order depends on them (cancel, timeout): there the handler sends as many responses as
/// the capture shows and then pauses until the client's Rst cancels it.</para>
/// <para>Semantic differences found (all intended, see the asserts):</para>
/// <list type="bullet">
/// <item>After a client Rst (cancel, cancel-bidi, timeout) Kitex's server still sends a Trailer for the dead stream
/// carrying exception type 6 <c>biz error: [ttstream error, code=…] [server-side stream] [canceled path: oracle-client] …</c>.
/// Ours sends nothing more for that stream: spec §3.2 allows skipping it, and Kitex clients ignore it (the stream is
/// gone from their table, spec §2.8).</item>
/// <item>Nothing else: headers, ids, methods, payloads and exception texts are equal, including
/// <c>biz error: oracle handler failure</c> (type 6) and the <c>biz-status</c>/<c>biz-message</c> trailer.</item>
/// </list>
/// </remarks>
public sealed class ReplayServerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>A stream id the captures never use, for the end-of-replay probe.</summary>
    private const int ProbeStreamId = 1000;

    public static TheoryData<string> Scenarios => new(ReplayScript.StreamingScenarios);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Our_server_answers_the_captured_client_frames_as_Kitex_did(string scenario)
    {
        var script = ReplayScript.Load(scenario);

        // Kitex's own frames after a client Rst (spec §3.2: a server may skip them; ours does).
        var resetAt = new Dictionary<(int, int), int>();
        var expected = new Dictionary<(int Connection, int StreamId), List<ScriptFrame>>();
        var skipped = new List<ScriptFrame>();
        foreach (var f in script.Frames)
        {
            if (f.ClientToServer && f.Frame.Type == FrameType.Rst)
            {
                resetAt.TryAdd(f.Key, f.Index);
            }
            else if (!f.ClientToServer)
            {
                if (resetAt.ContainsKey(f.Key))
                {
                    skipped.Add(f);
                }
                else
                {
                    (expected.TryGetValue(f.Key, out var list) ? list : expected[f.Key] = []).Add(f);
                }
            }
        }

        // cancel/timeout: send what the capture shows, then pause until the Rst (order, not time).
        var dataBeforeReset = script.Frames.Count(f => !f.ClientToServer && f.Frame.Type == FrameType.Data && !skipped.Contains(f));
        var echo = new OracleEcho
        {
            Pause = resetAt.Count > 0 && scenario != "cancel-bidi"
                ? (i, _, ct) => i < dataBeforeReset ? Task.CompletedTask : ct.UntilCanceled()
                : (_, _, _) => Task.CompletedTask,
        };
        await using var server = await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new StreamXServerOptions { ServiceName = "oracle-server" }, [TestService.TestServiceBase.BindService(echo)]);
        var connections = new Dictionary<int, RawFrameConnection>();
        try
        {
            var sentSoFar = new Dictionary<(int, int), int>();
            foreach (var f in script.Frames)
            {
                if (!connections.TryGetValue(f.Connection, out var connection))
                {
                    connections[f.Connection] = connection = await RawFrameConnection.ConnectAsync(server.LocalEndPoint, Timeout);
                }

                if (f.ClientToServer)
                {
                    var want = sentSoFar.GetValueOrDefault(f.Key);
                    await connection.WaitUntilAsync(r => r.Count(x => x.StreamId == f.StreamId) >= want, Timeout, $"{scenario}: our server's frames on stream {f.StreamId} before {f}");
                    await connection.SendAsync(f.Raw, Timeout);
                }
                else if (!skipped.Contains(f))
                {
                    sentSoFar[f.Key] = sentSoFar.GetValueOrDefault(f.Key) + 1;
                }
            }

            foreach (var ((conn, sid), frames) in expected)
            {
                await connections[conn].WaitUntilAsync(r => r.Count(x => x.StreamId == sid) >= frames.Count, Timeout, $"{scenario}: all {frames.Count} frames of stream {sid}");
            }

            // Every handler has returned and every stream has ended on the server; then a probe stream on each
            // connection: anything our server still had for the replayed streams is written before the probe's frames.
            await echo.WaitForEndedAsync(script.Streams.Count(), Timeout);
            await server.Dispatcher.WhenIdleAsync().WaitAsync(Timeout);
            foreach (var connection in connections.Values)
            {
                await ProbeAsync(connection);
            }

            var diffs = new List<string>();
            foreach (var (conn, connection) in connections)
            {
                var received = connection.Received.Where(r => r.StreamId != ProbeStreamId).ToList();
                foreach (var sid in received.Select(r => r.StreamId).Distinct().Where(s => !expected.ContainsKey((conn, s))))
                {
                    diffs.Add($"conn{conn}: frames for stream {sid} the capture has no server frames for");
                }

                foreach (var ((c, sid), frames) in expected.Where(e => e.Key.Connection == conn))
                {
                    var ours = received.Where(r => r.StreamId == sid).ToList();
                    if (ours.Count != frames.Count)
                    {
                        diffs.Add($"conn{c} stream {sid}: Kitex sent {frames.Count} frames [{string.Join("; ", frames.Select(x => FrameSemantics.Describe(x.Frame)))}], ours {ours.Count} [{string.Join("; ", ours.Select(FrameSemantics.Describe))}]");
                        continue;
                    }

                    for (var i = 0; i < frames.Count; i++)
                    {
                        diffs.AddRange(FrameSemantics.Differences(frames[i].Frame, ours[i], clientToServer: false).Select(d => $"conn{c} stream {sid} frame {i} ({frames[i].Frame.Type}): {d}"));
                    }
                }
            }

            // What our handlers saw equals what the Go handlers saw (error texts included).
            var goEvents = ReplayScript.Events(scenario, "server.jsonl").Select(ReplayScript.Render).ToList();
            var ourEvents = echo.Events.Select(e => e.Render()).ToList();
            if (scenario == "multi")
            {
                // Three concurrent streams: only the per-stream order is defined.
                goEvents.Sort(StringComparer.Ordinal);
                ourEvents.Sort(StringComparer.Ordinal);
            }

            if (!goEvents.SequenceEqual(ourEvents))
            {
                diffs.Add("handler events differ:\n  Go:   " + string.Join("\n        ", goEvents) + "\n  ours: " + string.Join("\n        ", ourEvents));
            }

            // The intended difference: the frames Kitex sends after a client Rst, which ours skips.
            foreach (var s in skipped)
            {
                output.WriteLine($"{scenario}: Kitex sent after the client's Rst (ours does not, spec §3.2): {FrameSemantics.Describe(s.Frame)}");
                Assert.Equal(FrameType.Trailer, s.Frame.Type);
                Assert.StartsWith("biz error: [ttstream error, code=", ExceptionPayload.Decode(s.Frame.Payload.Span).Message, StringComparison.Ordinal);
            }

            Assert.True(diffs.Count == 0, $"{scenario}:\n" + string.Join("\n", diffs));
            Assert.Equal(resetAt.Count > 0, skipped.Count > 0);
            Assert.All(connections.Values, c => Assert.False(c.Closed, "our server closed a replayed connection"));
        }
        finally
        {
            foreach (var c in connections.Values)
            {
                await c.DisposeAsync();
            }
        }
    }

    /// <summary>The handlers of the reset scenarios saw exactly the texts the Go handlers saw (the brief's headline case).</summary>
    [Theory]
    [InlineData("cancel", "[ttstream error, code=12007] [server-side stream] [canceled path: oracle-client] user code invoking stream RPC with context processed by context.WithCancel or context.WithTimeout, then invoking cancel() actively")]
    [InlineData("cancel-bidi", "[ttstream error, code=12007] [server-side stream] [canceled path: oracle-client] user code invoking stream RPC with context processed by context.WithCancel or context.WithTimeout, then invoking cancel() actively")]
    [InlineData("timeout", "[ttstream error, code=12015] [server-side stream] [canceled path: oracle-client] stream timeout, timeout in ctx: 499.949635ms")]
    public async Task A_replayed_client_reset_reaches_the_handler_with_Kitex_text(string scenario, string text)
    {
        var script = ReplayScript.Load(scenario);
        var seen = new TaskCompletionSource<(string Reason, int Code, string? Path)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new Handlers
        {
            // Pauses (EchoServer) or receives (Echo) until the reset, then reports what the token said.
            OnCall = async (ctx, recv) =>
            {
                started.TrySetResult();
                try
                {
                    await recv(ctx.CancellationToken);
                }
                catch (OperationCanceledException) when (ctx.CancellationToken.IsCancellationRequested)
                {
                }

                seen.TrySetResult((ctx.CancelReason!.Text, ctx.CancelReason.Code, ctx.CancelReason.CanceledPath));
            },
        };
        await using var server = await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new StreamXServerOptions(), [TestService.TestServiceBase.BindService(service)]);
        await using var connection = await RawFrameConnection.ConnectAsync(server.LocalEndPoint, Timeout);
        foreach (var f in script.Frames.Where(f => f.ClientToServer))
        {
            if (f.Frame.Type == FrameType.Rst)
            {
                // A reset before the handler started would cancel the call before it exists (the request is never read).
                await started.Task.WaitAsync(Timeout);
            }

            await connection.SendAsync(f.Raw, Timeout);
        }

        var (reason, code, path) = await seen.Task.WaitAsync(Timeout);
        Assert.Equal(text, reason);
        Assert.Equal(text, ReplayScript.Events(scenario, "server.jsonl").Last().GetProperty("ctx_err").GetString());
        Assert.Equal(scenario == "timeout" ? 12015 : 12007, code);
        Assert.Equal("oracle-client", path);
    }

    [Theory]
    [InlineData("pingpong")]
    [InlineData("pingpong-ttheader")]
    public async Task Our_server_answers_the_captured_unary_call_as_Kitex_did(string scenario)
    {
        var call = Captures.Of(scenario).Single(f => f.Direction == "c2s").Raw;
        var kitexReply = Captures.Of(scenario).Single(f => f.Direction == "s2c").Raw;
        var echo = new OracleEcho();
        await using var server = await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new StreamXServerOptions(), [TestService.TestServiceBase.BindService(echo)]);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(server.LocalEndPoint, cts.Token);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(call, cts.Token);

        // Read exactly as many bytes as the reply announces (4-byte length prefix in both shapes).
        var length = new byte[4];
        await stream.ReadExactlyAsync(length, cts.Token);
        var rest = new byte[System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(length)];
        await stream.ReadExactlyAsync(rest, cts.Token);
        var ours = length.Concat(rest).ToArray();

        UnaryMessage kitexMessage, ourMessage;
        if (scenario == "pingpong")
        {
            kitexMessage = ReadFramed(kitexReply);
            ourMessage = ReadFramed(ours);
        }
        else
        {
            var k = ReadTTHeader(kitexReply);
            var o = ReadTTHeader(ours);
            Assert.Equal(k.SequenceId, o.SequenceId);
            Assert.Equal(k.Flags, o.Flags);
            Assert.Equal(k.FramedPayload, o.FramedPayload);
            Assert.Equal(FrameSemantics.Render(k.StringHeaders), FrameSemantics.Render(o.StringHeaders));
            Assert.Equal(k.IntHeaders.Count, o.IntHeaders.Count);
            kitexMessage = k.Message;
            ourMessage = o.Message;
        }

        Assert.Equal(kitexMessage.Method, ourMessage.Method);
        Assert.Equal(kitexMessage.Type, ourMessage.Type);
        Assert.Equal(kitexMessage.SequenceId, ourMessage.SequenceId);
        Assert.Equal(
            ThriftSerializer.Deserialize<TestService.PingPongResult>(kitexMessage.Body.Span, ThriftProtocol.Binary),
            ThriftSerializer.Deserialize<TestService.PingPongResult>(ourMessage.Body.Span, ThriftProtocol.Binary));

        // Semantically equal; as it happens byte-identical too (one struct, no header entries).
        Assert.Equal(Hex.Of(kitexReply), Hex.Of(ours));
        var goEvents = ReplayScript.Events(scenario, "server.jsonl").Select(ReplayScript.Render);
        Assert.Equal(goEvents, echo.Events.Select(e => e.Render()));
    }

    private static UnaryMessage ReadFramed(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.True(FramedCodec.TryRead(ref buffer, default, out var message));
        return message!;
    }

    private static UnaryTTHeaderPacket ReadTTHeader(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.True(UnaryTTHeaderCodec.TryRead(ref buffer, default, out var packet));
        return packet!;
    }

    private static async Task ProbeAsync(RawFrameConnection connection)
    {
        var method = "EchoServer";
        var request = ThriftSerializer.Serialize(new Request { Message = "probe,count:1,delay:0" }, ThriftProtocol.Binary);
        await connection.SendAsync(Codec.Encode(Frame.Create(FrameType.Header, ProbeStreamId, method, new Dictionary<string, string> { ["isn"] = TestService.ServiceName })), Timeout);
        await connection.SendAsync(Codec.Encode(Frame.Create(FrameType.Data, ProbeStreamId, method, payload: request)), Timeout);
        await connection.SendAsync(Codec.Encode(Frame.Create(FrameType.Trailer, ProbeStreamId, method)), Timeout);
        await connection.WaitUntilAsync(r => r.Any(f => f.StreamId == ProbeStreamId && f.Type == FrameType.Trailer), Timeout, "the probe stream's Trailer");
    }

    /// <summary>A TestService whose streaming handlers all run one callback with a "wait for the next thing" function.</summary>
    private sealed class Handlers : TestService.TestServiceBase
    {
        public required Func<ServerCallContext, Func<CancellationToken, Task>, Task> OnCall { get; init; }

        public override Task EchoServerAsync(Request req, MessageWriter<Response> responses, ServerCallContext context) =>
            OnCall(context, ct => ct.UntilCanceled());

        public override Task EchoAsync(MessageReader<Request> requests, MessageWriter<Response> responses, ServerCallContext context) =>
            OnCall(context, async ct =>
            {
                while (await requests.RecvAsync(ct) is not null)
                {
                }

                await ct.UntilCanceled();
            });
    }
}
