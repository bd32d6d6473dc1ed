using System.Diagnostics;
using StreamX.Examples.Echo;
using StreamX.Runtime.Conformance.Tests.Infrastructure;
using static StreamX.Runtime.Conformance.Tests.Infrastructure.EchoService;
using static StreamX.Runtime.Conformance.Tests.Infrastructure.KitexTexts;

namespace StreamX.Runtime.Conformance.Tests;

/// <summary>
/// Traces and metrics (docs/observability.md) over every transport: spans of both sides parented across
/// the wire, their attributes and outcomes (an error, the caller's own cancel, a cancel from upstream),
/// one trace through A → B → C, and the metrics with their tags and message counts. Each test keeps only
/// its own trace and its own service's measurements (<see cref="TelemetryCapture"/>).
/// </summary>
public abstract partial class StreamConformanceTests
{
    /// <summary>The transport's <c>streamx.transport</c> name.</summary>
    protected abstract string TransportName { get; }

    public static TheoryData<StreamingMode> Modes => new(StreamingMode.Unary, StreamingMode.ClientStreaming, StreamingMode.ServerStreaming, StreamingMode.Bidirectional);

    /// <summary>Starts a server of the transport under test for <paramref name="service"/> bound under the capture's service name.</summary>
    protected async Task<(IConformanceHost Host, ObservedService.Client Client)> StartObservedAsync(TelemetryCapture capture, EchoService service, StreamXServerOptions? serverOptions = null, StreamXClientOptions? clientOptions = null)
    {
        var host = await StartServerAsync(serverOptions ?? new StreamXServerOptions { ServiceName = "server" }, ObservedService.Bind(capture.Service, service));
        return (host, new ObservedService.Client(capture.Service, host.CreateClientTransport(), clientOptions ?? new StreamXClientOptions { ServiceName = "client" }));
    }

    /// <summary>Echoes in every mode: unary once, client streaming joined, server streaming three times, bidirectional each message.</summary>
    protected static EchoService Echoing() => new()
    {
        PingPong = (req, ctx) => Task.FromResult(Res(req.Message!)),
        Echo = async (requests, responses, ctx) =>
        {
            await foreach (var r in requests)
            {
                await responses.SendAsync(Res(r.Message!));
            }
        },
        EchoClient = async (requests, ctx) =>
        {
            var parts = new List<string>();
            await foreach (var r in requests)
            {
                parts.Add(r.Message!);
            }

            return Res(string.Join(",", parts));
        },
        EchoServer = async (req, responses, ctx) =>
        {
            for (var i = 0; i < 3; i++)
            {
                await responses.SendAsync(Res($"{req.Message}#{i}"));
            }
        },
    };

    /// <summary>One call of <paramref name="mode"/> to <see cref="Echoing"/>; returns how many messages the client sent and received.</summary>
    protected static async Task<(int Sent, int Received)> CallAsync(ObservedService.Client client, StreamingMode mode)
    {
        switch (mode)
        {
            case StreamingMode.Unary:
                Assert.Equal("u", (await client.PingPongAsync(Req("u")).Within()).Message);
                return (1, 1);
            case StreamingMode.ClientStreaming:
            {
                await using var call = client.EchoClient();
                for (var i = 0; i < 4; i++)
                {
                    await call.SendAsync(Req($"a{i}")).Within();
                }

                Assert.Equal("a0,a1,a2,a3", (await call.CloseAndRecvAsync().Within()).Message);

                // Waiting for the end of the stream: disposing the call before it would reset it.
                await call.GetTrailersAsync().Within();
                return (4, 1);
            }

            case StreamingMode.ServerStreaming:
            {
                await using var call = client.EchoServer(Req("s"));
                var received = new List<string>();
                await foreach (var r in call.Within())
                {
                    received.Add(r.Message!);
                }

                Assert.Equal(["s#0", "s#1", "s#2"], received);
                return (1, 3);
            }

            default:
            {
                await using var call = client.Echo();
                for (var i = 0; i < 2; i++)
                {
                    await call.SendAsync(Req($"b{i}")).Within();
                    Assert.Equal($"b{i}", (await call.RecvAsync().Within())!.Message);
                }

                await call.CloseSendAsync().Within();
                Assert.Null(await call.RecvAsync().Within());
                return (2, 2);
            }
        }
    }

    protected static string MethodOf(StreamingMode mode) => mode switch
    {
        StreamingMode.Unary => "PingPong",
        StreamingMode.ClientStreaming => "EchoClient",
        StreamingMode.ServerStreaming => "EchoServer",
        _ => "Echo",
    };

    private static string ModeTag(StreamingMode mode) => mode switch
    {
        StreamingMode.Unary => "unary",
        StreamingMode.ClientStreaming => "client",
        StreamingMode.ServerStreaming => "server",
        _ => "bidirectional",
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Telemetry_EveryMode_ClientAndServerSpans_AreParentAndChildAcrossTheWire(StreamingMode mode)
    {
        using var capture = new TelemetryCapture();
        var (host, client) = await StartObservedAsync(capture, Echoing());
        await using var _ = host;

        await CallAsync(client, mode);
        Assert.Same(capture.Root, Activity.Current); // the call's span was never left current for its caller

        var name = $"{capture.Service}/{MethodOf(mode)}";
        var clientSpan = await capture.SpanAsync(ActivityKind.Client, name);
        var serverSpan = await capture.SpanAsync(ActivityKind.Server, name);
        Assert.Equal(capture.Root!.SpanId, clientSpan.ParentSpanId);
        Assert.Equal(clientSpan.SpanId, serverSpan.ParentSpanId);
        Assert.Equal(capture.TraceId, serverSpan.TraceId);
        foreach (var span in new[] { clientSpan, serverSpan })
        {
            Assert.Equal("StreamX", span.Source.Name);
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
            Assert.Equal("streamx", span.GetTagItem("rpc.system.name"));
            Assert.Equal("streamx", span.GetTagItem("rpc.system"));
            Assert.Equal(capture.Service, span.GetTagItem("rpc.service"));
            Assert.Equal(name, span.GetTagItem("rpc.method"));
            Assert.Equal(ModeTag(mode), span.GetTagItem("streamx.streaming_mode"));
            Assert.Equal(TransportName, span.GetTagItem("streamx.transport"));
            Assert.Null(span.GetTagItem("error.type"));
            Assert.Null(span.GetTagItem("streamx.error.code"));
            Assert.DoesNotContain(span.Events, e => e.Name == "rpc.message"); // off unless enabled
        }

        if (TransportName != "inmemory")
        {
            Assert.Equal("127.0.0.1", clientSpan.GetTagItem("server.address"));
            Assert.IsType<int>(clientSpan.GetTagItem("server.port"));
            Assert.Equal(clientSpan.GetTagItem("server.port"), serverSpan.GetTagItem("server.port"));
            Assert.Equal("tcp", clientSpan.GetTagItem("network.transport"));
            Assert.NotNull(serverSpan.GetTagItem("network.peer.address"));
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Telemetry_EveryMode_Metrics_CountCallsAndMessages_WithTheCallsTags(StreamingMode mode)
    {
        using var capture = new TelemetryCapture();
        var (host, client) = await StartObservedAsync(capture, Echoing());
        await using var _ = host;

        var (sent, received) = await CallAsync(client, mode);

        var name = $"{capture.Service}/{MethodOf(mode)}";
        var all = await capture.MeasurementsAsync(m => m.Any(x => x.Instrument == "rpc.client.call.duration") && m.Any(x => x.Instrument == "rpc.server.call.duration"));
        foreach (var instrument in new[] { "rpc.client.call.duration", "rpc.server.call.duration" })
        {
            var duration = Assert.Single(all, m => m.Instrument == instrument);
            Assert.Equal("s", duration.Unit);
            Assert.InRange(duration.Value, 0, Await.Timeout.TotalSeconds);
            Assert.Equal("streamx", duration.Tag("rpc.system.name"));
            Assert.Equal(capture.Service, duration.Tag("rpc.service"));
            Assert.Equal(name, duration.Tag("rpc.method"));
            Assert.Equal(ModeTag(mode), duration.Tag("streamx.streaming_mode"));
            Assert.Equal(TransportName, duration.Tag("streamx.transport"));
            Assert.Null(duration.Tag("error.type"));
            Assert.Null(duration.Tag("streamx.error.code"));
        }

        Assert.Equal(sent, capture.Sum("streamx.client.messages.sent", name));
        Assert.Equal(received, capture.Sum("streamx.client.messages.received", name));
        Assert.Equal(sent, capture.Sum("streamx.server.messages.received", name));
        Assert.Equal(received, capture.Sum("streamx.server.messages.sent", name));
        Assert.Equal(1, capture.Sum("streamx.client.calls.started", name));
        Assert.Equal(1, capture.Sum("streamx.server.calls.started", name));
        Assert.Equal(0, capture.Sum("streamx.client.calls.active", name));
        Assert.Equal(0, capture.Sum("streamx.server.calls.active", name));
        Assert.Equal(2, capture.Measurements.Count(m => m.Instrument == "streamx.client.calls.active")); // +1, then -1
    }

    [Fact]
    public async Task Telemetry_ClientStreaming_DisposedRightAfterItsResponse_IsASuccessNotACancel()
    {
        using var capture = new TelemetryCapture();
        var (host, client) = await StartObservedAsync(capture, Echoing());
        await using var _ = host;

        await using (var call = client.EchoClient())
        {
            await call.SendAsync(Req("only")).Within();
            Assert.Equal("only", (await call.CloseAndRecvAsync().Within()).Message);
        }

        var clientSpan = await capture.SpanAsync(ActivityKind.Client, $"{capture.Service}/EchoClient");
        Assert.Equal(ActivityStatusCode.Unset, clientSpan.Status);
        Assert.Null(clientSpan.GetTagItem("streamx.canceled"));
        Assert.Null(clientSpan.GetTagItem("streamx.error.code"));
    }

    [Fact]
    public async Task Telemetry_HandlerFails_BothSpansAreErrors_WithTheStreamXCode()
    {
        using var capture = new TelemetryCapture();
        var service = new EchoService
        {
            EchoServer = async (req, responses, ctx) =>
            {
                await responses.SendAsync(Res("first"));
                throw new InvalidOperationException("boom");
            },
        };
        var (host, client) = await StartObservedAsync(capture, service);
        await using var _ = host;

        await using var call = client.EchoServer(Req("x"));
        Assert.Equal("first", (await call.RecvAsync().Within())!.Message);
        var error = await Await.Throws<StreamXException>(async () => await call.RecvAsync());
        Assert.Equal(12001, error.Code);

        var name = $"{capture.Service}/EchoServer";
        var clientSpan = await capture.SpanAsync(ActivityKind.Client, name);
        Assert.Equal(ActivityStatusCode.Error, clientSpan.Status);
        Assert.Equal(error.Message, clientSpan.StatusDescription);
        Assert.Equal("12001", clientSpan.GetTagItem("error.type"));
        Assert.Equal(12001, clientSpan.GetTagItem("streamx.error.code"));
        Assert.Contains(clientSpan.Events, e => e.Name == "exception");

        var serverSpan = await capture.SpanAsync(ActivityKind.Server, name);
        Assert.Equal(ActivityStatusCode.Error, serverSpan.Status);
        Assert.Equal("12001", serverSpan.GetTagItem("error.type"));
        Assert.Equal(12001, serverSpan.GetTagItem("streamx.error.code"));
        var thrown = Assert.Single(serverSpan.Events, e => e.Name == "exception");
        Assert.Equal("System.InvalidOperationException", thrown.Tags.First(t => t.Key == "exception.type").Value);

        var durations = await capture.MeasurementsAsync(m => m.Count(x => x.Instrument.EndsWith(".call.duration", StringComparison.Ordinal)) == 2);
        Assert.All(durations.Where(m => m.Instrument.EndsWith(".call.duration", StringComparison.Ordinal)), d =>
        {
            Assert.Equal("12001", d.Tag("error.type"));
            Assert.Equal(12001, d.Tag("streamx.error.code"));
        });
    }

    [Fact]
    public async Task Telemetry_CallerCancels_ClientSpanIsNotAnError_ServerSpanRecordsTheUpstreamCancel()
    {
        using var capture = new TelemetryCapture();
        var probe = new CancelProbe();
        var (host, client) = await StartObservedAsync(capture, probe.Service(echoFirst: true));
        await using var _ = host;
        using var cts = new CancellationTokenSource();

        await using var call = client.Echo(cancellationToken: cts.Token);
        await call.SendAsync(Req("m")).Within();
        Assert.Equal("m", (await call.RecvAsync().Within())!.Message);
        await probe.Started.Task.Within();
        await cts.CancelAsync();
        Assert.Equal(12007, (await probe.TokenFired.Task.Within())!.Code);

        var name = $"{capture.Service}/Echo";
        var clientSpan = await capture.SpanAsync(ActivityKind.Client, name);
        Assert.Equal(ActivityStatusCode.Unset, clientSpan.Status);
        Assert.Equal(true, clientSpan.GetTagItem("streamx.canceled"));
        Assert.Equal(12007, clientSpan.GetTagItem("streamx.error.code"));
        Assert.Null(clientSpan.GetTagItem("error.type"));
        var clientEvent = Assert.Single(clientSpan.Events, e => e.Name == "streamx.canceled");
        Assert.Equal($"[ttstream error, code=12007] [client-side stream] {UserCancelText}", clientEvent.Tags.First(t => t.Key == "streamx.error.message").Value);

        var serverSpan = await capture.SpanAsync(ActivityKind.Server, name);
        Assert.Equal(ActivityStatusCode.Unset, serverSpan.Status);
        Assert.Equal(true, serverSpan.GetTagItem("streamx.canceled"));
        Assert.Equal(12007, serverSpan.GetTagItem("streamx.error.code"));
        Assert.Equal("client", serverSpan.GetTagItem("streamx.canceled_path"));
        Assert.Null(serverSpan.GetTagItem("error.type"));
        var serverEvent = Assert.Single(serverSpan.Events, e => e.Name == "streamx.canceled");
        Assert.Equal($"[ttstream error, code=12007] [server-side stream] [canceled path: client] {UserCancelText}", serverEvent.Tags.First(t => t.Key == "streamx.error.message").Value);

        var durations = await capture.MeasurementsAsync(m => m.Count(x => x.Instrument.EndsWith(".call.duration", StringComparison.Ordinal)) == 2);
        Assert.All(durations.Where(m => m.Instrument.EndsWith(".call.duration", StringComparison.Ordinal)), d =>
        {
            Assert.Equal(12007, d.Tag("streamx.error.code"));
            Assert.Null(d.Tag("error.type"));
        });
    }

    /// <summary>
    /// A call to a method the server does not serve is a failed server call named <c>_OTHER</c> (OpenTelemetry's bounded
    /// value), the asked-for name in <c>rpc.method_original</c>, in the client's trace, and counted in the server's metrics.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Telemetry_UnknownMethod_IsAFailedServerCallNamedOther(bool unary)
    {
        using var capture = new TelemetryCapture();
        var (host, client) = await StartObservedAsync(capture, Echoing());
        await using var _ = host;

        if (unary)
        {
            await Await.Throws<Exception>(() => client.UnaryAsync("NoSuchUnary", Req("x")));
        }
        else
        {
            await using var call = client.ServerStreaming("NoSuchStream", Req("x"));
            await Await.Throws<Exception>(async () => await call.RecvAsync());
        }

        var method = unary ? "NoSuchUnary" : "NoSuchStream";
        var serverSpan = await capture.SpanAsync(ActivityKind.Server, "_OTHER");
        Assert.Equal(ActivityStatusCode.Error, serverSpan.Status);
        Assert.Equal("_OTHER", serverSpan.GetTagItem("rpc.method"));
        Assert.Equal($"{capture.Service}/{method}", serverSpan.GetTagItem("rpc.method_original"));
        Assert.Equal(TransportName, serverSpan.GetTagItem("streamx.transport"));
        Assert.NotNull(serverSpan.GetTagItem("error.type"));
        var clientSpan = await capture.SpanAsync(ActivityKind.Client, $"{capture.Service}/{method}");
        Assert.Equal(clientSpan.SpanId, serverSpan.ParentSpanId);

        var measured = await capture.MeasurementsAsync(m => m.Any(x => x.Instrument == "rpc.server.call.duration"));
        var duration = Assert.Single(measured, x => x.Instrument == "rpc.server.call.duration");
        Assert.Equal("_OTHER", duration.Tag("rpc.method"));
        Assert.NotNull(duration.Tag("error.type"));
        Assert.DoesNotContain(measured, x => Equals(x.Tag("rpc.method"), $"{capture.Service}/{method}") && x.Instrument.StartsWith("rpc.server", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Telemetry_Deadline_IsAnErrorOnTheClientSpan()
    {
        using var capture = new TelemetryCapture();
        var probe = new CancelProbe();
        var (host, client) = await StartObservedAsync(capture, probe.Service());
        await using var _ = host;

        await using var call = client.Echo(new CallOptions { Timeout = TimeSpan.FromMilliseconds(200) });
        var error = await Await.Throws<StreamXException>(async () => await call.RecvAsync());
        Assert.Equal(12015, error.Code);

        var clientSpan = await capture.SpanAsync(ActivityKind.Client, $"{capture.Service}/Echo");
        Assert.Equal(ActivityStatusCode.Error, clientSpan.Status);
        Assert.Equal("12015", clientSpan.GetTagItem("error.type"));
        Assert.Equal(12015, clientSpan.GetTagItem("streamx.error.code"));
        Assert.Null(clientSpan.GetTagItem("streamx.canceled"));
        var duration = Assert.Single(await capture.MeasurementsAsync(m => m.Any(x => x.Instrument == "rpc.client.call.duration")), m => m.Instrument == "rpc.client.call.duration");
        Assert.Equal("12015", duration.Tag("error.type"));
    }

    [Fact]
    public async Task Telemetry_Cascade_AToBToC_IsOneTrace()
    {
        using var capture = new TelemetryCapture();
        var serviceC = capture.Service + "C";
        var c = new EchoService
        {
            EchoServer = async (req, responses, ctx) =>
            {
                await responses.SendAsync(Res("c0"));
                await responses.SendAsync(Res("c1"));
            },
        };
        await using var hostC = await StartServerAsync(new StreamXServerOptions { ServiceName = "C" }, ObservedService.Bind(serviceC, c));
        var toC = new ObservedService.Client(serviceC, hostC.CreateClientTransport());
        var b = new EchoService
        {
            EchoServer = async (req, responses, ctx) =>
            {
                // The ambient server call links the downstream call: its span, and its cancellation.
                await using var downstream = toC.EchoServer(req);
                await foreach (var r in downstream)
                {
                    await responses.SendAsync(r);
                }
            },
        };
        var (hostB, clientA) = await StartObservedAsync(capture, b, new StreamXServerOptions { ServiceName = "B" }, new StreamXClientOptions { ServiceName = "A" });
        await using var _ = hostB;

        await using (var call = clientA.EchoServer(Req("hello")))
        {
            var received = new List<string>();
            await foreach (var r in call.Within())
            {
                received.Add(r.Message!);
            }

            Assert.Equal(["c0", "c1"], received);
        }

        var aClient = await capture.SpanAsync(ActivityKind.Client, $"{capture.Service}/EchoServer");
        var bServer = await capture.SpanAsync(ActivityKind.Server, $"{capture.Service}/EchoServer");
        var bClient = await capture.SpanAsync(ActivityKind.Client, $"{serviceC}/EchoServer");
        var cServer = await capture.SpanAsync(ActivityKind.Server, $"{serviceC}/EchoServer");

        // C's server span leads back, parent by parent, to A's client span and the test's root.
        Assert.Equal(bClient.SpanId, cServer.ParentSpanId);
        Assert.Equal(bServer.SpanId, bClient.ParentSpanId);
        Assert.Equal(aClient.SpanId, bServer.ParentSpanId);
        Assert.Equal(capture.Root!.SpanId, aClient.ParentSpanId);
        Assert.All(new[] { aClient, bServer, bClient, cServer }, s => Assert.Equal(capture.TraceId, s.TraceId));
    }

    [Fact]
    public async Task Telemetry_TraceContext_CrossesTheWire_AsW3CAndAsKitexMetainfo()
    {
        using var capture = new TelemetryCapture();
        var seen = new TaskCompletionSource<IReadOnlyDictionary<string, string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new EchoService
        {
            EchoServer = (req, responses, ctx) =>
            {
                seen.TrySetResult(ctx.RequestHeaders);
                return Task.CompletedTask;
            },
        };
        var (host, client) = await StartObservedAsync(capture, service);
        await using var _ = host;

        await using (var call = client.EchoServer(Req("x")))
        {
            Assert.Null(await call.RecvAsync().Within());
        }

        var clientSpan = await capture.SpanAsync(ActivityKind.Client, $"{capture.Service}/EchoServer");
        var headers = await seen.Task.Within();
        Assert.Equal(clientSpan.Id, headers["traceparent"]);
        Assert.Equal(clientSpan.Id, headers[MetainfoKeyAsReceived("RPC_TRANSIT_traceparent")]);
    }

    [Fact]
    public async Task Telemetry_AKitexClientsTransientMetainfo_IsTheServerSpansParent()
    {
        // A client that does not trace itself and sends only what kitex-contrib/obs-opentelemetry sends:
        // the W3C trace parent as transient metainfo.
        var traceId = ActivityTraceId.CreateRandom();
        var spanId = ActivitySpanId.CreateRandom();
        using var capture = new TelemetryCapture(traceId, sampleClientSpans: false);
        var (host, client) = await StartObservedAsync(capture, Echoing());
        await using var _ = host;

        var options = new CallOptions { TransientMetainfo = new Dictionary<string, string> { ["traceparent"] = $"00-{traceId}-{spanId}-01" } };
        await using (var call = client.EchoServer(Req("k"), options))
        {
            await foreach (var r in call.Within())
            {
                Assert.StartsWith("k#", r.Message, StringComparison.Ordinal);
            }
        }

        var serverSpan = await capture.SpanAsync(ActivityKind.Server, $"{capture.Service}/EchoServer");
        Assert.Equal(spanId, serverSpan.ParentSpanId);
        Assert.True(serverSpan.HasRemoteParent);
        Assert.DoesNotContain(capture.Spans, s => s.Kind == ActivityKind.Client);
    }

    [Fact]
    public async Task Telemetry_MessageEvents_AreRecordedOnlyWhereEnabled()
    {
        using var capture = new TelemetryCapture();
        var (host, client) = await StartObservedAsync(capture, Echoing(), new StreamXServerOptions { ServiceName = "server", RecordMessageEvents = true }, new StreamXClientOptions { ServiceName = "client", RecordMessageEvents = true });
        await using var _ = host;

        await CallAsync(client, StreamingMode.Bidirectional);

        var name = $"{capture.Service}/Echo";
        foreach (var span in new[] { await capture.SpanAsync(ActivityKind.Client, name), await capture.SpanAsync(ActivityKind.Server, name) })
        {
            var messages = span.Events.Where(e => e.Name == "rpc.message").Select(e => e.Tags.ToDictionary(t => t.Key, t => t.Value)).ToList();
            Assert.Equal(4, messages.Count);
            Assert.Equal(new object[] { 1, 2 }, messages.Where(m => (string)m["rpc.message.type"]! == "SENT").Select(m => m["rpc.message.id"]!));
            Assert.Equal(new object[] { 1, 2 }, messages.Where(m => (string)m["rpc.message.type"]! == "RECEIVED").Select(m => m["rpc.message.id"]!));
            Assert.All(messages, m => Assert.True((int)m["rpc.message.uncompressed_size"]! > 0));
        }

        // The same server, a client without the option: its span has none.
        var plain = new ObservedService.Client(capture.Service, host.CreateClientTransport());
        await using (var call = plain.EchoServer(Req("p")))
        {
            await foreach (var r in call.Within())
            {
                Assert.StartsWith("p#", r.Message, StringComparison.Ordinal);
            }
        }

        var plainSpan = await capture.SpanAsync(ActivityKind.Client, $"{capture.Service}/EchoServer");
        Assert.DoesNotContain(plainSpan.Events, e => e.Name == "rpc.message");
    }
}
