using StreamX.CodeGen;
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
        var diagnostics = compilation.Diagnostics;
        if (compilation.Model is { } model)
        {
            // What generation would reject (C# name collisions) is an error of --check too.
            diagnostics = diagnostics.AddRange(new CSharpGenerator(new CodeGenOptions { RootNamespace = options.Module }).Check(model));
        }

        DiagnosticPrinter.Print(diagnostics, stderr);
        DiagnosticPrinter.PrintSummary(options.Files, diagnostics, stderr);
        return diagnostics.Any(d => d.IsError) ? CliExitCodes.IdlErrors : CliExitCodes.Success;
    }
}
