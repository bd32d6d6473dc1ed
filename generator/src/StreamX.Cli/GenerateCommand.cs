using System.Text;
using StreamX.CodeGen;
using StreamX.Idl;
using StreamX.Idl.Semantics;

namespace StreamX.Cli;

/// <summary>
/// <c>streamx-gen [-o DIR] [-module NS] [--access A] [--no-client] [--no-server] [--depfile PATH] [--list-outputs] FILE...</c>: compile, generate, and write
/// each output only when its content changed, so MSBuild's incremental build sees unchanged
/// timestamps.
/// </summary>
internal static class GenerateCommand
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static int Run(CliOptions options, TextWriter stdout, TextWriter stderr)
    {
        var sources = new RecordingSourceProvider(FileSystemSourceProvider.Instance);
        var compilation = IdlCompiler.Compile(new IdlCompileRequest(options.Files, options.IncludePaths, sources));
        if (options.DepFile is { } depFile)
        {
            // Written even when the IDL has errors: a build tool then knows which files to watch.
            DepFile.Write(depFile, sources.FilesRead);
        }

        DiagnosticPrinter.Print(compilation.Diagnostics, stderr);
        if (compilation.Model is null)
        {
            DiagnosticPrinter.PrintSummary(options.Files, compilation.Diagnostics, stderr);
            return CliExitCodes.IdlErrors;
        }

        var codeGenOptions = new CodeGenOptions
        {
            RootNamespace = options.Module,
            Access = options.Access ?? "public",
            GenerateClient = !options.NoClient,
            GenerateServer = !options.NoServer,
        };
        var result = new CSharpGenerator(codeGenOptions).Generate(compilation.Model);
        DiagnosticPrinter.Print(result.Diagnostics, stderr);
        var all = compilation.Diagnostics.AddRange(result.Diagnostics);
        if (result.HasErrors)
        {
            DiagnosticPrinter.PrintSummary(options.Files, all, stderr);
            return CliExitCodes.IdlErrors;
        }

        var outputDirectory = Path.GetFullPath(options.OutputDirectory);
        if (options.ListOutputs)
        {
            foreach (var file in result.Files)
            {
                stdout.WriteLine(Path.Combine(outputDirectory, file.FileName));
            }

            return CliExitCodes.Success;
        }

        Directory.CreateDirectory(outputDirectory);
        var written = 0;
        foreach (var file in result.Files)
        {
            var path = Path.Combine(outputDirectory, file.FileName);
            var bytes = Utf8NoBom.GetBytes(file.Content);
            if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            {
                continue;
            }

            File.WriteAllBytes(path, bytes);
            written++;
        }

        DiagnosticPrinter.PrintSummary(options.Files, all, stderr);
        stderr.WriteLine($"{CliCommandLine.ToolName}: {result.Files.Length} file(s) up to date in {outputDirectory} ({written} written)");
        return CliExitCodes.Success;
    }
}
