using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace StreamX.Runtime.Conformance.Tests.Infrastructure;

/// <summary>
/// Listens to StreamX's traces and metrics in-process (ActivityListener, MeterListener) and keeps only
/// this test's: the spans of one trace (started here as the test's root activity, current for the test's
/// flow, or a trace id the test chose) and the measurements tagged with one IDL service name (unique per
/// test). Tests running in parallel never see each other's data.
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    private static readonly ActivitySource TestSource = new("StreamX.Tests");
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters;
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ConcurrentQueue<Recorded> _measurements = new();
    private readonly object _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="traceId">The trace to keep; null starts a root activity and keeps its trace.</param>
    /// <param name="sampleClientSpans">False drops StreamX client spans (a client that does not trace).</param>
    /// <param name="extraSources">Other activity sources to keep spans of (e.g. <c>System.Net.Http</c>).</param>
    public TelemetryCapture(ActivityTraceId? traceId = null, bool sampleClientSpans = true, params string[] extraSources)
    {
        Service = "Obs" + Guid.NewGuid().ToString("N")[..12];
        _activities = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "StreamX" or "StreamX.Tests" || extraSources.Contains(s.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> o) =>
                !sampleClientSpans && o.Source.Name == "StreamX" && o.Kind == ActivityKind.Client ? ActivitySamplingResult.None : ActivitySamplingResult.AllDataAndRecorded,
            SampleUsingParentId = (ref ActivityCreationOptions<string> o) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.TraceId == TraceId && a.Source.Name != "StreamX.Tests")
                {
                    _spans.Enqueue(a);
                    Signal();
                }
            },
        };
        ActivitySource.AddActivityListener(_activities);
        if (traceId is { } chosen)
        {
            TraceId = chosen;
        }
        else
        {
            Root = TestSource.StartActivity("test") ?? throw new InvalidOperationException("the test's root activity was not created");
            TraceId = Root.TraceId;
        }

        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "StreamX")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.Start();
    }

    /// <summary>A service name of this test's own: bind the service under it, and only its measurements are kept.</summary>
    public string Service { get; }

    /// <summary>The test's root activity (current for the test's flow since construction), or null for a chosen trace.</summary>
    public Activity? Root { get; }

    /// <summary>The trace whose spans are kept.</summary>
    public ActivityTraceId TraceId { get; }

    /// <summary>Stopped spans of the trace so far.</summary>
    public IReadOnlyList<Activity> Spans => _spans.ToArray();

    /// <summary>Measurements of <see cref="Service"/> so far.</summary>
    public IReadOnlyList<Recorded> Measurements => _measurements.ToArray();

    /// <summary>Waits until the stopped spans satisfy <paramref name="done"/>; returns them.</summary>
    public Task<IReadOnlyList<Activity>> SpansAsync(Func<IReadOnlyList<Activity>, bool> done) => WaitAsync(() => Spans, done);

    /// <summary>Waits for the stopped StreamX span of <paramref name="kind"/> named <paramref name="name"/>.</summary>
    public async Task<Activity> SpanAsync(ActivityKind kind, string name) =>
        (await SpansAsync(s => s.Any(a => a.Kind == kind && a.DisplayName == name))).First(a => a.Kind == kind && a.DisplayName == name);

    /// <summary>Waits until the measurements satisfy <paramref name="done"/>; returns them.</summary>
    public Task<IReadOnlyList<Recorded>> MeasurementsAsync(Func<IReadOnlyList<Recorded>, bool> done) => WaitAsync(() => Measurements, done);

    /// <summary>The sum of <paramref name="instrument"/>'s measurements whose tags include <paramref name="method"/> (<c>Service/Method</c>).</summary>
    public double Sum(string instrument, string method) =>
        Measurements.Where(m => m.Instrument == instrument && Equals(m.Tag("rpc.method"), method)).Sum(m => m.Value);

    public void Dispose()
    {
        Root?.Stop();
        _activities.Dispose();
        _meters.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "rpc.service" && Equals(tag.Value, Service))
            {
                _measurements.Enqueue(new Recorded(instrument.Name, instrument.Unit, value, tags.ToArray()));
                Signal();
                return;
            }
        }
    }

    private void Signal()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.SetResult();
    }

    private async Task<IReadOnlyList<T>> WaitAsync<T>(Func<IReadOnlyList<T>> snapshot, Func<IReadOnlyList<T>, bool> done)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            var items = snapshot();
            if (done(items))
            {
                return items;
            }

            var left = Await.Timeout - deadline.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"timed out after {Await.Timeout.TotalSeconds}s waiting for telemetry; have: {string.Join("; ", items)}");
            }

            await changed.WaitAsync(left).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>One measurement.</summary>
    public sealed record Recorded(string Instrument, string? Unit, double Value, KeyValuePair<string, object?>[] Tags)
    {
        public object? Tag(string key) => Tags.FirstOrDefault(t => t.Key == key).Value;

        public override string ToString() => $"{Instrument}={Value} [{string.Join(", ", Tags.Select(t => $"{t.Key}={t.Value}"))}]";
    }
}
