using System.Text.Json;
using StreamX.Examples.Echo;
using StreamX.Transport.TTHeader.Tests.Replay;
using StreamX.Transport.TTHeader.Tests.Support;
using Xunit.Abstractions;

namespace StreamX.Transport.TTHeader.Tests;

/// <summary>
/// Our client in the Kitex client's seat: <see cref="TTHeaderClientTransport"/> and the generated
/// <c>TestServiceClient</c> (service name <c>oracle-client</c>, like the Go client's <c>-from</c>) do what the Go client
/// did in each scenario against <see cref="FakeKitexServer"/>, which answers with the captured Kitex server bytes
/// and checks every frame our client sends against the captured Go client frames. Our client must then report
/// exactly what the Go client reported (<c>client.jsonl</c>).
/// </summary>
/// <remarks>
/// <para>Semantic differences found between our client's frames/results and Kitex's:</para>
/// <list type="bullet">
/// <item>Stream ids: ours count from 1 per connection, Kitex's from a process-global counter (the <c>multi</c> capture
/// has ids 1, 2 on one connection and 3 on the other; ours are 1, 2 and 1). Both are valid (spec §1.2); the fake
/// server patches the ids in Kitex's answers.</item>
/// <item>timeout: the Rst message is <c>stream timeout, timeout in ctx: 1s</c> — the configured timeout, formatted
/// like Go — where Kitex wrote the remaining time it measured at stream creation (<c>499.949635ms</c> for its 500ms);
/// code 12015, side, <c>ttscp</c> and the message prefix are equal. (The test uses 1s instead of 500ms for headroom.)</item>
/// <item>bizerr: our client delivers both messages that preceded the business-error Trailer, then throws
/// <see cref="BizStatusException"/> (4001, <c>oracle biz failure</c>); the Go client reported the biz error after one
/// message (its wrapper quirk, spec §10). Error text, code and message are equal.</item>
/// <item>Unary: ours sends PingPong as a TTHeader unary packet (like <c>-unary ttheader</c>) carrying string header
/// <c>isn=TestService</c>; Kitex's TTHeader packet has no info blocks. Kitex servers accept both. The Go client's
/// default Framed shape (<c>pingpong</c>) is not something our client sends.</item>
/// <item>API only (not wire): with no string block in the server's Header/Trailer, our headers/trailers are empty maps
/// where Go's <c>Header()</c>/<c>Trailer()</c> give nil / <c>stream is closed</c>.</item>
/// </list>
/// </remarks>
public sealed class ReplayClientTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The stream deadline of the timeout scenario. Kitex's client had 500ms; ours gets headroom so that the three
    /// captured messages surely arrive first on a loaded machine (the message differs by its duration anyway).
    /// </summary>
    private static readonly TimeSpan StreamTimeout = TimeSpan.FromSeconds(1);

    private const string StreamTimeoutText = "1s";

    private const string UserCanceled = "[ttstream error, code=12007] [client-side stream] user code invoking stream RPC with context processed by context.WithCancel or context.WithTimeout, then invoking cancel() actively";

    public static TheoryData<string> Scenarios => new(ReplayScript.StreamingScenarios);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Our_client_sends_what_the_Go_client_sent_and_reports_what_it_reported(string scenario)
    {
        var script = ReplayScript.Load(scenario);
        var goEvents = ReplayScript.Events(scenario, "client.jsonl");
        var goEnds = goEvents.Where(e => e.GetProperty("event").GetString() == "client_end").ToList();

        // Timeout: the message carries a duration (ours: the configured one; Kitex's: the remaining time it measured).
        Func<string, string, bool>? messages = scenario == "timeout" ? SameTimeoutMessage : null;
        await using var fake = new FakeKitexServer(script, messages);
        var poolSize = script.Connections.Count();
        await using var transport = new TTHeaderClientTransport(fake.EndPoint, new TTHeaderClientOptions { MuxPoolSize = poolSize });
        var client = new TestService.TestServiceClient(transport, new StreamXClientOptions { ServiceName = "oracle-client" });
        try
        {
            switch (scenario)
            {
                case "server" or "servererr" or "bizerr" or "server-meta" or "multi":
                    var requests = script.Frames.Where(f => f.ClientToServer && f.Frame.Type == FrameType.Data).Select(f => Decode<Request>(f.Frame)).ToList();
                    var options = scenario == "server-meta"
                        ? new CallOptions { PersistentMetainfo = new Dictionary<string, string> { ["p1"] = "pv1" }, TransientMetainfo = new Dictionary<string, string> { ["t1"] = "tv1" } }
                        : null;
                    var results = await Task.WhenAll(requests.Select(r => RunServerStreamingAsync(client, r, options)));
                    for (var i = 0; i < results.Length; i++)
                    {
                        var (messages2, end, headers, trailers) = results[i];
                        var prefix = requests[i].Message!;
                        var goRecv = goEvents.Where(e => e.GetProperty("event").GetString() == "client_recv" && e.GetProperty("message").GetString()!.StartsWith(prefix + "#", StringComparison.Ordinal)).Select(e => e.GetProperty("message").GetString()).ToList();
                        var goEnd = scenario == "multi" ? goEnds[i] : goEnds.Single();
                        if (scenario == "bizerr")
                        {
                            // Intended difference: every message before the biz-error Trailer is delivered (Go's wrapper reported 1 of 2).
                            Assert.Equal(1, goEnd.GetProperty("recv_count").GetInt32());
                            Assert.Equal(Sent(script, (1, 1)), messages2);
                            var biz = Assert.IsType<BizStatusException>(end);
                            Assert.Equal(goEnd.GetProperty("err").GetString(), biz.Message);
                            Assert.Equal(goEnd.GetProperty("biz_code").GetInt32(), biz.StatusCode);
                            Assert.Equal(goEnd.GetProperty("biz_msg").GetString(), biz.StatusMessage);
                            continue;
                        }

                        Assert.Equal(goRecv, messages2);
                        AssertEnd(goEnd, end);
                        Assert.Equal(goEnd.TryGetProperty("header", out var h) && h.ValueKind == JsonValueKind.Object ? Render(h) : string.Empty, FrameSemantics.Render(headers));
                        if (end is null)
                        {
                            Assert.Equal(goEnd.TryGetProperty("trailer", out var t) && t.ValueKind == JsonValueKind.Object ? Render(t) : string.Empty, FrameSemantics.Render(trailers!));
                        }
                    }

                    break;
                case "client":
                {
                    var call = client.EchoClient();
                    foreach (var f in script.Frames.Where(f => f.ClientToServer && f.Frame.Type == FrameType.Data))
                    {
                        await call.SendAsync(Decode<Request>(f.Frame)).AsTask().WaitAsync(Timeout);
                    }

                    var response = await call.CloseAndRecvAsync().WaitAsync(Timeout);
                    Assert.Equal(goEnds.Single().GetProperty("response").GetString(), response.Message);
                    Assert.Equal(string.Empty, goEnds.Single().GetProperty("err").GetString());
                    break;
                }

                case "bidi":
                {
                    var call = client.Echo();
                    var echoed = new List<string?>();
                    foreach (var f in script.Frames.Where(f => f.ClientToServer && f.Frame.Type == FrameType.Data))
                    {
                        await call.SendAsync(Decode<Request>(f.Frame)).AsTask().WaitAsync(Timeout);
                        echoed.Add((await call.RecvAsync().AsTask().WaitAsync(Timeout))!.Message);
                    }

                    await call.CloseSendAsync().AsTask().WaitAsync(Timeout);
                    Assert.Null(await call.RecvAsync().AsTask().WaitAsync(Timeout));
                    Assert.Equal(goEnds.Single().GetProperty("echoed").GetString(), string.Join("|", echoed));
                    Assert.Equal("EOF", goEnds.Single().GetProperty("err").GetString());
                    break;
                }

                case "cancel" or "timeout":
                {
                    using var cts = new CancellationTokenSource();
                    var request = Decode<Request>(script.Frames.First(f => f.ClientToServer && f.Frame.Type == FrameType.Data).Frame);
                    var call = client.EchoServer(request, scenario == "timeout" ? new CallOptions { Timeout = StreamTimeout } : null, cts.Token);
                    var received = new List<string?>();
                    var after = goEvents.Where(e => e.GetProperty("event").GetString() == "client_recv").Count();
                    for (var i = 0; i < after; i++)
                    {
                        received.Add((await call.RecvAsync().AsTask().WaitAsync(Timeout))!.Message);
                    }

                    if (scenario == "cancel")
                    {
                        cts.Cancel();
                    }

                    // timeout: this receive waits until the stream deadline.
                    var error = await Record(() => call.RecvAsync().AsTask().WaitAsync(Timeout));
                    Assert.Equal(goEvents.Where(e => e.GetProperty("event").GetString() == "client_recv").Select(e => e.GetProperty("message").GetString()), received);
                    AssertEnd(goEnds.Single(), error);
                    break;
                }

                case "cancel-bidi":
                {
                    using var cts = new CancellationTokenSource();
                    var call = client.Echo(null, cts.Token);
                    var sends = script.Frames.Where(f => f.ClientToServer && f.Frame.Type == FrameType.Data).ToList();
                    foreach (var f in sends)
                    {
                        await call.SendAsync(Decode<Request>(f.Frame)).AsTask().WaitAsync(Timeout);
                        await call.RecvAsync().AsTask().WaitAsync(Timeout);
                    }

                    cts.Cancel();
                    var recvError = await Record(() => call.RecvAsync().AsTask().WaitAsync(Timeout));
                    var sendError = await Record(() => call.SendAsync(new Request { Message = "after-cancel" }).AsTask().WaitAsync(Timeout));
                    AssertEnd(goEnds.Single(), recvError);
                    AssertEnd(goEvents.Single(e => e.GetProperty("event").GetString() == "client_send_after_cancel"), sendError);
                    break;
                }

                default:
                    throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null);
            }

            // One probe per pooled connection (round robin): every frame our client sent before is checked by then.
            for (var i = 0; i < poolSize; i++)
            {
                var probe = client.Echo(new CallOptions { Headers = new Dictionary<string, string> { [FakeKitexServer.ProbeHeader] = "1" } });
                Assert.Null(await probe.RecvAsync().AsTask().WaitAsync(Timeout));
            }
        }
        finally
        {
            foreach (var line in fake.Log)
            {
                output.WriteLine(line);
            }
        }

        Assert.True(fake.Differences.Count == 0, $"{scenario}:\n" + string.Join("\n", fake.Differences));
        var bindings = fake.Bindings;
        Assert.Equal(script.Streams.Count(), bindings.Count);
        Assert.All(bindings, b => Assert.True(b.Complete, $"captured stream {b.CapturedStreamId}: our client stopped before sending every frame Kitex's did"));
        if (scenario == "multi")
        {
            // Kitex: ids 1, 2 on one connection and 3 on the other (global counter). Ours: per connection from 1.
            Assert.Equal([1, 2, 3], bindings.Select(b => b.CapturedStreamId).Order());
            Assert.All(bindings.GroupBy(b => b.OurConnection), g => Assert.Equal(Enumerable.Range(1, g.Count()), g.Select(b => b.OurStreamId).Order()));
        }
        else
        {
            Assert.All(bindings, b => Assert.Equal(b.CapturedStreamId, b.OurStreamId));
        }
    }

    [Fact]
    public async Task Our_unary_call_matches_the_captured_TTHeader_unary_call()
    {
        var script = ReplayScript.LoadUnary("pingpong-ttheader");
        await using var fake = new FakeKitexServer(script);
        await using var transport = new TTHeaderClientTransport(fake.EndPoint);
        var client = new TestService.TestServiceClient(transport, new StreamXClientOptions { ServiceName = "oracle-client" });

        var response = await client.PingPongAsync(new Request { Message = "ping" }).WaitAsync(Timeout);
        Assert.Equal(ReplayScript.Events("pingpong-ttheader", "client.jsonl").Single().GetProperty("response").GetString(), response.Message);

        var kitexCall = Captures.Of("pingpong-ttheader").Single(f => f.Direction == "c2s").Raw;
        var buffer = new System.Buffers.ReadOnlySequence<byte>(kitexCall);
        Assert.True(UnaryTTHeaderCodec.TryRead(ref buffer, default, out var kitex));
        var ours = Assert.Single(fake.UnaryRequests);
        Assert.Equal(kitex!.SequenceId, ours.SequenceId);
        Assert.Equal(kitex.Flags, ours.Flags);
        Assert.Equal(kitex.FramedPayload, ours.FramedPayload);
        Assert.Equal(kitex.Message.Method, ours.Message.Method);
        Assert.Equal(kitex.Message.Type, ours.Message.Type);
        Assert.Equal(kitex.Message.SequenceId, ours.Message.SequenceId);
        Assert.Equal(Hex.Of(kitex.Message.Body.Span), Hex.Of(ours.Message.Body.Span));
        Assert.Empty(kitex.IntHeaders);
        Assert.Empty(ours.IntHeaders);

        // The one difference: Kitex's unary packet has no string headers, ours names the service (Kitex servers accept both).
        Assert.Empty(kitex.StringHeaders);
        Assert.Equal("isn=TestService", FrameSemantics.Render(ours.StringHeaders));
    }

    private static bool SameTimeoutMessage(string kitex, string ours)
    {
        const string Prefix = "stream timeout, timeout in ctx: ";
        return kitex.StartsWith(Prefix, StringComparison.Ordinal) && ours.StartsWith(Prefix, StringComparison.Ordinal)
            && kitex.EndsWith("ms", StringComparison.Ordinal) && ours == Prefix + StreamTimeoutText;
    }

    /// <summary>Go's <c>client_end</c> (or <c>client_send_after_cancel</c>) against how our call ended.</summary>
    private static void AssertEnd(JsonElement go, Exception? ours)
    {
        var err = go.GetProperty("err").GetString()!;
        if (err is "EOF" or "")
        {
            Assert.Null(ours);
            return;
        }

        Assert.NotNull(ours);
        var code = Assert.IsAssignableFrom<IStreamXError>(ours).Error.Code;
        Assert.Equal(go.GetProperty("type_id").GetInt32(), code);
        if (code == 12015)
        {
            // [ttstream error, code=12015] [client-side stream] stream timeout, timeout in ctx: 499.949635ms (Kitex) / 1s (ours).
            const string Prefix = "[ttstream error, code=12015] [client-side stream] stream timeout, timeout in ctx: ";
            Assert.StartsWith(Prefix, err, StringComparison.Ordinal);
            Assert.Equal(Prefix + StreamTimeoutText, ours!.Message);
            return;
        }

        Assert.Equal(err, ours!.Message);
        if (code == 12007)
        {
            Assert.Equal(UserCanceled, ours.Message);
            Assert.IsType<StreamXCanceledException>(ours);
        }
    }

    private static async Task<(List<string?> Messages, Exception? End, IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string>? Trailers)> RunServerStreamingAsync(TestService.TestServiceClient client, Request request, CallOptions? options)
    {
        var call = client.EchoServer(request, options);
        var messages = new List<string?>();
        Exception? end = null;
        try
        {
            while (await call.RecvAsync().AsTask().WaitAsync(Timeout) is { } response)
            {
                messages.Add(response.Message);
            }
        }
        catch (Exception e) when (e is not TimeoutException)
        {
            end = e;
        }

        var headers = await call.GetHeadersAsync().WaitAsync(Timeout);
        var trailers = await call.GetTrailersAsync().WaitAsync(Timeout);
        return (messages, end, headers, trailers);
    }

    private static async Task<Exception?> Record(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception e) when (e is not TimeoutException)
        {
            return e;
        }
    }

    private static List<string?> Sent(ReplayScript script, (int, int) stream) =>
        script.Of(stream).Where(f => !f.ClientToServer && f.Frame.Type == FrameType.Data).Select(f => Decode<Response>(f.Frame).Message).ToList();

    private static string Render(JsonElement map) =>
        string.Join(", ", map.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Name + "=" + p.Value.GetString()));

    private static T Decode<T>(Frame frame)
        where T : class, StreamX.Thrift.IThriftStruct<T> =>
        StreamX.Thrift.ThriftSerializer.Deserialize<T>(frame.Payload.Span, StreamX.Thrift.ThriftProtocol.Binary);
}
