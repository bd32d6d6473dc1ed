namespace StreamX.Cli.Tests;

/// <summary><c>--depfile</c> (every IDL file read, for build tools) and <c>--access</c> (public|internal).</summary>
public sealed class DepFileAndAccessTests
{
    private static string[] Lines(string path) =>
        File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void DepFile_ListsRootsAndIncludes_AsAbsolutePaths()
    {
        using var dir = new TempDirectory();
        var shared = dir.Write("inc/shared.thrift", "struct Shared { 1: i32 x }\n");
        var main = dir.Write("main.thrift", "include \"shared.thrift\"\nstruct Main { 1: shared.Shared s }\n");
        var other = dir.Write("other.thrift", "struct Other { 1: i32 y }\n");
        var depFile = System.IO.Path.Combine(dir.Path, "obj", "streamx.deps");

        var result = CliResult.RunInProcess(main, other, "-I", System.IO.Path.Combine(dir.Path, "inc"),
            "-o", System.IO.Path.Combine(dir.Path, "gen"), "--depfile", depFile);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = Lines(depFile);
        Assert.Equal(new[] { main, shared, other }.Order(StringComparer.Ordinal), lines.Order(StringComparer.Ordinal));
        Assert.All(lines, l => Assert.True(System.IO.Path.IsPathFullyQualified(l), l));
    }

    [Fact]
    public void DepFile_IsNotRewritten_WhenUnchanged()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("echo.thrift", "struct Request { 1: string message }\n");
        var depFile = System.IO.Path.Combine(dir.Path, "streamx.deps");
        string[] args = [file, "-o", System.IO.Path.Combine(dir.Path, "gen"), "--depfile", depFile];
        Assert.Equal(0, CliResult.RunInProcess(args).ExitCode);
        var stamp = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(depFile, stamp);

        Assert.Equal(0, CliResult.RunInProcess(args).ExitCode);

        Assert.Equal(stamp, File.GetLastWriteTimeUtc(depFile));
    }

    [Fact]
    public void DepFile_IsRewritten_WhenTheIncludesChange()
    {
        using var dir = new TempDirectory();
        var shared = dir.Write("shared.thrift", "struct Shared { 1: i32 x }\n");
        var main = dir.Write("main.thrift", "struct Main { 1: i32 x }\n");
        var depFile = System.IO.Path.Combine(dir.Path, "streamx.deps");
        string[] args = [main, "-o", System.IO.Path.Combine(dir.Path, "gen"), "--depfile", depFile];
        Assert.Equal(0, CliResult.RunInProcess(args).ExitCode);
        Assert.Equal(new[] { main }, Lines(depFile));

        dir.Write("main.thrift", "include \"shared.thrift\"\nstruct Main { 1: shared.Shared s }\n");
        Assert.Equal(0, CliResult.RunInProcess(args).ExitCode);

        Assert.Equal(new[] { main, shared }, Lines(depFile));
    }

    [Fact]
    public void DepFile_IsWritten_WhenTheIdlHasErrors_AndDiagnosticsStayCanonical()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("bad.thrift", Idl.TwoErrors);
        var depFile = System.IO.Path.Combine(dir.Path, "streamx.deps");

        var result = CliResult.RunInProcess(file, "-o", System.IO.Path.Combine(dir.Path, "gen"), "--depfile", depFile);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(result.StderrLines, l => l.StartsWith($"{file}(2,", StringComparison.Ordinal) && l.Contains(": error SX2003: ", StringComparison.Ordinal));
        Assert.Equal(new[] { file }, Lines(depFile));
    }

    [Theory]
    [InlineData("--check")]
    [InlineData("--list-outputs")]
    public void DepFile_WithoutGeneration_IsUsageError(string verb)
    {
        using var dir = new TempDirectory();
        var file = dir.Write("echo.thrift", Idl.Valid);

        var result = CliResult.RunInProcess(verb, file, "--depfile", System.IO.Path.Combine(dir.Path, "d"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--depfile", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("internal")]
    [InlineData("public")]
    public void Access_SetsTheAccessibilityOfGeneratedTypes(string access)
    {
        using var dir = new TempDirectory();
        var file = dir.Write("echo.thrift", "struct Request { 1: string message }\n");
        var output = System.IO.Path.Combine(dir.Path, "gen");

        var result = CliResult.RunInProcess(file, "-o", output, "--access", access);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{access} sealed partial class Request", File.ReadAllText(System.IO.Path.Combine(output, "Echo.Types.g.cs")));
    }

    [Theory]
    [InlineData("private")]
    [InlineData("Public")]
    [InlineData("")]
    public void Access_InvalidValue_IsUsageError(string access)
    {
        using var dir = new TempDirectory();
        var file = dir.Write("echo.thrift", Idl.Valid);
        var output = System.IO.Path.Combine(dir.Path, "gen");

        var result = CliResult.RunInProcess(file, "-o", output, "--access", access);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--access", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }
}
