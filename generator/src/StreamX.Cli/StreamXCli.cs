using System.CommandLine;

namespace StreamX.Cli;

/// <summary>
/// The <c>streamx-gen</c> command line, callable in-process. <see cref="Run"/> parses the arguments,
/// dispatches to one command handler and maps the outcome to an exit code; it never touches
/// <see cref="Console"/>, so tests and hosts can capture both streams.
/// </summary>
public static class StreamXCli
{
    /// <summary>
    /// Runs <c>streamx-gen</c> with the given arguments.
    /// </summary>
    /// <param name="args">The command-line arguments, without the program name.</param>
    /// <param name="stdout">Receives help and version text, and the list of <c>--list-outputs</c>.</param>
    /// <param name="stderr">Receives diagnostics, the summary line and usage errors.</param>
    /// <returns>
    /// 0 when no error was found, 1 when the IDL has errors, 2 for a usage error (unknown option,
    /// no input file, an input file that does not exist), 3 for an internal error.
    /// </returns>
    /// <remarks>
    /// Thread-safe: each call builds its own parser and writes only to the writers it is given.
    /// Relative paths are resolved against the process's current directory.
    /// </remarks>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        try
        {
            var commandLine = new CliCommandLine(options => Dispatch(options, stdout, stderr));
            var parseResult = commandLine.Root.Parse(args);
            var usageErrors = commandLine.GetUsageErrors(parseResult);
            if (usageErrors.Count > 0)
            {
                return CliCommandLine.ReportUsageErrors(stderr, usageErrors);
            }

            return parseResult.Invoke(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                // Exceptions are ours to report (exit code 3), and an in-process caller owns the signals.
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
        catch (Exception e)
        {
            stderr.WriteLine($"{CliCommandLine.ToolName}: error: internal error, please report it: {e}");
            return CliExitCodes.InternalError;
        }
        finally
        {
            stdout.Flush();
            stderr.Flush();
        }
    }

    /// <summary>Chooses the verb: check, list outputs, or generate.</summary>
    private static int Dispatch(CliOptions options, TextWriter stdout, TextWriter stderr)
    {
        if (options.Check && options.ListOutputs)
        {
            return CliCommandLine.ReportUsageErrors(stderr, "--check and --list-outputs cannot be combined");
        }

        if (options.Module is { } module && !StreamX.CodeGen.CodeGenOptions.IsValidNamespaceName(module))
        {
            return CliCommandLine.ReportUsageErrors(stderr, $"-module: '{module}' is not a valid C# namespace");
        }

        if (options.Access is { } access && access is not ("public" or "internal"))
        {
            return CliCommandLine.ReportUsageErrors(stderr, $"--access: '{access}' is not 'public' or 'internal'");
        }

        if (options.DepFile is { Length: 0 })
        {
            return CliCommandLine.ReportUsageErrors(stderr, "--depfile: the path is empty");
        }

        if (options.DepFile is not null && (options.Check || options.ListOutputs))
        {
            return CliCommandLine.ReportUsageErrors(stderr, "--depfile is only written when generating (not with --check or --list-outputs)");
        }

        if (!InputFiles.Validate(options, stderr))
        {
            return CliExitCodes.UsageError;
        }

        return options.Check ? CheckCommand.Run(options, stderr) : GenerateCommand.Run(options, stdout, stderr);
    }
}
