using StreamX.Idl.Diagnostics;

namespace StreamX.Cli.Tests;

/// <summary>Ordering and summary wording, on hand-made diagnostics (independent of the front end).</summary>
public sealed class DiagnosticPrinterTests
{
    private static Diagnostic At(DiagnosticDescriptor descriptor, string path, int line, int column, params object?[] args) =>
        Diagnostic.Create(descriptor, new SourceSpan(path, line, column, line, column + 1), args);

    [Fact]
    public void Print_SortsByPathLineColumnThenId_OnePerLine()
    {
        Diagnostic[] diagnostics =
        [
            At(DiagnosticDescriptors.UnknownType, "/b.thrift", 1, 1, "X"),
            At(DiagnosticDescriptors.DuplicateDefinition, "/a.thrift", 10, 2, "S", 3),
            At(DiagnosticDescriptors.ImplicitFieldId, "/a.thrift", 2, 5, "f", -1),
            At(DiagnosticDescriptors.UnknownType, "/a.thrift", 2, 5, "Y"),
            At(DiagnosticDescriptors.UnknownType, "/a.thrift", 2, 1, "Z"),
            Diagnostic.Create(DiagnosticDescriptors.FileNotFound, default, "c.thrift", "no such file"),
        ];
        using var writer = new StringWriter();

        DiagnosticPrinter.Print(diagnostics, writer);

        Assert.Equal(
            [
                "streamx-gen: error SX9001: cannot read 'c.thrift': no such file",
                "/a.thrift(2,1): error SX2004: cannot resolve type 'Z'",
                "/a.thrift(2,5): error SX2004: cannot resolve type 'Y'",
                "/a.thrift(2,5): warning SX2008: field 'f' has no explicit id; it gets the implicit id -1 (declare ids explicitly for compatibility)",
                "/a.thrift(10,2): error SX2003: 'S' is already defined at line 3",
                "/b.thrift(1,1): error SX2004: cannot resolve type 'X'",
            ],
            writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData(0, 0, "echo.thrift: 0 errors, 0 warnings")]
    [InlineData(0, 1, "echo.thrift: 0 errors, 1 warning")]
    [InlineData(1, 0, "echo.thrift: 1 error, 0 warnings")]
    [InlineData(3, 2, "echo.thrift: 3 errors, 2 warnings")]
    public void Summary_CountsErrorsAndWarnings(int errors, int warnings, string expected)
    {
        var diagnostics = Enumerable.Repeat(At(DiagnosticDescriptors.UnknownType, "/echo.thrift", 1, 1, "X"), errors)
            .Concat(Enumerable.Repeat(At(DiagnosticDescriptors.ImplicitFieldId, "/echo.thrift", 1, 1, "f", -1), warnings));
        using var writer = new StringWriter();

        DiagnosticPrinter.PrintSummary(["echo.thrift"], diagnostics, writer);

        Assert.Equal(expected + Environment.NewLine, writer.ToString());
    }

    [Fact]
    public void Summary_ForSeveralFiles_CountsFiles()
    {
        using var writer = new StringWriter();

        DiagnosticPrinter.PrintSummary(["a.thrift", "b.thrift"], [], writer);

        Assert.Equal("2 files: 0 errors, 0 warnings" + Environment.NewLine, writer.ToString());
    }
}
