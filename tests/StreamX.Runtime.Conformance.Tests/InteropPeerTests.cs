using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using StreamX.Runtime.Conformance.Tests.Infrastructure;
using static StreamX.Runtime.Conformance.Tests.Infrastructure.KitexTexts;

namespace StreamX.Runtime.Conformance.Tests;

/// <summary>
/// The interop peer (tests/StreamX.InteropPeer) as separate processes over TCP: the same program
/// anyone uses to run C# against Kitex by hand must itself behave like the Go oracle programs.
/// </summary>
[Trait("Category", "Slow")]
public sealed class InteropPeerTests
{
    private static string PeerPath
    {
        get
        {
            // tests/X/bin/<Configuration>/net10.0/ -> tests/StreamX.InteropPeer/bin/<Configuration>/net10.0/
            var dir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var path = Path.Combine(dir.Parent!.Parent!.Parent!.Parent!.FullName, "StreamX.InteropPeer", "bin", dir.Parent.Name, dir.Name, "streamx-interop-peer.dll");
            Assert.True(File.Exists(path), $"the interop peer was not built at {path}");
            return path;
        }
    }

    private sealed class Peer : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

        public Peer(params string[] args)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(PeerPath);
            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }

            _process = Process.Start(info)!;
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    _output.Enqueue("out: " + e.Data);
                }

                if (e.Data is null)
                {
                    _events.Writer.TryComplete(); // end of output (Exited can come before the last lines)
                }
                else if (e.Data is { Length: > 0 } line && line[0] == '{')
                {
                    _events.Writer.TryWrite(JsonDocument.Parse(line).RootElement.Clone());
                }
            };
            _process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    _output.Enqueue("err: " + e.Data);
                }
            };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public async Task<JsonElement> NextAsync(string eventName)
        {
            try
            {
                while (true)
                {
                    var e = await _events.Reader.ReadAsync().AsTask().Within(TimeSpan.FromSeconds(60));
                    if (e.GetProperty("event").GetString() == eventName)
                    {
                        return e;
                    }
                }
            }
            catch (Exception e) when (e is TimeoutException or ChannelClosedException)
            {
                throw new Xunit.Sdk.XunitException($"no '{eventName}' event ({e.Message}); the process printed:\n{string.Join("\n", _output.TakeLast(30))}");
            }
        }

        public async Task<int> ExitCodeAsync()
        {
            await _process.WaitForExitAsync().Within(TimeSpan.FromSeconds(60));
            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }
    }

    private static async Task<(Peer Server, string Address)> StartServerAsync(params string[] extra)
    {
        var server = new Peer(["server", "--addr", "127.0.0.1:0", .. extra]);
        var listening = await server.NextAsync("server_listening");
        return (server, listening.GetProperty("addr").GetString()!);
    }

    [Fact]
    public async Task Peers_RunTheOracleScenarios_WithKitexTexts()
    {
        var (server, address) = await StartServerAsync();
        await using var _ = server;

        await using (var client = new Peer("client", "--addr", address, "--mode", "servererr", "-n", "2", "--delay-ms", "1"))
        {
            var end = await client.NextAsync("client_end");
            Assert.Equal("[ttstream error, code=12001] [client-side stream] biz error: oracle handler failure", end.GetProperty("err").GetString());
            Assert.Equal(2, end.GetProperty("recv_count").GetInt32());
            Assert.Equal(0, await client.ExitCodeAsync());
        }

        await using (var client = new Peer("client", "--addr", address, "--mode", "bizerr", "-n", "2", "--delay-ms", "1"))
        {
            var end = await client.NextAsync("client_end");
            Assert.Equal("biz error: code=4001, msg=oracle biz failure", end.GetProperty("err").GetString());
            Assert.Equal(2, end.GetProperty("recv_count").GetInt32()); // Kitex drops one of the two here; we do not
        }

        await using (var client = new Peer("client", "--addr", address, "--mode", "cancel", "-n", "1000", "--delay-ms", "20", "--cancel-after", "2"))
        {
            var end = await client.NextAsync("client_end");
            Assert.Equal($"[ttstream error, code=12007] [client-side stream] {UserCancelText}", end.GetProperty("err").GetString());
            var serverSaw = await server.NextAsync("server_ctx_done");
            Assert.Equal($"[ttstream error, code=12007] [server-side stream] [canceled path: oracle-client] {UserCancelText}", serverSaw.GetProperty("ctx_err").GetString());
        }

        await using (var client = new Peer("client", "--addr", address, "--mode", "pingpong", "--msg", "ping"))
        {
            Assert.Equal("ping", (await client.NextAsync("client_end")).GetProperty("response").GetString());
        }
    }

    [Fact]
    public async Task Peers_CascadeThroughADownstreamHop_CSeesThePath()
    {
        var (c, addressC) = await StartServerAsync("--service-name", "C");
        await using var _c = c;
        var (b, addressB) = await StartServerAsync("--service-name", "B", "--downstream", addressC);
        await using var _b = b;

        await using var a = new Peer("client", "--addr", addressB, "--mode", "cancel", "--from", "A", "-n", "1000", "--delay-ms", "20", "--cancel-after", "1");
        await a.NextAsync("client_end");
        var atC = await c.NextAsync("server_ctx_done");
        Assert.Equal($"[ttstream error, code=12007] [server-side stream] [canceled path: A -> B] {UserCancelText}", atC.GetProperty("ctx_err").GetString());
        var atB = await b.NextAsync("server_ctx_done");
        Assert.Equal($"[ttstream error, code=12007] [server-side stream] [canceled path: A] {UserCancelText}", atB.GetProperty("ctx_err").GetString());
    }
}
