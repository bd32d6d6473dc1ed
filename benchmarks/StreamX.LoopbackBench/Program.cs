using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using StreamX.Examples.Echo;

namespace StreamX.LoopbackBench;

/// <summary>
/// End-to-end loopback benchmarks, all in one process and one run on 127.0.0.1: server streaming
/// throughput (1 and 16 streams), bidi ping-pong latency, client-cancel → server-token latency and
/// allocations per message, for StreamX TTHeader Streaming beside a raw socket baseline.
/// Options: <c>--seconds S</c> (measured time per throughput round, default 2), <c>--warmup S</c>
/// (the least warm-up per scenario, all its sides together, default 15; it goes on until the JIT is done: see
/// <see cref="WarmUp"/>), <c>--rounds R</c>
/// (default 3), <c>--pings N</c> (default 20000), <c>--cancels N</c> (default 3000),
/// <c>--only a,b,c</c> (scenarios; d comes with a and b).
/// </summary>
public static class Program
{
    private static double _seconds = 2;
    private static double _warmup = 15;
    private static int _rounds = 3;
    private static int _pings = 20_000;
    private static int _cancels = 3_000;

    public static async Task<int> Main(string[] args)
    {
        var only = "abc";
        var transports = "ttstream,grpc";
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds": _seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--warmup": _warmup = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--rounds": _rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--pings": _pings = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--cancels": _cancels = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--only": only = args[++i].Replace(",", string.Empty, StringComparison.Ordinal); break;
                case "--transport": transports = args[++i]; break;
                case "--alloc-profile": return await AllocationProfileAsync(args.Length > i + 1 ? args[++i] : "stream");
                case "--loop": return await LoopAsync(args[++i], double.Parse(args[++i], CultureInfo.InvariantCulture));
                case "--split": return await Split.RunAsync(_pings, _warmup);
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }

#if DEBUG
        Console.WriteLine("WARNING: Debug build; run with -c Release for numbers worth keeping.");
#endif
        Console.WriteLine($"StreamX loopback benchmarks — {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, " +
            $"{Environment.ProcessorCount} cores, GC {(GCSettings.IsServerGC ? "server" : "workstation")}" +
            $"{(GCSettings.LatencyMode == GCLatencyMode.Interactive ? " concurrent" : string.Empty)}, load average {LoadAverage()}");
        Console.WriteLine($"rounds={_rounds} seconds/round={_seconds} pings={_pings} cancels={_cancels}");
        var total = Stopwatch.StartNew();

        await using var raw = new RawServer();
        var rows = new List<string[]>();
        foreach (var transport in transports.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (transport is not ("ttstream" or "grpc" or "grpc-always"))
            {
                Console.Error.WriteLine($"unknown transport {transport} (ttstream, grpc, grpc-always)");
                return 2;
            }

            await using var sx = await StreamXSide.StartAsync(transport);
            await MeasureAsync(sx, raw, only, rows);
        }

        Console.WriteLine();
        Console.WriteLine($"Results (medians over rounds; StreamX / raw is the median of paired rounds or chunks; total {total.Elapsed.TotalSeconds:0} s):");
        Console.WriteLine();
        PrintTable(["scenario", "raw", "StreamX", "StreamX / raw", "goal", "met?"], rows);
        return 0;
    }

    /// <summary>The scenarios of one transport, each paired with the raw baseline.</summary>
    private static async Task MeasureAsync(StreamXSide sx, RawServer raw, string only, List<string[]> rows)
    {
        Console.WriteLine($"--- {sx.Name}");

        if (only.Contains('a', StringComparison.Ordinal))
        {
            foreach (var streams in new[] { 1, 16 })
            {
                var (r, x) = await ThroughputAsync(streams, raw, sx);
                var plural = streams > 1 ? "s" : string.Empty;
                var goal = streams == 1 ? "≥ 0.30× raw" : "– (grpc-dotnet: 0.24×)";
                var met = streams == 1 ? (x.Ratio >= 0.3 ? "yes" : "no") : "–";
                rows.Add([$"[{sx.Name}] (a) server streaming, 1 KiB, {streams} stream{plural} (msg/s)", F0(r.Rate), F0(x.Rate), $"{x.Ratio:0.00}×", goal, met]);
                rows.Add([$"[{sx.Name}] (d) allocated per message, {streams} stream{plural} (B/msg)", F0(r.AllocPerMessage), F0(x.AllocPerMessage), "–", "reported", "–"]);
            }
        }

        if (only.Contains('b', StringComparison.Ordinal))
        {
            var (rawP, sxP, rawAlloc, sxAlloc, p50Ratio) = await PingPongAsync(raw, sx);
            rows.Add([$"[{sx.Name}] (b) bidi ping-pong 1 KiB, p50 (µs)", F1(rawP.P50), F1(sxP.P50), $"{p50Ratio:0.00}×", "≤ 1.2× raw", p50Ratio <= 1.2 ? "yes" : "no"]);
            rows.Add([$"[{sx.Name}] (b) bidi ping-pong 1 KiB, p99 (µs)", F1(rawP.P99), F1(sxP.P99), $"{sxP.P99 / rawP.P99:0.00}×", "–", "–"]);
            rows.Add([$"[{sx.Name}] (d) allocated per round trip (B)", F0(rawAlloc), F0(sxAlloc), "–", "reported", "–"]);
        }

        if (only.Contains('c', StringComparison.Ordinal))
        {
            var cancel = await CancelAsync(sx);
            rows.Add([$"[{sx.Name}] (c) client cancel → server token, p50 (µs)", "–", F1(cancel.P50), "–", "– (grpc-dotnet: 29)", "–"]);
            rows.Add([$"[{sx.Name}] (c) client cancel → server token, p99 (µs)", "–", F1(cancel.P99), "–", "≤ 100 µs", cancel.P99 <= 100 ? "yes" : "no"]);
        }
    }

    // ------------------------------------------------------------------ (a) + (d) throughput

    /// <summary>
    /// Raw and StreamX rounds alternate (raw, StreamX, raw, …) so that load from elsewhere on the
    /// machine hits both alike; each reports the median round.
    /// </summary>
    private static async Task<(Measured Raw, Measured StreamX)> ThroughputAsync(int streams, RawServer raw, StreamXSide sx)
    {
        var clients = new List<RawClient>();
        for (var i = 0; i < streams; i++)
        {
            clients.Add(await RawClient.ConnectAsync(raw.EndPoint));
        }

        async Task<double> RunAsync(bool isRaw, int perStream)
        {
            var tasks = new Task<long>[streams];
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < streams; i++)
            {
                var client = clients[i];
                tasks[i] = isRaw ? client.StreamAsync(perStream) : Task.Run(() => sx.StreamAsync(perStream));
            }

            await Task.WhenAll(tasks);
            return sw.Elapsed.TotalSeconds;
        }

        // Warm-up until the JIT is done (WarmUp), then calibration: messages per stream for about _seconds per round.
        var probe = Math.Max(1, 20_000 / streams);
        await WarmUp.RunAsync($"(a) {streams} stream(s)", TimeSpan.FromSeconds(_warmup), () => RunAsync(true, probe), () => RunAsync(false, probe));

        async Task<int> CalibrateAsync(bool isRaw)
        {
            var elapsed = await RunAsync(isRaw, probe * 5);
            return (int)Math.Clamp(probe * 5 / elapsed * _seconds, 1_000, 50_000_000);
        }

        var counts = new[] { await CalibrateAsync(true), await CalibrateAsync(false) };
        var rates = new[] { new List<double>(), new List<double>() };
        var allocs = new[] { new List<double>(), new List<double>() };
        for (var r = 0; r < _rounds; r++)
        {
            for (var side = 0; side < 2; side++)
            {
                var isRaw = side == 0;
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var gc0 = GC.CollectionCount(0);
                var gc2 = GC.CollectionCount(2);
                var before = GC.GetTotalAllocatedBytes(precise: true);
                var cpuBefore = Environment.CpuUsage.TotalTime;
                var seconds = await RunAsync(isRaw, counts[side]);
                var cpu = (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds;
                var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
                double messages = (long)counts[side] * streams;
                rates[side].Add(messages / seconds);
                allocs[side].Add(allocated / messages);
                Console.WriteLine($"  (a) {(isRaw ? "raw    " : "StreamX")} {streams,2} stream(s): {messages,11:N0} msgs in {seconds:0.000} s = {messages / seconds,10:N0} msg/s " +
                    $"({messages * Payload.Size / seconds / (1 << 20),5:N0} MiB/s), CPU {cpu * 1e6 / messages:0.00} µs/msg, {allocated / messages,6:N0} B/msg, gen0 {GC.CollectionCount(0) - gc0}, gen2 {GC.CollectionCount(2) - gc2}");
            }
        }

        foreach (var c in clients)
        {
            await c.DisposeAsync();
        }

        // The ratio of each round's StreamX rate to the raw rate measured just before it: the pairs
        // share the machine's load of the moment, which moves both by ±30% here from run to run.
        var ratios = rates[1].Zip(rates[0], (x, r) => x / r).ToList();
        Console.WriteLine($"  (a) {streams} stream(s): StreamX/raw per round {string.Join(", ", ratios.Select(q => q.ToString("0.00", CultureInfo.InvariantCulture)))}; median {Median(ratios):0.00}");
        return (new Measured(Median(rates[0]), Median(allocs[0]), Median(ratios)), new Measured(Median(rates[1]), Median(allocs[1]), Median(ratios)));
    }

    // ------------------------------------------------------------------ (b) ping-pong

    /// <summary>Raw and StreamX round trips in alternating chunks (same reason as above).</summary>
    private static async Task<(Percentiles Raw, Percentiles StreamX, double RawAlloc, double StreamXAlloc, double P50Ratio)> PingPongAsync(RawServer raw, StreamXSide sx)
    {
        await using var client = await RawClient.ConnectAsync(raw.EndPoint);
        await client.BeginPingPongAsync();
        var message = Payload.Bytes.AsMemory();
        await using var call = sx.Client.Echo();
        var request = Payload.Request;
        Func<Task>[] trips =
        [
            async () => await client.PingAsync(message),
            async () =>
            {
                await call.SendAsync(request);
                _ = await call.RecvAsync() ?? throw new InvalidOperationException("the echo stream ended");
            },
        ];

        await WarmUp.RunAsync("(b) ping-pong", TimeSpan.FromSeconds(_warmup), trips);

        const int Chunk = 1_000;
        var samples = new[] { new long[_pings], new long[_pings] };
        var allocated = new long[2];
        var elapsed = new double[2];
        GC.Collect();
        for (var done = 0; done < _pings; done += Chunk)
        {
            var n = Math.Min(Chunk, _pings - done);
            for (var side = 0; side < 2; side++)
            {
                var trip = trips[side];
                var into = samples[side];
                var before = GC.GetTotalAllocatedBytes(precise: true);
                var t0 = Stopwatch.GetTimestamp();
                for (var i = done; i < done + n; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    await trip();
                    into[i] = Stopwatch.GetTimestamp() - start;
                }

                elapsed[side] += Stopwatch.GetElapsedTime(t0).TotalSeconds;
                allocated[side] += GC.GetTotalAllocatedBytes(precise: true) - before;
            }
        }

        await client.EndPingPongAsync();
        await call.CloseSendAsync();
        while (await call.RecvAsync() is not null)
        {
        }

        var result = new Percentiles[2];
        for (var side = 0; side < 2; side++)
        {
            result[side] = Percentiles.Of(samples[side]);
            Console.WriteLine($"  (b) ping-pong {(side == 0 ? "raw    " : "StreamX")}: {_pings:N0} round trips in {elapsed[side]:0.00} s; {result[side]}; {allocated[side] / (double)_pings:N0} B/trip");
        }

        // Paired as for throughput: each StreamX chunk against the raw chunk measured just before it.
        var chunkRatios = new List<double>();
        for (var done = 0; done < _pings; done += Chunk)
        {
            var n = Math.Min(Chunk, _pings - done);
            chunkRatios.Add(Percentiles.Of(samples[1][done..(done + n)]).P50 / Percentiles.Of(samples[0][done..(done + n)]).P50);
        }

        var ratio = Median(chunkRatios);
        Console.WriteLine($"  (b) StreamX/raw p50 per chunk of {Chunk}: median {ratio:0.00} (range {chunkRatios.Min():0.00}-{chunkRatios.Max():0.00})");
        return (result[0], result[1], allocated[0] / (double)_pings, allocated[1] / (double)_pings, ratio);
    }

    // ------------------------------------------------------------------ (c) cancel

    private static async Task<Percentiles> CancelAsync(StreamXSide sx)
    {
        await WarmUp.RunAsync("(c) cancel", TimeSpan.FromSeconds(_warmup), () => sx.CancelOnceAsync());

        var samples = new long[_cancels];
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = await sx.CancelOnceAsync();
        }

        var p = Percentiles.Of(samples);
        Console.WriteLine($"  (c) cancel → handler token: {samples.Length:N0} streams in {sw.Elapsed.TotalSeconds:0.00} s; {p}");
        return p;
    }

    // ------------------------------------------------------------------ profiling aid

    /// <summary><c>--alloc-profile stream|ping</c>: which types the StreamX path allocates (sampled).</summary>
    private static async Task<int> AllocationProfileAsync(string what)
    {
        await using var sx = await StreamXSide.StartAsync();
        using var profiler = new AllocationProfiler();
        double messages;
        if (what == "ping")
        {
            await using var call = sx.Client.Echo();
            async Task Trips(int n)
            {
                for (var i = 0; i < n; i++)
                {
                    await call.SendAsync(Payload.Request);
                    _ = await call.RecvAsync();
                }
            }

            await Trips(5_000);
            profiler.Start();
            await Trips(50_000);
            profiler.Stop();
            messages = 50_000;
        }
        else
        {
            await sx.StreamAsync(50_000);
            profiler.Start();
            await sx.StreamAsync(300_000);
            profiler.Stop();
            messages = 300_000;
        }

        profiler.Print(messages);
        return 0;
    }

    /// <summary>
    /// <c>--loop stream|stream16|ping|cancel|rawping SECONDS</c>: runs one scenario for a while, to attach <c>perf record</c>
    /// or <c>perf stat</c> to (<c>rawping</c>: the raw baseline of ping-pong, for comparison).
    /// </summary>
    private static async Task<int> LoopAsync(string what, double seconds)
    {
        await using var sx = await StreamXSide.StartAsync();
        await using var call = sx.Client.Echo();
        await using var raw = new RawServer();
        await using var rawClient = await RawClient.ConnectAsync(raw.EndPoint);
        if (what == "rawping")
        {
            await rawClient.BeginPingPongAsync();
        }

        async Task<long> Step()
        {
            switch (what)
            {
                case "rawping":
                    await rawClient.PingAsync(Payload.Bytes);
                    return 1;
                case "ping":
                    await call.SendAsync(Payload.Request);
                    _ = await call.RecvAsync();
                    return 1;
                case "cancel":
                    await sx.CancelOnceAsync();
                    return 1;
                case "stream16":
                    await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => sx.StreamAsync(5_000))));
                    return 80_000;
                default:
                    await sx.StreamAsync(50_000);
                    return 50_000;
            }
        }

        // Warm-up first, until the JIT is done (WarmUp).
        await WarmUp.RunAsync(what, TimeSpan.FromSeconds(_warmup), () => Step());

        var sw = Stopwatch.StartNew();
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var allocBefore = GC.GetTotalAllocatedBytes(precise: true);
        long n = 0;
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            n += await Step();
        }

        Console.WriteLine($"{what}: {n / sw.Elapsed.TotalSeconds:N0}/s, CPU {(Environment.CpuUsage.TotalTime - cpuBefore).TotalMicroseconds / n:0.00} µs each, " +
            $"{(GC.GetTotalAllocatedBytes(precise: true) - allocBefore) / (double)n:N0} B each");
        return 0;
    }

    // ------------------------------------------------------------------ helpers

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string F0(double v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string F1(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static void PrintTable(string[] header, List<string[]> rows)
    {
        Console.WriteLine("| " + string.Join(" | ", header) + " |");
        Console.WriteLine("|" + string.Join("|", header.Select((_, i) => i == 0 ? "---" : "---:")) + "|");
        foreach (var row in rows)
        {
            Console.WriteLine("| " + string.Join(" | ", row) + " |");
        }
    }
}

/// <summary>A throughput result: median rate, median bytes allocated per message, median paired StreamX/raw ratio.</summary>
internal readonly record struct Measured(double Rate, double AllocPerMessage, double Ratio);

internal readonly record struct Percentiles(double P50, double P90, double P99, double Max)
{
    public static Percentiles Of(long[] ticks)
    {
        var sorted = ticks.Order().ToArray();
        double Us(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))] * 1e6 / Stopwatch.Frequency;
        return new Percentiles(Us(0.50), Us(0.90), Us(0.99), sorted[^1] * 1e6 / Stopwatch.Frequency);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"p50 {P50:0.0} µs, p90 {P90:0.0} µs, p99 {P99:0.0} µs, max {Max:0} µs");
}
