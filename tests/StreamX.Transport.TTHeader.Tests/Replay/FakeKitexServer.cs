using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using StreamX.Examples.Echo;
using StreamX.Thrift;
using StreamX.Transport.TTHeader.Tests.Support;

namespace StreamX.Transport.TTHeader.Tests.Replay;

/// <summary>
/// A Kitex server played back from a capture, on a raw <see cref="TcpListener"/>: every stream our client opens is
/// bound to a captured stream (by method and first request message), every frame our client sends is compared with
/// the captured client frame in that place (<see cref="FrameSemantics"/>), and after each one the captured server
/// frames that followed it are written back — Kitex's own bytes, with the stream id (and an exception payload's
/// seqid) patched when our id differs. Differences are collected in <see cref="Differences"/>.
/// </summary>
/// <remarks>
/// A Header frame carrying the string header <see cref="ProbeHeader"/> is a probe: answered at once with a Header and
/// a Trailer. Frames of one connection are handled in order, so when a probe's answer reaches the client every frame
/// the client sent before it on that connection has been checked.
/// </remarks>
public sealed class FakeKitexServer : IAsyncDisposable
{
    public const string ProbeHeader = "replay-probe";

    private readonly ReplayScript _script;
    private readonly Func<string, string, bool>? _exceptionMessage;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = new();
    private readonly List<string> _differences = new();
    private readonly List<Binding> _bindings = new();
    private readonly List<string> _log = new();
    private readonly Task _acceptLoop;
    private int _connectionCount;

    public FakeKitexServer(ReplayScript script, Func<string, string, bool>? exceptionMessage = null)
    {
        _script = script;
        _exceptionMessage = exceptionMessage;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public IReadOnlyList<string> Differences
    {
        get
        {
            lock (_differences)
            {
                return _differences.ToList();
            }
        }
    }

    /// <summary>What happened, for the test output.</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToList();
            }
        }
    }

    /// <summary>Captured stream → (our connection number, our stream id), once bound.</summary>
    public IReadOnlyList<(int CapturedStreamId, int OurConnection, int OurStreamId, bool Complete)> Bindings
    {
        get
        {
            lock (_bindings)
            {
                return _bindings.Select(b => (b.Captured.StreamId, b.OurConnection, b.OurStreamId, b.Position == b.Events.Count)).ToList();
            }
        }
    }

    /// <summary>The unary packets our client sent (decoded), when the scenario is <c>pingpong-ttheader</c>.</summary>
    public List<UnaryTTHeaderPacket> UnaryRequests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(10));
        Task[] connections;
        lock (_connections)
        {
            connections = _connections.ToArray();
        }

        await Task.WhenAll(connections).WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    private void Differ(string text)
    {
        lock (_differences)
        {
            _differences.Add(text);
        }
    }

    private void Note(string text)
    {
        lock (_log)
        {
            _log.Add(text);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var number = Interlocked.Increment(ref _connectionCount);
            lock (_connections)
            {
                _connections.Add(Task.Run(() => ServeAsync(socket, number)));
            }
        }
    }

    private async Task ServeAsync(Socket socket, int number)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        var reader = PipeReader.Create(stream);
        var streams = new Dictionary<int, OurStream>();
        try
        {
            var first = await reader.ReadAtLeastAsync(8, _stop.Token);
            var protocol = first.Buffer.Length >= 8 ? ProtocolDetector.Detect(first.Buffer.Slice(0, 8).ToArray()) : DetectedProtocol.Unknown;
            reader.AdvanceTo(first.Buffer.Start);
            Note($"conn{number}: {protocol}");
            while (!_stop.IsCancellationRequested)
            {
                var result = await reader.ReadAsync(_stop.Token);
                var buffer = result.Buffer;
                var frames = new List<Frame>();
                var packets = new List<UnaryTTHeaderPacket>();
                try
                {
                    if (protocol == DetectedProtocol.TTHeaderStreaming)
                    {
                        while (FrameCodec.TryRead(ref buffer, default, out var frame))
                        {
                            frames.Add(frame!);
                        }
                    }
                    else
                    {
                        while (UnaryTTHeaderCodec.TryRead(ref buffer, default, out var packet))
                        {
                            packets.Add(packet!);
                        }
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }

                foreach (var frame in frames)
                {
                    await OnFrameAsync(stream, number, streams, frame);
                }

                foreach (var packet in packets)
                {
                    await OnUnaryAsync(stream, packet);
                }

                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The client closed the connection or the test ended.
        }
        catch (FrameException e)
        {
            Differ($"conn{number}: our client sent undecodable bytes: {e.Message}");
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private async Task OnUnaryAsync(NetworkStream stream, UnaryTTHeaderPacket packet)
    {
        Note($"unary {packet}");
        lock (UnaryRequests)
        {
            UnaryRequests.Add(packet);
        }

        var reply = Captures.Of(_script.Scenario).Single(f => f.Direction == "s2c").Raw;
        await stream.WriteAsync(reply, _stop.Token);
    }

    private async Task OnFrameAsync(NetworkStream stream, int connection, Dictionary<int, OurStream> streams, Frame frame)
    {
        Note($"conn{connection} ours: {FrameSemantics.Describe(frame)}");
        if (frame.Type == FrameType.Header && frame.StringHeaders.ContainsKey(ProbeHeader))
        {
            streams[frame.StreamId] = new OurStream { Probe = true };
            await WriteAsync(stream, Frame.Create(FrameType.Header, frame.StreamId, frame.Method));
            await WriteAsync(stream, Frame.Create(FrameType.Trailer, frame.StreamId, frame.Method));
            return;
        }

        if (streams.TryGetValue(frame.StreamId, out var probe) && probe.Probe)
        {
            // The client's compatibility Trailer after the probe's Trailer (it had not half-closed), as Kitex's would.
            if (frame.Type != FrameType.Trailer)
            {
                Differ($"conn{connection}: a {frame.Type} frame on probe stream {frame.StreamId}");
            }

            return;
        }

        if (!streams.TryGetValue(frame.StreamId, out var ours))
        {
            if (frame.Type != FrameType.Header)
            {
                Differ($"conn{connection}: a {frame.Type} frame for stream {frame.StreamId}, which our client never opened");
                return;
            }

            streams[frame.StreamId] = ours = new OurStream();
        }
        else if (frame.Type == FrameType.Header)
        {
            Differ($"conn{connection}: stream id {frame.StreamId} opened twice");
        }

        if (ours.Binding is null)
        {
            ours.Held.Add(frame);
            if (frame.Type != FrameType.Data)
            {
                return;
            }

            ours.Binding = Bind(connection, frame);
            if (ours.Binding is null)
            {
                return;
            }

            foreach (var held in ours.Held)
            {
                await MatchAsync(stream, ours.Binding, held);
            }

            ours.Held.Clear();
            return;
        }

        await MatchAsync(stream, ours.Binding, frame);
    }

    /// <summary>Our stream ↔ the unbound captured stream of the same method whose first request message is the same.</summary>
    private Binding? Bind(int connection, Frame firstData)
    {
        var request = DecodeRequest(firstData.Payload);
        lock (_bindings)
        {
            foreach (var key in _script.Streams)
            {
                if (_bindings.Any(b => b.Captured == key))
                {
                    continue;
                }

                var events = _script.Of(key).ToList();
                var capturedData = events.FirstOrDefault(e => e.ClientToServer && e.Frame.Type == FrameType.Data);
                if (capturedData is not null && capturedData.Frame.Method == firstData.Method && Equals(DecodeRequest(capturedData.Frame.Payload), request))
                {
                    var binding = new Binding(key, events, connection, firstData.StreamId);
                    _bindings.Add(binding);
                    Note($"conn{connection} stream {firstData.StreamId} = captured conn{key.Connection} stream {key.StreamId}");
                    return binding;
                }
            }
        }

        Differ($"conn{connection} stream {firstData.StreamId}: no captured {firstData.Method} stream starts with {request}");
        return null;
    }

    private async Task MatchAsync(NetworkStream stream, Binding binding, Frame ours)
    {
        var where = $"captured stream {binding.Captured.StreamId} (ours conn{binding.OurConnection} id {binding.OurStreamId})";
        if (binding.Position >= binding.Events.Count || !binding.Events[binding.Position].ClientToServer)
        {
            Differ($"{where}: an extra frame from our client, where Kitex's client sent nothing: {FrameSemantics.Describe(ours)}");
            return;
        }

        var kitex = binding.Events[binding.Position++];
        foreach (var d in FrameSemantics.Differences(kitex.Frame, ours, clientToServer: true, expectedStreamId: binding.OurStreamId, _exceptionMessage))
        {
            Differ($"{where} frame {kitex}: {d}");
        }

        // Then everything the Kitex server sent next on this stream, until the client's next frame.
        while (binding.Position < binding.Events.Count && !binding.Events[binding.Position].ClientToServer)
        {
            var reply = binding.Events[binding.Position++];
            var bytes = reply.StreamId == binding.OurStreamId ? reply.Raw : ReplayScript.WithStreamId(reply.Raw, binding.OurStreamId);
            Note($"  replay: {FrameSemantics.Describe(reply.Frame)}");
            await stream.WriteAsync(bytes, _stop.Token);
        }
    }

    private async Task WriteAsync(NetworkStream stream, Frame frame)
    {
        var output = new ArrayBufferWriter<byte>();
        FrameCodec.Write(output, frame);
        await stream.WriteAsync(output.WrittenMemory, _stop.Token);
    }

    private static string DecodeRequest(ReadOnlyMemory<byte> payload)
    {
        try
        {
            return ThriftSerializer.Deserialize<Request>(payload.Span, ThriftProtocol.Binary).ToString();
        }
        catch (ThriftProtocolException e)
        {
            return "undecodable: " + e.Message;
        }
    }

    private sealed class OurStream
    {
        public List<Frame> Held { get; } = new();

        public Binding? Binding { get; set; }

        public bool Probe { get; init; }
    }

    private sealed class Binding((int Connection, int StreamId) captured, List<ScriptFrame> events, int ourConnection, int ourStreamId)
    {
        public (int Connection, int StreamId) Captured { get; } = captured;

        public List<ScriptFrame> Events { get; } = events;

        public int OurConnection { get; } = ourConnection;

        public int OurStreamId { get; } = ourStreamId;

        public int Position { get; set; }
    }
}
