using System.Reflection;

namespace StreamX.Cli.Tests;

/// <summary>Help, version and usage errors: everything decided before the front end runs.</summary>
public sealed class UsageTests
{
    [Fact]
    public void Help_PrintsUsageToStdout_AndExitsZero()
    {
        var result = CliResult.RunInProcess("--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("streamx-gen", result.Stdout);
        Assert.Contains("Usage:", result.Stdout);
        Assert.Contains("--check", result.Stdout);
        Assert.Contains("-I, --include <DIR>", result.Stdout);
        Assert.Contains("<FILE>", result.Stdout);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("-?")]
    public void HelpAliases_ExitZero(string alias)
    {
        var result = CliResult.RunInProcess(alias);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Usage:", result.Stdout);
    }

    [Fact]
    public void Help_WinsOverUnknownOptions()
    {
        var result = CliResult.RunInProcess("--bogus", "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Usage:", result.Stdout);
    }

    [Fact]
    public void Version_PrintsTheInformationalVersionOfTheTool_NotOfTheHost()
    {
        var expected = typeof(StreamXCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        var result = CliResult.RunInProcess("--version");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(expected + Environment.NewLine, result.Stdout);
        Assert.StartsWith("0.1.0", expected);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("-x")]
    [InlineData("--checks")]
    public void UnknownOption_IsAUsageError(string option)
    {
        using var dir = new TempDirectory();
        var file = dir.Write("echo.thrift", Idl.Valid);

        var result = CliResult.RunInProcess("--check", option, file);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"streamx-gen: error: unrecognized option '{option}'", result.StderrLines[0]);
        Assert.Equal("Try 'streamx-gen --help' for more information.", result.StderrLines[^1]);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public void NoArguments_IsAUsageError()
    {
        var result = CliResult.RunInProcess();

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("streamx-gen: error: ", result.StderrLines[0]);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public void CheckWithoutFiles_IsAUsageError()
    {
        var result = CliResult.RunInProcess("--check");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("streamx-gen: error: no input files", result.StderrLines[0]);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public void CheckWithListOutputs_IsAUsageError()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("echo.thrift", Idl.Valid);

        var result = CliResult.RunInProcess("--check", "--list-outputs", file);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--list-outputs", result.StderrLines[0]);
    }

    [Fact]
    public void InvalidModule_IsAUsageError()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("echo.thrift", Idl.Valid);

        var result = CliResult.RunInProcess("-module", "Not A.Namespace", file);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("-module", result.StderrLines[0]);
    }

    [Fact]
    public void IncludeWithoutDirectory_IsAUsageError()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("echo.thrift", Idl.Valid);

        var result = CliResult.RunInProcess("--check", file, "-I");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("streamx-gen: error: ", result.StderrLines[0]);
        Assert.Contains("-I", result.StderrLines[0]);
    }

    [Fact]
    public void MissingFile_IsAUsageError_ReportedAsSX9001()
    {
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, "nope.thrift");

        var result = CliResult.RunInProcess("--check", missing);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal([$"streamx-gen: error SX9001: cannot read '{missing}': no such file"], result.StderrLines);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public void EveryMissingFileIsReported_AndNothingIsCompiled()
    {
        using var dir = new TempDirectory();
        var present = dir.Write("echo.thrift", Idl.TwoErrors);
        var missing1 = Path.Combine(dir.Path, "a.thrift");
        var missing2 = Path.Combine(dir.Path, "b.thrift");

        var result = CliResult.RunInProcess("--check", missing1, present, missing2);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(
            [
                $"streamx-gen: error SX9001: cannot read '{missing1}': no such file",
                $"streamx-gen: error SX9001: cannot read '{missing2}': no such file",
            ],
            result.StderrLines);
    }

    [Fact]
    public void DirectoryAsFile_IsAUsageError()
    {
        using var dir = new TempDirectory();

        var result = CliResult.RunInProcess("--check", dir.Path);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal([$"streamx-gen: error SX9001: cannot read '{dir.Path}': it is a directory"], result.StderrLines);
    }

    [Fact]
    public void AFileNamedLikeAnOption_CanBeGivenAfterDoubleDash()
    {
        var result = CliResult.RunInProcess("--check", "--", "--not-an-option.thrift");

        // Accepted as a file name, so the error is about the file, not the option.
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(["streamx-gen: error SX9001: cannot read '--not-an-option.thrift': no such file"], result.StderrLines);
    }
}
