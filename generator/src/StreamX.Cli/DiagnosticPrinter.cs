using System.Globalization;
using StreamX.Idl.Diagnostics;

namespace StreamX.Cli;

/// <summary>Prints diagnostics in MSBuild canonical form and the one-line summary.</summary>
internal static class DiagnosticPrinter
{
    /// <summary>
    /// Writes one canonical-form line per diagnostic, sorted by path, line, column, then id and
    /// message (ordinal), so the output is the same on every run and machine.
    /// </summary>
    public static void Print(IEnumerable<Diagnostic> diagnostics, TextWriter writer)
    {
        foreach (var diagnostic in Sort(diagnostics))
        {
            writer.WriteLine(diagnostic.ToString());
        }
    }

    /// <summary>Writes <c>echo.thrift: 0 errors, 1 warning</c> (or <c>3 files: …</c> for several inputs).</summary>
    public static void PrintSummary(IReadOnlyList<string> files, IEnumerable<Diagnostic> diagnostics, TextWriter writer)
    {
        var errors = 0;
        var warnings = 0;
        foreach (var diagnostic in diagnostics)
        {
            switch (diagnostic.Severity)
            {
                case DiagnosticSeverity.Error:
                    errors++;
                    break;
                case DiagnosticSeverity.Warning:
                    warnings++;
                    break;
            }
        }

        var subject = files.Count == 1 ? files[0] : Count(files.Count, "file");
        writer.WriteLine($"{subject}: {Count(errors, "error")}, {Count(warnings, "warning")}");
    }

    /// <summary>The print order: diagnostics without a path first, then by path, position, id, message.</summary>
    public static IEnumerable<Diagnostic> Sort(IEnumerable<Diagnostic> diagnostics) => diagnostics
        .OrderBy(d => d.Span.Path ?? string.Empty, StringComparer.Ordinal)
        .ThenBy(d => d.Span.StartLine)
        .ThenBy(d => d.Span.StartColumn)
        .ThenBy(d => d.Id, StringComparer.Ordinal)
        .ThenBy(d => d.Message, StringComparer.Ordinal);

    private static string Count(int n, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? string.Empty : "s")}");
}
