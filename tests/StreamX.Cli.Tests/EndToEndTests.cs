using System.Diagnostics;

namespace StreamX.Cli.Tests;

/// <summary>
/// The real <c>streamx-gen</c> entry point in its own process: proves <c>Program.Main</c> wires
/// stdout, stderr and the exit code, and that the built tool starts (runtimeconfig, dependencies).
/// </summary>
public sealed class EndToEndTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("--version", 0)]
    [InlineData("--check <missing>", 2)]
    public async Task BuiltTool_RunsAsAProcess(string arguments, int expectedExitCode)
    {
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, "missing.thrift");
        var args = arguments.Split(' ').Select(a => a == "<missing>" ? missing : a).ToArray();

        var result = await RunToolAsync(args);

        Assert.True(result.ExitCode == expectedExitCode, result.ToString());
        if (expectedExitCode == 0)
        {
            Assert.StartsWith("0.1.0", result.Stdout);
            Assert.Equal(string.Empty, result.Stderr);
        }
        else
        {
            Assert.Equal(string.Empty, result.Stdout);
            Assert.Equal([$"streamx-gen: error SX9001: cannot read '{missing}': no such file"], result.StderrLines);
        }
    }

    private static async Task<CliResult> RunToolAsync(string[] args)
    {
        var startInfo = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(ToolDll());
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start " + startInfo.FileName);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"streamx-gen {string.Join(' ', args)} did not exit within {Timeout}");
        }

        return new CliResult(
            process.ExitCode,
            await stdout.WaitAsync(Timeout),
            await stderr.WaitAsync(Timeout));
    }

    /// <summary>
    /// The tool as built next to the test assembly: the SDK copies a referenced executable's
    /// runtimeconfig.json with it, so <c>dotnet streamx-gen.dll</c> runs from here.
    /// </summary>
    private static string ToolDll()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "streamx-gen.dll");
        var runtimeConfig = Path.Combine(AppContext.BaseDirectory, "streamx-gen.runtimeconfig.json");
        Assert.True(File.Exists(dll) && File.Exists(runtimeConfig), $"streamx-gen.dll or its runtimeconfig.json is missing from {AppContext.BaseDirectory}");
        return dll;
    }

    /// <summary>The dotnet host that runs the tests (set by the SDK), else <c>dotnet</c> on PATH.</summary>
    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        return Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
    }
}
