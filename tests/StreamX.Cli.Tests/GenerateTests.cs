namespace StreamX.Cli.Tests;

/// <summary>Generation through the CLI: outputs, -module, --list-outputs, unchanged files not rewritten.</summary>
public sealed class GenerateTests
{
    private const string NoNamespace = "struct Request { 1: string message }\n";

    [Fact]
    public void Generates_TypesFile_InOutputDirectory()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("echo.thrift", NoNamespace);
        var output = System.IO.Path.Combine(dir.Path, "gen");

        var result = CliResult.RunInProcess(file, "-o", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        var generated = File.ReadAllText(System.IO.Path.Combine(output, "Echo.Types.g.cs"));
        Assert.Contains("namespace Echo;", generated);
        Assert.Contains("public sealed partial class Request", generated);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public void Module_SetsNamespace_ForIdlWithoutOne()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("echo.thrift", NoNamespace);
        var output = System.IO.Path.Combine(dir.Path, "gen");

        var result = CliResult.RunInProcess("-module", "My.Company.Echo", file, "-o", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("namespace My.Company.Echo;", File.ReadAllText(System.IO.Path.Combine(output, "Echo.Types.g.cs")));
    }

    [Fact]
    public void Module_DoesNotOverride_DeclaredCSharpNamespace()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("echo.thrift", "namespace csharp Declared.Ns\n" + NoNamespace);
        var output = System.IO.Path.Combine(dir.Path, "gen");

        var result = CliResult.RunInProcess("--module", "Ignored", file, "-o", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("namespace Declared.Ns;", File.ReadAllText(System.IO.Path.Combine(output, "Echo.Types.g.cs")));
    }

    [Fact]
    public void ListOutputs_PrintsAbsolutePaths_IncludingIncludedFiles_AndWritesNothing()
    {
        using var dir = new TempDirectory();
        dir.Write("shared.thrift", "struct Shared { 1: i32 x }\n");
        var file = dir.Write("main.thrift", "include \"shared.thrift\"\nstruct Main { 1: shared.Shared s }\n");
        var output = System.IO.Path.Combine(dir.Path, "gen");

        var result = CliResult.RunInProcess("--list-outputs", file, "-o", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(new[] { System.IO.Path.Combine(output, "Shared.Types.g.cs"), System.IO.Path.Combine(output, "Main.Types.g.cs") }, lines);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void SecondRun_DoesNotRewrite_UnchangedFiles()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("echo.thrift", NoNamespace);
        var output = System.IO.Path.Combine(dir.Path, "gen");
        Assert.Equal(0, CliResult.RunInProcess(file, "-o", output).ExitCode);
        var generated = System.IO.Path.Combine(output, "Echo.Types.g.cs");
        var stamp = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(generated, stamp);

        var second = CliResult.RunInProcess(file, "-o", output);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(generated));
        Assert.Contains("(0 written)", second.Stderr);
    }

    [Fact]
    public void IdlErrors_ExitOne_AndWriteNothing()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("bad.thrift", "struct A { 1: Missing m }\n");
        var output = System.IO.Path.Combine(dir.Path, "gen");

        var result = CliResult.RunInProcess(file, "-o", output);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("error SX2004", result.Stderr);
        Assert.False(Directory.Exists(output));
    }
}
