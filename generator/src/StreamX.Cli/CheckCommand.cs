using StreamX.Idl;

namespace StreamX.Cli;

/// <summary><c>streamx-gen --check</c>: compile the IDL, report every diagnostic, write nothing.</summary>
internal static class CheckCommand
{
    /// <summary>Compiles <see cref="CliOptions.Files"/> and prints diagnostics and a summary to <paramref name="stderr"/>.</summary>
    /// <returns><see cref="CliExitCodes.IdlErrors"/> when any error was reported, else <see cref="CliExitCodes.Success"/>.</returns>
    public static int Run(CliOptions options, TextWriter stderr)
    {
        var compilation = IdlCompiler.Compile(new IdlCompileRequest(options.Files, options.IncludePaths));
        DiagnosticPrinter.Print(compilation.Diagnostics, stderr);
        DiagnosticPrinter.PrintSummary(options.Files, compilation.Diagnostics, stderr);
        return compilation.HasErrors ? CliExitCodes.IdlErrors : CliExitCodes.Success;
    }
}
