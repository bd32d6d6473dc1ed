using System.Diagnostics;
using System.Runtime;

namespace StreamX.LoopbackBench;

/// <summary>
/// Warm-up until the JIT is done, not for a fixed time. Tiered compilation first runs every method
/// unoptimized (tier 0), then, once the process has stopped compiling new methods for 100 ms, counts
/// calls, recompiles hot methods with instrumentation (PGO) and finally optimized (tier 1), on one
/// background thread. On 2 busy cores that takes far longer than a few seconds: with a 3-second
/// warm-up the StreamX ping-pong still ran about 20% of its CPU time in tier-0 and instrumented code
/// and was twice as slow as after a 10-second one (pinned to one core: 13.6k vs 32.1k round trips/s; on one core the JIT's delays are 10× longer),
/// while the raw baseline, a few small methods, was already optimized. So a fixed warm-up measured
/// the JIT's progress as much as the code. Here every step runs in turn for a slice (so all sides
/// warm up together), for at least <c>minimum</c> and until the JIT has spent at most <see cref="QuietJitTime"/>
/// compiling in the last <see cref="QuietFor"/> (<see cref="JitInfo.GetCompilationTime"/>), or <see cref="Limit"/>.
/// (The 20% and 13.6k/32.1k figures: <c>perf</c> with the perf map, and <c>--loop ping</c> under <c>taskset -c 1</c>.)
/// </summary>
internal static class WarmUp
{
    /// <summary>
    /// The window over which the JIT must have been (nearly) idle. Longer than the gaps between its bursts: hot methods
    /// are promoted in batches, one call-counting delay apart (100 ms, ×10 on one core), and a 1.5-second window
    /// was seen to end inside such a gap, with the code still half unoptimized.
    /// </summary>
    public static readonly TimeSpan QuietFor = TimeSpan.FromSeconds(3);

    /// <summary>JIT time allowed within <see cref="QuietFor"/> (a trickle of late, rarely used methods).</summary>
    public static readonly TimeSpan QuietJitTime = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest warm-up; reaching it is printed as a warning (the numbers may include JIT work).</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(200);

    /// <summary>Runs the steps in turn, a slice each, until the JIT is quiet (and at least <paramref name="minimum"/>).</summary>
    public static async Task RunAsync(string what, TimeSpan minimum, params Func<Task>[] steps)
    {
        var total = Stopwatch.StartNew();
        var startCount = JitInfo.GetCompiledMethodCount();
        var startTime = JitInfo.GetCompilationTime();
        var history = new Queue<(TimeSpan At, TimeSpan JitTime)>();
        history.Enqueue((TimeSpan.Zero, startTime));
        while (true)
        {
            foreach (var step in steps)
            {
                var slice = Stopwatch.StartNew();
                do
                {
                    await step();
                }
                while (slice.Elapsed < Slice);
            }

            var now = total.Elapsed;
            var jitTime = JitInfo.GetCompilationTime();
            history.Enqueue((now, jitTime));
            while (history.Count > 1 && now - history.ElementAt(1).At >= QuietFor)
            {
                history.Dequeue();
            }

            var (since, jitThen) = history.Peek();
            var compiled = JitInfo.GetCompiledMethodCount() - startCount;
            var jitTotal = (jitTime - startTime).TotalSeconds;
            if (now >= minimum && now - since >= QuietFor && jitTime - jitThen <= QuietJitTime)
            {
                Console.WriteLine($"  warm-up {what}: {now.TotalSeconds:0.0} s; the JIT compiled {compiled:N0} methods meanwhile ({jitTotal:0.0} s of JIT time), " +
                    $"{(jitTime - jitThen).TotalMilliseconds:0} ms in the last {(now - since).TotalSeconds:0.0} s");
                return;
            }

            if (now >= Limit)
            {
                Console.WriteLine($"  WARNING: warm-up {what} stopped at {Limit.TotalSeconds:0} s with the JIT still busy ({(jitTime - jitThen).TotalMilliseconds:0} ms of JIT time in the last " +
                    $"{(now - since).TotalSeconds:0.0} s): the numbers may include JIT work");
                return;
            }
        }
    }
}
