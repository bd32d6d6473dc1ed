using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace StreamX.Transport.Grpc.Tests.Interop;

/// <summary>
/// A peer program run as a child process (the Node gRPC peer or the C# interop peer) that prints one
/// JSON object per line. Every line is kept; <see cref="WaitAsync"/> awaits the first event that
/// matches (already printed or still to come) with a timeout, never a sleep. Disposing kills the
/// whole process tree.
/// </summary>
internal sealed class PeerProcess : IAsyncDisposable
{
    /// <summary>How long any one event may take to show up.</summary>
    public static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly string _name;
    private readonly object _gate = new();
    private readonly List<JsonElement> _events = new();
    private readonly List<string> _output = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _stdoutClosed;

    private PeerProcess(string name, ProcessStartInfo info)
    {
        _name = name;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = true; // the Node server stops when this pipe closes (a harness that dies leaves nothing behind)
        info.UseShellExecute = false;
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, stdout: true);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, stdout: false);
        try
        {
            _process.Start();
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"cannot start {name} ({info.FileName} {string.Join(' ', info.ArgumentList)}): {e.Message}");
        }

        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary><c>node peer.js ARGS</c> in tests/interop/grpc-node (node from PATH).</summary>
    public static PeerProcess Node(params string[] args)
    {
        var info = new ProcessStartInfo("node") { WorkingDirectory = InteropPaths.GrpcNodeDirectory };
        info.ArgumentList.Add("peer.js");
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return new PeerProcess("node peer.js " + string.Join(' ', args), info);
    }

    /// <summary><c>dotnet streamx-interop-peer.dll ARGS</c> (tests/StreamX.InteropPeer).</summary>
    public static PeerProcess CSharp(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet");
        info.ArgumentList.Add(InteropPaths.CSharpPeer);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return new PeerProcess("streamx-interop-peer " + string.Join(' ', args), info);
    }

    /// <summary>Starts a server (port 0) and returns it with the address from its <c>server_listening</c> line.</summary>
    public static async Task<(PeerProcess Server, string Address)> StartServerAsync(Func<string[], PeerProcess> start, params string[] args)
    {
        var server = start(["server", "--addr", "127.0.0.1:0", .. args]);
        try
        {
            var listening = await server.WaitAsync("server_listening");
            return (server, listening.Str("addr")!);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs one Node client (the peer's <c>client</c> command) to its end: its <c>client_end</c> line and exit code 0.</summary>
    public static async Task<(PeerProcess Client, JsonElement End)> RunNodeClientAsync(string address, params string[] args)
    {
        await GrpcNodeFixture.EnsureReadyAsync();
        var client = Node(["client", "--addr", address, .. args]);
        try
        {
            var end = await client.WaitAsync("client_end");
            Assert.True(await client.ExitCodeAsync() == 0, "node client exit code\n" + client.Output);
            return (client, end);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    private void OnLine(string? line, bool stdout)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (line is null)
            {
                if (!stdout)
                {
                    return;
                }

                _stdoutClosed = true;
            }
            else
            {
                _output.Add((stdout ? "out: " : "err: ") + line);
                if (stdout && line.StartsWith('{'))
                {
                    try
                    {
                        _events.Add(JsonDocument.Parse(line).RootElement.Clone());
                    }
                    catch (JsonException)
                    {
                        // Kept in the output for the failure message.
                    }
                }
            }

            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>Every event printed so far named <paramref name="name"/> (and matching), in order.</summary>
    public IReadOnlyList<JsonElement> Events(string name, Func<JsonElement, bool>? match = null)
    {
        lock (_gate)
        {
            return _events.Where(e => e.Str("event") == name && (match is null || match(e))).ToList();
        }
    }

    /// <summary>The first event named <paramref name="name"/> (and matching), waiting for it when it has not been printed yet.</summary>
    public async Task<JsonElement> WaitAsync(string name, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null, [CallerLineNumber] int line = 0)
    {
        using var cts = new CancellationTokenSource(timeout ?? EventTimeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                foreach (var e in _events)
                {
                    if (e.Str("event") == name && (match is null || match(e)))
                    {
                        return e;
                    }
                }

                if (_stdoutClosed)
                {
                    throw Failure($"no '{name}' event before the output ended (exit code {ExitCodeOrNull()}), waited at line {line}");
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw Failure($"no '{name}' event within {(timeout ?? EventTimeout).TotalSeconds}s, waited at line {line}");
            }
        }
    }

    /// <summary>Waits for the process to exit by itself; returns its exit code.</summary>
    public async Task<int> ExitCodeAsync()
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(EventTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw Failure($"did not exit within {EventTimeout.TotalSeconds}s");
        }

        return _process.ExitCode;
    }

    private string ExitCodeOrNull() => _process.HasExited ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "running";

    private Xunit.Sdk.XunitException Failure(string what)
    {
        lock (_gate)
        {
            return new Xunit.Sdk.XunitException($"{_name}: {what}; it printed:\n{string.Join("\n", _output.TakeLast(40))}");
        }
    }

    /// <summary>Everything the process printed so far (stdout and stderr), for assertion messages.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return string.Join("\n", _output);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or cannot be waited for: nothing more to do.
        }
        finally
        {
            _process.Dispose();
        }
    }
}

/// <summary>Reading the peers' JSON events.</summary>
internal static class JsonEvents
{
    public static string? Str(this JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static int? Int(this JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    public static bool? Bool(this JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    /// <summary>A metadata object (<c>{"k":"v"}</c>) as a map; empty for null or absent.</summary>
    public static IReadOnlyDictionary<string, string> Map(this JsonElement e, string key)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in v.EnumerateObject())
            {
                map[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            }
        }

        return map;
    }
}
