using StreamX.Idl.Diagnostics;

namespace StreamX.Cli;

/// <summary>Checks the files named on the command line before any verb runs.</summary>
internal static class InputFiles
{
    /// <summary>
    /// Reports (to <paramref name="stderr"/>) an empty file list and every named file that is not an
    /// existing file. Either is a usage error, not an IDL error: the user typed a wrong path. Files
    /// reached through includes are the front end's business (SX2001).
    /// </summary>
    /// <returns>True when at least one file was named and every named file exists.</returns>
    public static bool Validate(CliOptions options, TextWriter stderr)
    {
        if (options.Files.IsEmpty)
        {
            CliCommandLine.ReportUsageErrors(stderr, "no input files");
            return false;
        }

        var ok = true;
        foreach (var file in options.Files)
        {
            if (File.Exists(file))
            {
                continue;
            }

            var reason = Directory.Exists(file) ? "it is a directory" : "no such file";
            // A span without a path makes the canonical form start with "streamx-gen: ".
            stderr.WriteLine(Diagnostic.Create(DiagnosticDescriptors.FileNotFound, default, file, reason));
            ok = false;
        }

        return ok;
    }
}
