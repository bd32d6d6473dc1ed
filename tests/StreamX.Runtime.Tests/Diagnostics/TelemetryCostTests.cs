using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using StreamX.Diagnostics;
using StreamX.InMemory;
using StreamX.Runtime.Tests.TestSupport;
using StreamX.Transport;
using Xunit.Abstractions;

namespace StreamX.Runtime.Tests.Diagnostics;

/// <summary>
/// What telemetry costs (nothing while nobody listens; no allocation per message even when something
/// does, message events aside) and the event ids of the log entries. The only tests in this project that
/// listen to StreamX, and xunit runs one class's tests one at a time, so "nobody listens" holds here.
/// </summary>
public sealed class TelemetryCostTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public void WithoutListeners_NoCallTelemetryExists_AndNoInstrumentIsEnabled()
    {
        Assert.False(Telemetry.Source.HasListeners());
        Assert.False(Telemetry.Client.AnyEnabled);
        Assert.False(Telemetry.Server.AnyEnabled);
        Assert.Null(CallTelemetry.StartClient("S", "M", StreamingMode.Bidirectional, TransportTelemetry.Unknown, messageEvents: true));
        Assert.Null(CallTelemetry.StartServer("S", "M", StreamingMode.Bidirectional, TransportTelemetry.Unknown, Metadata.Empty, "peer", messageEvents: true));

        // A listener of other sources and meters changes nothing.
        using var other = new Listeners(source: "Other", meter: "Other");
        Assert.Null(CallTelemetry.StartClient("S", "M", StreamingMode.Bidirectional, TransportTelemetry.Unknown, messageEvents: true));
        Assert.Null(CallTelemetry.StartServer("S", "M", StreamingMode.Bidirectional, TransportTelemetry.Unknown, Metadata.Empty, "peer", messageEvents: true));
    }

    [Fact]
    public void MessageHooks_AllocateNothing_WhetherInstrumentsAreEnabledOrNot()
    {
        using (var traceOnly = new Listeners(source: StreamXTelemetry.ActivitySourceName, meter: "Other"))
        {
            var telemetry = CallTelemetry.StartClient("S", "M", StreamingMode.Bidirectional, TransportTelemetry.Unknown, messageEvents: false)!;
            Assert.False(Telemetry.Client.MessagesSent.Enabled);
            Assert.Equal(0, AllocatedBy(() => { telemetry.MessageSent(10); telemetry.MessageReceived(10); }));
            telemetry.EndOk();
        }

        using var all = new Listeners(source: StreamXTelemetry.ActivitySourceName, meter: StreamXTelemetry.MeterName);
        var counted = CallTelemetry.StartServer("S", "M", StreamingMode.Bidirectional, TransportTelemetry.Unknown, Metadata.Empty, null, messageEvents: false)!;
        Assert.True(Telemetry.Server.MessagesSent.Enabled);
        Assert.Equal(0, AllocatedBy(() => { counted.MessageSent(10); counted.MessageReceived(10); }));
        counted.EndOk();
        Assert.Equal(1000, all.Sum("streamx.server.messages.sent"));
        Assert.Equal(1000, all.Sum("streamx.server.messages.received"));
    }

    /// <summary>
    /// Sends and receives over the in-memory transport, measured on this thread (every operation completes
    /// synchronously: the buffers have room and nobody waits on them): a message costs the same bytes with
    /// every StreamX listener on as with none.
    /// </summary>
    [Fact]
    public async Task InMemoryMessages_CostTheSameBytes_WithListenersAsWithout()
    {
        var without = await MeasureAsync(listeners: null);
        using var listeners = new Listeners(source: StreamXTelemetry.ActivitySourceName, meter: StreamXTelemetry.MeterName);
        var with = await MeasureAsync(listeners);
        output.WriteLine($"per message, no listener: send {without.SendBytes / (double)(Messages - 10):0.#} B, receive {without.ReceiveBytes / (double)(Messages - 10):0.#} B; " +
            $"every StreamX listener on: send {with.SendBytes / (double)(Messages - 10):0.#} B, receive {with.ReceiveBytes / (double)(Messages - 10):0.#} B");

        Assert.Equal(Messages, listeners.Sum("streamx.client.messages.sent"));
        Assert.Equal(Messages, listeners.Sum("streamx.client.messages.received"));
        Assert.Equal(without.SendBytes, with.SendBytes);
        Assert.Equal(without.ReceiveBytes, with.ReceiveBytes);
    }

    [Fact]
    public async Task LogEntries_CarryTheirStableEventIds()
    {
        var logs = new CapturingLoggerFactory();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = ServiceDefinition.CreateBuilder("Logs")
            .AddBidirectional<TestRequest, TestRequest>("Wait", async (requests, responses, context) =>
            {
                started.TrySetResult();
                await requests.RecvAsync();
            })
            .AddServerStreaming<TestRequest, TestRequest>("Fail", (request, responses, context) => throw new InvalidOperationException("boom"))
            .Build();
        await using var server = new InMemoryServer(new StreamXServerOptions { LoggerFactory = logs }, service);
        var client = new TestClient("Logs", server.CreateClientTransport(), new StreamXClientOptions { LoggerFactory = logs });

        using (var cts = new CancellationTokenSource())
        {
            await using var call = client.Bidi("Wait", cts.Token);
            await started.Task.WaitAsync(Timeout);
            await cts.CancelAsync();
            await server.Dispatcher.WhenIdleAsync().WaitAsync(Timeout);
        }

        await using (var call = client.ServerStreaming("Fail", new TestRequest(1, "x")))
        {
            await Assert.ThrowsAsync<StreamXException>(async () => await call.RecvAsync().AsTask().WaitAsync(Timeout));
        }

        await server.Dispatcher.WhenIdleAsync().WaitAsync(Timeout);
        Assert.Contains(logs.Entries, e => e is { Category: "StreamX.Client", Level: LogLevel.Debug } && e.EventId == StreamXEventIds.ClientCanceledByCaller);
        Assert.Contains(logs.Entries, e => e is { Category: "StreamX.Server", Level: LogLevel.Debug } && e.EventId == StreamXEventIds.HandlerCanceled);
        Assert.Contains(logs.Entries, e => e is { Category: "StreamX.Server", Level: LogLevel.Warning } && e.EventId == StreamXEventIds.HandlerFailed);
        Assert.All(logs.Entries, e => Assert.NotEqual(0, e.EventId.Id));
        Assert.Equal(1001, StreamXEventIds.ClientCanceledByCaller.Id);
        Assert.Equal(2003, StreamXEventIds.HandlerFailed.Id);
    }

    private const int Messages = 1000;

    private static async Task<(long SendBytes, long ReceiveBytes)> MeasureAsync(Listeners? listeners)
    {
        var serviceName = "Cost" + Guid.NewGuid().ToString("N")[..8];
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = ServiceDefinition.CreateBuilder(serviceName)
            .AddBidirectional<TestRequest, TestRequest>("Echo", async (requests, responses, context) =>
            {
                // Reads only once the client's sends were measured, then answers every one of them.
                await release.Task;
                var reply = new TestRequest(2, "reply");
                for (var i = 0; i < Messages; i++)
                {
                    await requests.RecvAsync();
                    await responses.SendAsync(reply);
                }

                drained.SetResult();
                await requests.RecvAsync();
            })
            .Build();
        await using var server = new InMemoryServer(new StreamXServerOptions { ReceiveBufferCapacity = Messages * 2 }, service);
        var client = new TestClient(serviceName, server.CreateClientTransport(), new StreamXClientOptions { ReceiveBufferCapacity = Messages * 2 });
        await using var call = client.Bidi("Echo", CancellationToken.None);
        var message = new TestRequest(1, "request");
        for (var i = 0; i < 10; i++)
        {
            await call.SendAsync(message); // warm up: JIT, the open, first touches
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Messages - 10; i++)
        {
            var send = call.SendAsync(message);
            Assert.True(send.IsCompletedSuccessfully); // synchronous: the measurement stays on this thread
        }

        var sendBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        release.SetResult();
        await drained.Task.WaitAsync(Timeout);

        for (var i = 0; i < 10; i++)
        {
            await call.RecvAsync();
        }

        before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Messages - 10; i++)
        {
            var recv = call.RecvAsync();
            Assert.True(recv.IsCompletedSuccessfully);
        }

        var receiveBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        await call.CloseSendAsync();
        return (sendBytes, receiveBytes);
    }

    private static long AllocatedBy(Action action)
    {
        action(); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 999; i++)
        {
            action();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>An ActivityListener (all data) and a MeterListener (sums of long measurements, allocation-free).</summary>
    private sealed class Listeners : IDisposable
    {
        private readonly ActivityListener _activities;
        private readonly MeterListener _meters;
        private readonly ConcurrentDictionary<string, StrongBox<long>> _sums = new();

        public Listeners(string source, string meter)
        {
            _activities = new ActivityListener
            {
                ShouldListenTo = s => s.Name == source,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            };
            ActivitySource.AddActivityListener(_activities);
            _meters = new MeterListener
            {
                InstrumentPublished = (instrument, listener) =>
                {
                    if (instrument.Meter.Name == meter)
                    {
                        listener.EnableMeasurementEvents(instrument);
                    }
                },
            };
            _meters.SetMeasurementEventCallback<long>((instrument, value, _, _) => Interlocked.Add(ref _sums.GetOrAdd(instrument.Name, static _ => new StrongBox<long>()).Value, value));
            _meters.SetMeasurementEventCallback<double>((_, _, _, _) => { });
            _meters.Start();
        }

        public long Sum(string instrument) => _sums.TryGetValue(instrument, out var sum) ? sum.Value : 0;

        public void Dispose()
        {
            _activities.Dispose();
            _meters.Dispose();
        }
    }

    /// <summary>A hand-written client over the test structs.</summary>
    private sealed class TestClient(string serviceName, ClientTransport transport, StreamXClientOptions options)
        : StreamXClientBase(serviceName, transport, options)
    {
        public BidiStreamingCall<TestRequest, TestRequest> Bidi(string method, CancellationToken cancellationToken) =>
            StartBidiStreaming<TestRequest, TestRequest>(method, null, cancellationToken);

        public ServerStreamingCall<TestRequest> ServerStreaming(string method, TestRequest request) =>
            StartServerStreaming<TestRequest, TestRequest>(method, request, null, CancellationToken.None);
    }

    private sealed record Entry(string Category, LogLevel Level, EventId EventId, string Message);

    private sealed class CapturingLoggerFactory : ILoggerFactory
    {
        private readonly ConcurrentQueue<Entry> _entries = new();

        public IReadOnlyCollection<Entry> Entries => _entries;

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerFactory owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner._entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception)));
        }
    }
}
