using BenchmarkDotNet.Running;

namespace StreamX.Benchmarks;

/// <summary>Entry point: BenchmarkDotNet's switcher, so <c>--filter</c>, <c>--job</c> etc. work as documented.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        // Always in-process (InProcessEmitToolchain). BenchmarkDotNet's default out-of-process toolchain rebuilds this
        // project and all its references with one global IntermediateOutputPath, which the ANTLR build tasks of
        // StreamX.Idl (pulled in by the streamx-gen reference) cannot handle, and which makes every project share one obj/.
        if (!args.Contains("--inProcess", StringComparer.OrdinalIgnoreCase) && !args.Contains("-i"))
        {
            args = [.. args, "--inProcess"];
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
