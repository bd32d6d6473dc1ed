using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace StreamX.LoopbackBench;

/// <summary>
/// An in-process sampling allocation profiler (dotnet-trace is not available everywhere): the
/// runtime's GCAllocationTick event fires about every 100 KB allocated and names the type of the
/// object that crossed the mark, so the amounts per type approximate where the bytes go.
/// </summary>
internal sealed class AllocationProfiler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new();
    private volatile bool _enabled;

    public void Start() => _enabled = true;

    public void Stop() => _enabled = false;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_enabled || e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null)
        {
            return;
        }

        var type = e.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? e.Payload[t] as string ?? "?" : "?";
        var amount = e.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(e.Payload[a]) : 100_000;
        _bytes.AddOrUpdate(type, amount, (_, v) => v + amount);
    }

    public void Print(double messages)
    {
        var total = _bytes.Values.Sum();
        Console.WriteLine($"  sampled allocations by type (≈ B/msg, of ≈ {total / messages:N0}):");
        foreach (var (type, bytes) in _bytes.OrderByDescending(p => p.Value).Take(25))
        {
            Console.WriteLine($"    {bytes / messages,8:N0}  {bytes * 100.0 / total,5:0.0}%  {type}");
        }
    }
}
