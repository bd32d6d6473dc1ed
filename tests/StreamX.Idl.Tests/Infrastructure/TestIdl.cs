using System.Diagnostics;
using System.Text;
using StreamX.Idl.Diagnostics;
using StreamX.Idl.Model;
using StreamX.Idl.Semantics;

namespace StreamX.Idl.Tests.Infrastructure;

/// <summary>The outcome of one compilation run on its own thread.</summary>
/// <param name="Compilation">The result, when Compile returned.</param>
/// <param name="Exception">What Compile threw (a bug: it must never throw for bad input).</param>
/// <param name="TimedOut">True when Compile did not return in time (the thread is abandoned).</param>
/// <param name="Elapsed">Wall time until return or timeout.</param>
/// <param name="AllocatedBytes">Bytes allocated by the compiling thread (approximate).</param>
public sealed record CompileRun(IdlCompilation? Compilation, Exception? Exception, bool TimedOut, TimeSpan Elapsed, long AllocatedBytes)
{
    /// <summary>True when Compile returned a compilation.</summary>
    public bool Returned => Compilation is not null;

    /// <summary>A one-line description of what went wrong, or null when Compile returned.</summary>
    public string? Failure =>
        TimedOut ? $"Compile did not return within {Elapsed.TotalSeconds:0.#} s" :
        Exception is not null ? $"Compile threw {Exception.GetType().Name}: {Exception}" :
        null;
}

/// <summary>Compiles IDL for tests: on a separate thread with a timeout, and formats diagnostics for failure messages.</summary>
public static class TestIdl
{
    /// <summary>Default time a single compilation may take before the test fails.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Compiles a file from disk (and what it includes).</summary>
    public static CompileRun CompileFile(string path, TimeSpan? timeout = null, params string[] includePaths) =>
        Run(new IdlCompileRequest(new[] { path }, includePaths), timeout ?? DefaultTimeout);

    /// <summary>Compiles in-memory text as <paramref name="path"/>.</summary>
    public static CompileRun CompileText(string text, string path = "test.thrift", TimeSpan? timeout = null) =>
        Run(new IdlCompileRequest(new[] { path }, null, new InMemorySourceProvider().Add(path, text)), timeout ?? DefaultTimeout);

    /// <summary>
    /// Runs <see cref="IdlCompiler.Compile"/> on a dedicated background thread and waits at most
    /// <paramref name="timeout"/>. A hung compilation cannot be stopped; its thread is abandoned
    /// (it is a background thread, so it does not keep the test process alive).
    /// </summary>
    public static CompileRun Run(IdlCompileRequest request, TimeSpan timeout)
    {
        IdlCompilation? compilation = null;
        Exception? exception = null;
        long allocated = 0;
        var thread = new Thread(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                compilation = IdlCompiler.Compile(request);
            }
            catch (Exception e)
            {
                exception = e;
            }
            finally
            {
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }
        })
        {
            IsBackground = true,
            Name = "IdlCompile",
        };
        var watch = Stopwatch.StartNew();
        thread.Start();
        var finished = thread.Join(timeout);
        watch.Stop();
        return finished
            ? new CompileRun(compilation, exception, false, watch.Elapsed, allocated)
            : new CompileRun(null, null, true, watch.Elapsed, 0);
    }

    /// <summary>Compiles and fails the test (with a readable message) unless Compile returned.</summary>
    public static IdlCompilation MustReturn(CompileRun run, string what)
    {
        if (run.Failure is { } failure)
        {
            Assert.Fail($"{what}: {failure}");
        }

        return run.Compilation!;
    }

    /// <summary>Every diagnostic on its own line in MSBuild form, or "(no diagnostics)".</summary>
    public static string Format(IEnumerable<Diagnostic> diagnostics)
    {
        var sb = new StringBuilder();
        foreach (var d in diagnostics)
        {
            sb.Append("  ").AppendLine(d.ToString());
        }

        return sb.Length == 0 ? "  (no diagnostics)" : sb.ToString().TrimEnd();
    }

    /// <summary>The error diagnostics of a compilation.</summary>
    public static IReadOnlyList<Diagnostic> Errors(IdlCompilation compilation) =>
        compilation.Diagnostics.Where(d => d.IsError).ToArray();

    /// <summary>"Name=Mode, Name=Mode" for a service's AllMethods, for compact comparisons.</summary>
    public static string DescribeModes(ServiceModel service) =>
        string.Join(", ", service.AllMethods.Select(m => $"{m.Name}={m.StreamingMode}"));

    /// <summary>Finds a service by name among the definitions of a root file.</summary>
    public static ServiceModel Service(IdlFile file, string name) =>
        file.Services.SingleOrDefault(s => s.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"{file.Path} has no service '{name}' (it has: {string.Join(", ", file.Services.Select(s => s.Name))})");

    /// <summary>The single root file of a successful compilation.</summary>
    public static IdlFile Root(IdlCompilation compilation)
    {
        Assert.False(compilation.HasErrors, "expected no errors, got:\n" + Format(compilation.Diagnostics));
        Assert.NotNull(compilation.Model);
        return Assert.Single(compilation.Model!.Roots);
    }
}
