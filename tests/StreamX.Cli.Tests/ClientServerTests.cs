namespace StreamX.Cli.Tests;

/// <summary>
/// <c>--no-client</c> / <c>--no-server</c>: the service file loses one side, or is not written at all
/// when both are given, and <c>--list-outputs</c> predicts exactly the files written.
/// </summary>
public sealed class ClientServerTests
{
    private static readonly string[] Both = ["Echo.Types.g.cs", "Echo.Service.g.cs"];
    private static readonly string[] TypesOnly = ["Echo.Types.g.cs"];

    private static string[] Written(string output) =>
        Directory.Exists(output) ? Directory.GetFiles(output).Select(f => System.IO.Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray() : [];

    private static string[] Listed(CliResult result) =>
        result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    [Fact]
    public void Binding_DefaultsToBothSides_AndReadsTheSwitches()
    {
        CliOptions? bound = null;
        var commandLine = new CliCommandLine(options =>
        {
            bound = options;
            return 0;
        });

        Assert.Equal(0, commandLine.Root.Parse(["a.thrift"]).Invoke(new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = null }));
        Assert.False(bound!.NoClient);
        Assert.False(bound.NoServer);

        // A switch before a file must not swallow it as its value.
        Assert.Equal(0, commandLine.Root.Parse(["--no-client", "a.thrift", "--no-server", "b.thrift"]).Invoke(new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = null }));
        Assert.True(bound.NoClient);
        Assert.True(bound.NoServer);
        Assert.Equal(["a.thrift", "b.thrift"], bound.Files.ToArray());
    }

    [Theory]
    [InlineData("--no-server", "public sealed partial class EchoServiceClient", "EchoServiceBase")]
    [InlineData("--no-client", "public abstract partial class EchoServiceBase", "EchoServiceClient")]
    public void OneSwitch_OmitsThatSide(string flag, string present, string absent)
    {
        using var dir = new TempDirectory();
        var file = dir.Write("echo.thrift", Idl.Valid);
        var output = System.IO.Path.Combine(dir.Path, "gen");

        var listed = CliResult.RunInProcess(file, "-o", output, flag, "--list-outputs");
        var result = CliResult.RunInProcess(flag, file, "-o", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Both.Order(StringComparer.Ordinal), Written(output));
        Assert.Equal(Both.Select(f => System.IO.Path.Combine(output, f)), Listed(listed));
        var service = File.ReadAllText(System.IO.Path.Combine(output, "Echo.Service.g.cs"));
        Assert.Contains(present, service, StringComparison.Ordinal);
        Assert.DoesNotContain(absent, service, StringComparison.Ordinal);
        Assert.Contains("public const string ServiceName = \"EchoService\";", service, StringComparison.Ordinal);
    }

    [Fact]
    public void BothSwitches_WriteNoServiceFile_AndListOutputsSaysSo()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("echo.thrift", Idl.Valid);
        var output = System.IO.Path.Combine(dir.Path, "gen");

        var listed = CliResult.RunInProcess("--list-outputs", "--no-client", "--no-server", file, "-o", output);
        var result = CliResult.RunInProcess("--no-client", "--no-server", file, "-o", output);

        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Equal(TypesOnly.Select(f => System.IO.Path.Combine(output, f)), Listed(listed));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(TypesOnly, Written(output));
        Assert.Contains("1 file(s) up to date", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("public sealed partial class EchoRequest", File.ReadAllText(System.IO.Path.Combine(output, "Echo.Types.g.cs")), StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_ListAndWriteBothFiles_WithBothSides()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("echo.thrift", Idl.Valid);
        var output = System.IO.Path.Combine(dir.Path, "gen");

        var listed = CliResult.RunInProcess("--list-outputs", file, "-o", output);
        var result = CliResult.RunInProcess(file, "-o", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Both.Select(f => System.IO.Path.Combine(output, f)), Listed(listed));
        Assert.Equal(Both.Order(StringComparer.Ordinal), Written(output));
        var service = File.ReadAllText(System.IO.Path.Combine(output, "Echo.Service.g.cs"));
        Assert.Contains("EchoServiceClient", service, StringComparison.Ordinal);
        Assert.Contains("EchoServiceBase", service, StringComparison.Ordinal);
    }

    [Fact]
    public void Switches_DoNotChangeCheck()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("echo.thrift", Idl.Valid);

        var result = CliResult.RunInProcess("--check", "--no-client", "--no-server", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("0 errors, 0 warnings", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ListsTheSwitches()
    {
        var result = CliResult.RunInProcess("--help");

        Assert.Contains("--no-client", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--no-server", result.Stdout, StringComparison.Ordinal);
    }
}
