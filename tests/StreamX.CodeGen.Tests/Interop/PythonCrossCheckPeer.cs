using StreamX.Tests.Shared;

namespace StreamX.CodeGen.Tests.Interop;

/// <summary>
/// Apache Thrift's generated Python as the other implementation: <c>thrift --gen py</c> (Debian's
/// thrift-compiler 0.17) turns Interop/crosscheck.thrift into Python in a temp directory, and
/// Interop/crosscheck.py encodes its fixtures with it or decodes bytes we send. Missing tools fail the
/// tests (they never skip): build/ci.sh installs them.
/// </summary>
public sealed class PythonCrossCheckPeer : IAsyncLifetime
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(120);

    private readonly string _genDir = Path.Combine(Path.GetTempPath(), "streamx-codegen-crosscheck-" + Guid.NewGuid().ToString("N"));

    /// <summary>Interop/ in the output directory: crosscheck.thrift, crosscheck.py, CrossCheckFixtures.cs.txt.</summary>
    public static string InteropDir { get; } = Path.Combine(AppContext.BaseDirectory, "Interop");

    public static string IdlPath { get; } = Path.Combine(InteropDir, "crosscheck.thrift");

    // build/ci.sh exports STREAMX_PYTHON; /usr/bin/python3 is the interpreter that sees Debian's python3-thrift
    // (a pyenv python3 earlier on PATH does not).
    public string Python { get; } = Environment.GetEnvironmentVariable("STREAMX_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    /// <summary>Fixture names in the order crosscheck.py prints them.</summary>
    public IReadOnlyList<string> Names { get; private set; } = [];

    /// <summary>Python's encoding of each fixture: (name, "binary"|"compact") → bytes.</summary>
    public IReadOnlyDictionary<(string Name, string Protocol), byte[]> Encodings { get; private set; } =
        new Dictionary<(string, string), byte[]>();

    public async Task InitializeAsync()
    {
        var thrift = ChildProcess.FindOnPath("thrift");
        var pythonHasThrift = File.Exists(Python) && (await RunAsync(Python, ["-c", "import thrift"], null, throwOnError: false)).ExitCode == 0;
        if (thrift is null || !pythonHasThrift)
        {
            throw new InvalidOperationException(
                "The Apache Thrift cross-check peer is missing: "
                + (thrift is null ? "no 'thrift' compiler on PATH; " : string.Empty)
                + (pythonHasThrift ? string.Empty : $"'{Python}' cannot 'import thrift'; ")
                + "build/ci.sh installs them (Debian: apt-get install -y thrift-compiler python3-thrift; "
                + "set STREAMX_PYTHON if the interpreter that has python3-thrift is not /usr/bin/python3).");
        }

        Directory.CreateDirectory(_genDir);
        await RunAsync(thrift, ["--gen", "py", "-out", _genDir, IdlPath], null);

        var lines = await RunScriptAsync("encode", null);
        Names = lines.Select(l => l[0]).Distinct().ToList();
        Encodings = lines.ToDictionary(l => (l[0], l[1]), l => Convert.FromHexString(l[2]));
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

    /// <summary>
    /// Sends (name, protocol, bytes) to <c>crosscheck.py decode</c>; returns, per input, Python's verdict
    /// ("OK" or "FAIL:…") and its re-encoding of what it decoded (null when decoding failed).
    /// </summary>
    public async Task<IReadOnlyList<(string Name, string Protocol, string Verdict, byte[]? Reencoded)>> DecodeAsync(
        IEnumerable<(string Name, string Protocol, byte[] Data)> inputs)
    {
        var stdin = string.Concat(inputs.Select(i => $"{i.Name} {i.Protocol} {Convert.ToHexString(i.Data)}\n"));
        var lines = await RunScriptAsync("decode", stdin);
        return [.. lines.Select(l => (l[0], l[1], l[2], l[3] == "-" ? null : Convert.FromHexString(l[3])))];
    }

    private async Task<List<string[]>> RunScriptAsync(string command, string? stdin)
    {
        var (_, stdout) = await RunAsync(Python, [Path.Combine(InteropDir, "crosscheck.py"), _genDir, command], stdin);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' '))
            .ToList();
        var expectedParts = command == "encode" ? 3 : 4;
        var bad = lines.FirstOrDefault(l => l.Length != expectedParts);
        if (bad is not null)
        {
            throw new InvalidOperationException($"crosscheck.py {command} printed an unexpected line: {string.Join(' ', bad)}");
        }

        return lines;
    }

    private static Task<(int ExitCode, string Stdout)> RunAsync(string file, string[] args, string? stdin, bool throwOnError = true) =>
        ChildProcess.RunAsync(file, args, stdin, ProcessTimeout, throwOnError);
}
