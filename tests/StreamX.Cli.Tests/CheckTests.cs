using System.Text.RegularExpressions;

namespace StreamX.Cli.Tests;

/// <summary>
/// <c>--check</c> on real files through the real front end: exit codes, canonical diagnostics on
/// stderr, the summary line, and nothing on stdout.
/// </summary>
public sealed partial class CheckTests
{
    [GeneratedRegex(@"^(?<path>.+)\((?<line>\d+),(?<column>\d+)\): (?<severity>error|warning) (?<id>SX\d{4}): (?<message>.+)$")]
    private static partial Regex CanonicalDiagnostic();

    private static Match AssertCanonical(string line)
    {
        var match = CanonicalDiagnostic().Match(line);
        Assert.True(match.Success, $"not in MSBuild canonical form: {line}");
        return match;
    }

    [Fact]
    public void ValidIdl_ExitsZero_WithOnlyTheSummary()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("echo.thrift", Idl.Valid);

        var result = CliResult.RunInProcess("--check", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([$"{file}: 0 errors, 0 warnings"], result.StderrLines);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public void WarningsAlone_ExitZero_AndAreReported()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("legacy.thrift", Idl.WarningOnly);

        var result = CliResult.RunInProcess("--check", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(2, result.StderrLines.Count);
        var warning = AssertCanonical(result.StderrLines[0]);
        Assert.Equal(file, warning.Groups["path"].Value);
        Assert.Equal("2", warning.Groups["line"].Value);
        Assert.Equal("warning", warning.Groups["severity"].Value);
        Assert.Equal("SX2008", warning.Groups["id"].Value);
        Assert.Equal($"{file}: 0 errors, 1 warning", result.StderrLines[1]);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public void Errors_ExitOne_EveryErrorInCanonicalForm_SortedByLine()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("bad.thrift", Idl.TwoErrors);

        var result = CliResult.RunInProcess("--check", file);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Equal(3, result.StderrLines.Count);
        var first = AssertCanonical(result.StderrLines[0]);
        var second = AssertCanonical(result.StderrLines[1]);
        Assert.Equal((file, "2", "error", "SX2003"), (first.Groups["path"].Value, first.Groups["line"].Value, first.Groups["severity"].Value, first.Groups["id"].Value));
        Assert.Equal((file, "3", "error", "SX2004"), (second.Groups["path"].Value, second.Groups["line"].Value, second.Groups["severity"].Value, second.Groups["id"].Value));
        Assert.Equal($"{file}: 2 errors, 0 warnings", result.StderrLines[2]);
    }

    [Fact]
    public void SyntaxError_ExitsOne()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("syntax.thrift", Idl.SyntaxError);

        var result = CliResult.RunInProcess("--check", file);

        Assert.True(result.ExitCode == 1, result.ToString());
        var error = AssertCanonical(result.StderrLines[0]);
        Assert.Equal("error", error.Groups["severity"].Value);
        Assert.StartsWith("SX1", error.Groups["id"].Value);
        Assert.Matches(@": [1-9]\d* errors?, \d+ warnings?$", result.StderrLines[^1]);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public void SeveralFiles_DiagnosticsSortedByPath_OneSummary()
    {
        using var dir = new TempDirectory();
        var a = dir.Write("a.thrift", Idl.TwoErrors);
        var b = dir.Write("b.thrift", Idl.TwoErrors);

        var result = CliResult.RunInProcess("--check", b, a);

        Assert.True(result.ExitCode == 1, result.ToString());
        var paths = result.StderrLines.SkipLast(1).Select(l => AssertCanonical(l).Groups["path"].Value).ToArray();
        Assert.Equal([a, a, b, b], paths);
        Assert.Equal("2 files: 4 errors, 0 warnings", result.StderrLines[^1]);
    }

    [Fact]
    public void IncludeDirectory_FromDashI_ResolvesIncludes()
    {
        using var dir = new TempDirectory();
        dir.Write("shared/common.thrift", "struct Shared {\n    1: string value\n}\n");
        var main = dir.Write("src/main.thrift", "include \"common.thrift\"\n\nstruct Uses {\n    1: common.Shared shared\n}\n");

        var without = CliResult.RunInProcess("--check", main);
        var with = CliResult.RunInProcess("--check", "-I", Path.Combine(dir.Path, "shared"), main);

        Assert.True(without.ExitCode == 1, without.ToString());
        Assert.Contains(without.StderrLines, l => CanonicalDiagnostic().Match(l) is { Success: true } m && m.Groups["id"].Value == "SX2001");
        Assert.True(with.ExitCode == 0, with.ToString());
        Assert.Equal([$"{main}: 0 errors, 0 warnings"], with.StderrLines);
    }

    [Fact]
    public void RelativePaths_AreResolvedAgainstTheWorkingDirectory()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("echo.thrift", Idl.Valid);
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, file);

        var result = CliResult.RunInProcess("--check", relative);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([$"{relative}: 0 errors, 0 warnings"], result.StderrLines);
    }
}
