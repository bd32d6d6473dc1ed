using StreamX.Tests.Shared;

namespace StreamX.Runtime.Tests.ApacheInterop;

/// <summary>
/// Apache Thrift's Python library as a real peer: generates Python from interop/interop.thrift with the Debian
/// <c>thrift</c> compiler into a temp directory and runs interop/peer.py against it. Missing tools fail the tests
/// (they are never skipped): build/ci.sh installs them.
/// </summary>
public sealed class PythonThriftPeer : IAsyncLifetime
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(120);

    private readonly string _interopDir = Path.Combine(AppContext.BaseDirectory, "interop");
    private readonly string _genDir = Path.Combine(Path.GetTempPath(), "streamx-runtime-interop-" + Guid.NewGuid().ToString("N"));

    // build/ci.sh exports STREAMX_PYTHON; /usr/bin/python3 is the interpreter that sees Debian's python3-thrift
    // (a pyenv python3 earlier on PATH does not).
    public string Python { get; } = Environment.GetEnvironmentVariable("STREAMX_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    /// <summary>Lines "case protocol hex" printed by <c>peer.py encode</c>.</summary>
    public IReadOnlyDictionary<(string Case, string Protocol), string> PythonEncodings { get; private set; } =
        new Dictionary<(string, string), string>();

    public async Task InitializeAsync()
    {
        var thrift = ChildProcess.FindOnPath("thrift");
        var pythonHasThrift = File.Exists(Python) && (await RunAsync(Python, ["-c", "import thrift"], null, throwOnError: false)).ExitCode == 0;
        if (thrift is null || !pythonHasThrift)
        {
            throw new InvalidOperationException(
                "The Apache Thrift interop peer is missing: "
                + (thrift is null ? "no 'thrift' compiler on PATH; " : string.Empty)
                + (pythonHasThrift ? string.Empty : $"'{Python}' cannot 'import thrift'; ")
                + "build/ci.sh installs them (Debian: apt-get install -y thrift-compiler python3-thrift; "
                + "set STREAMX_PYTHON if the interpreter that has python3-thrift is not /usr/bin/python3).");
        }

        Directory.CreateDirectory(_genDir);
        await RunAsync(thrift, ["--gen", "py", "-out", _genDir, Path.Combine(_interopDir, "interop.thrift")], null);

        var output = await RunAsync(Python, [Path.Combine(_interopDir, "peer.py"), _genDir, "encode"], null);
        PythonEncodings = output.Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' '))
            .ToDictionary(parts => (parts[0], parts[1]), parts => parts.Length > 2 ? parts[2] : string.Empty);
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_genDir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory must not fail the run.
        }

        return Task.CompletedTask;
    }

    /// <summary>Sends "case protocol hex" lines to <c>peer.py roundtrip</c>; returns its "case protocol verdict hex" lines.</summary>
    public async Task<IReadOnlyList<string[]>> RoundTripAsync(IEnumerable<string> lines)
    {
        var output = await RunAsync(Python, [Path.Combine(_interopDir, "peer.py"), _genDir, "roundtrip"], string.Join('\n', lines) + "\n");
        return [.. output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.Split(' '))];
    }

    private static Task<(int ExitCode, string Stdout)> RunAsync(string file, string[] args, string? stdin, bool throwOnError = true) =>
        ChildProcess.RunAsync(file, args, stdin, ProcessTimeout, throwOnError);
}
