using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace StreamX.Idl.Tests.Infrastructure;

/// <summary>What Apache Thrift said about one file.</summary>
public enum ThriftVerdict
{
    /// <summary>Exit code 0: generated code, so the IDL is valid for it.</summary>
    Accepted,

    /// <summary>Exit code 1: a parse, semantic or generator error.</summary>
    Rejected,

    /// <summary>Killed by a signal or another exit code (0.17 segfaults on include cycles).</summary>
    Crashed,

    /// <summary>Did not finish in time (0.17 loops forever on some inputs).</summary>
    TimedOut,
}

/// <summary>One run of the thrift compiler.</summary>
public sealed record ThriftResult(ThriftVerdict Verdict, int ExitCode, string Output, TimeSpan Elapsed)
{
    /// <summary>A readable summary for failure messages.</summary>
    public string Describe() =>
        $"thrift {Verdict} (exit {ExitCode}, {Elapsed.TotalMilliseconds:0} ms)" +
        (string.IsNullOrWhiteSpace(Output) ? string.Empty : ":\n    " + string.Join("\n    ", Output.Trim().Split('\n').Take(12)));
}

/// <summary>
/// The second judge: the real Apache Thrift compiler (Debian's <c>thrift-compiler</c>, 0.17), run as
/// <c>thrift --allow-neg-keys -r -out &lt;tmp&gt; --gen py &lt;file&gt;</c>.
/// Why these options: <c>py</c> is the generator with the fewest opinions of its own that still
/// resolves every type (html/xml/gv/markdown/xsd/d never report undefined types; json also rejects
/// list-of-identifier defaults; go/java/netstd/cpp reserve more words such as <c>goto</c>/<c>this</c>);
/// <c>-r</c> makes 0.17 generate, and so type-check, included files too, as our compiler does;
/// <c>--allow-neg-keys</c> keeps negative field ids as written (thriftgo's negative_field_id case).
/// No <c>-I</c> is needed: every include in the corpus and testdata is relative to its includer.
/// <c>--allow-64bit-consts</c> is not used: it only silences warnings, never changes the verdict.
/// At most two thrift processes run at once.
/// </summary>
public static class ApacheThrift
{
    private static readonly SemaphoreSlim Gate = new(2, 2);
    private static readonly ConcurrentDictionary<string, Lazy<ThriftResult>> Cache = new(StringComparer.Ordinal);
    private static readonly Lazy<string> ExecutablePath = new(FindExecutable);
    private static readonly Lazy<string> VersionText = new(() => RunRaw(new[] { "-version" }, TimeSpan.FromSeconds(30)).Output.Trim());

    /// <summary>The full path of <c>thrift</c>; fails the test with an explanation when it is not on PATH.</summary>
    public static string Executable => ExecutablePath.Value;

    /// <summary><c>thrift -version</c> output, e.g. "Thrift version 0.17.0".</summary>
    public static string Version => VersionText.Value;

    /// <summary>The arguments used for a file, for messages.</summary>
    public static IReadOnlyList<string> ArgumentsFor(string file, string outDir) =>
        new[] { "--allow-neg-keys", "-r", "-out", outDir, "--gen", "py", file };

    /// <summary>Runs thrift on <paramref name="file"/> once per process lifetime (cached), with a timeout.</summary>
    public static ThriftResult Check(string file, TimeSpan timeout) =>
        Cache.GetOrAdd($"{file}|{timeout.Ticks}", _ => new Lazy<ThriftResult>(() => CheckUncached(file, timeout))).Value;

    private static ThriftResult CheckUncached(string file, TimeSpan timeout)
    {
        var outDir = Directory.CreateTempSubdirectory("streamx-thrift-judge-").FullName;
        try
        {
            return RunRaw(ArgumentsFor(file, outDir), timeout);
        }
        finally
        {
            try
            {
                Directory.Delete(outDir, recursive: true);
            }
            catch (IOException)
            {
                // A killed thrift may still hold a file for a moment; the temp dir is harmless.
            }
        }
    }

    private static ThriftResult RunRaw(IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        Gate.Wait();
        try
        {
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start thrift");
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
                return new ThriftResult(ThriftVerdict.TimedOut, -1, Collect(stdout, stderr), watch.Elapsed);
            }

            process.WaitForExit(); // flushes the redirected streams
            var code = process.ExitCode;
            var verdict = code switch
            {
                0 => ThriftVerdict.Accepted,
                1 => ThriftVerdict.Rejected,
                _ => ThriftVerdict.Crashed,
            };
            return new ThriftResult(verdict, code, Collect(stdout, stderr), watch.Elapsed);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static string Collect(Task<string> stdout, Task<string> stderr)
    {
        var sb = new StringBuilder();
        foreach (var t in new[] { stdout, stderr })
        {
            if (t.Wait(TimeSpan.FromSeconds(10)))
            {
                // thrift omits the newline after FAILURE messages and warnings; split them for reading.
                sb.AppendLine(t.Result.Replace("[WARNING:", "\n[WARNING:", StringComparison.Ordinal)
                    .Replace("[FAILURE:", "\n[FAILURE:", StringComparison.Ordinal)
                    .Replace("[ERROR:", "\n[ERROR:", StringComparison.Ordinal));
            }
        }

        var lines = sb.ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            // Warnings are noise for a verdict; keep errors and failures first.
            .OrderBy(l => l.StartsWith("[WARNING:", StringComparison.Ordinal) ? 1 : 0);
        return string.Join('\n', lines);
    }

    private static string FindExecutable()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, OperatingSystem.IsWindows() ? "thrift.exe" : "thrift");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new Xunit.Sdk.XunitException(
            "the Apache Thrift compiler ('thrift') is not on PATH. This test uses it as a second judge of IDL validity " +
            "and does not skip without it. Install Debian's package (build/ci.sh does): " +
            "apt-get update && apt-get install -y thrift-compiler");
    }
}
