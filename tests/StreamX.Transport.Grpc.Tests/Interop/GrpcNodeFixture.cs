using System.Diagnostics;

namespace StreamX.Transport.Grpc.Tests.Interop;

/// <summary>Where the peers live, found from the test assembly's folder.</summary>
internal static class InteropPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "tests", "interop", "grpc-node", "peer.js")))
            {
                return dir.FullName;
            }
        }

        throw new Xunit.Sdk.XunitException($"cannot find the repository (tests/interop/grpc-node/peer.js) above {AppContext.BaseDirectory}");
    });

    /// <summary>tests/interop/grpc-node.</summary>
    public static string GrpcNodeDirectory => Path.Combine(Root.Value, "tests", "interop", "grpc-node");

    /// <summary>The C# interop peer built with the same configuration and framework as these tests.</summary>
    public static string CSharpPeer
    {
        get
        {
            // tests/StreamX.Transport.Grpc.Tests/bin/<Configuration>/<tfm>/ -> tests/StreamX.InteropPeer/bin/<Configuration>/<tfm>/
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var path = Path.Combine(Root.Value, "tests", "StreamX.InteropPeer", "bin", tfm.Parent!.Name, tfm.Name, "streamx-interop-peer.dll");
            if (!File.Exists(path))
            {
                throw new Xunit.Sdk.XunitException($"the C# interop peer was not built at {path} (dotnet build tests/StreamX.InteropPeer -c {tfm.Parent.Name})");
            }

            return path;
        }
    }
}

/// <summary>
/// Runs tests/interop/grpc-node/setup.sh (npm ci of @grpc/grpc-js and thrift, thrift --gen js:node)
/// once per test run, whichever class needs it first. A failure fails every test that needs the Node
/// peer with the script's own message: these tests never skip.
/// </summary>
public sealed class GrpcNodeFixture : IAsyncLifetime
{
    private static readonly Lazy<Task> Setup = new(RunSetupAsync);

    /// <summary>Completes when the Node peer is ready; throws with the reason when it cannot be.</summary>
    public static Task EnsureReadyAsync() => Setup.Value;

    public Task InitializeAsync() => EnsureReadyAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task RunSetupAsync()
    {
        var script = Path.Combine(InteropPaths.GrpcNodeDirectory, "setup.sh");
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"cannot run {script} (bash): {e.Message}");
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                // npm ci may download packages the first time.
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                throw new Xunit.Sdk.XunitException($"{script} did not finish within 5 minutes (npm ci hanging?)");
            }

            if (process.ExitCode != 0)
            {
                throw new Xunit.Sdk.XunitException(
                    $"the Node gRPC interop peer cannot be set up: {script} exited with {process.ExitCode}. " +
                    "It needs Node.js 20+ and npm on PATH, the Thrift compiler 'thrift' (Debian: thrift-compiler) and the npm registry for the first npm ci. " +
                    $"Its output:\n{await stdout}\n{await stderr}");
            }
        }
    }
}
