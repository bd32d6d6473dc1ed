using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using StreamX.Transport.TTHeader.Tests.Support;

namespace StreamX.Transport.TTHeader.Tests.Replay;

/// <summary>One captured ttstream frame of a scenario, decoded, in capture order.</summary>
public sealed record ScriptFrame(int Index, int Connection, bool ClientToServer, Frame Frame, byte[] Raw)
{
    public int StreamId => Frame.StreamId;

    public (int Connection, int StreamId) Key => (Connection, Frame.StreamId);

    public override string ToString() => $"#{Index} conn{Connection} {(ClientToServer ? "c2s" : "s2c")} {Frame}";
}

/// <summary>
/// A capture scenario as a script: every ttstream frame in capture order (both directions), plus the events the
/// Go client and server logged (<c>client.jsonl</c>, <c>server.jsonl</c>).
/// </summary>
public sealed class ReplayScript
{
    private ReplayScript(string scenario, IReadOnlyList<ScriptFrame> frames)
    {
        Scenario = scenario;
        Frames = frames;
    }

    /// <summary>The ttstream scenarios (everything but the two unary pingpong captures).</summary>
    public static readonly string[] StreamingScenarios =
    [
        "server", "client", "bidi", "multi", "cancel", "cancel-bidi", "timeout", "servererr", "bizerr", "server-meta",
    ];

    public string Scenario { get; }

    public IReadOnlyList<ScriptFrame> Frames { get; }

    public IEnumerable<int> Connections => Frames.Select(f => f.Connection).Distinct().Order();

    /// <summary>Every (connection, stream id) in order of first appearance.</summary>
    public IEnumerable<(int Connection, int StreamId)> Streams => Frames.Select(f => f.Key).Distinct();

    public IEnumerable<ScriptFrame> Of((int Connection, int StreamId) stream) => Frames.Where(f => f.Key == stream);

    public static ReplayScript Load(string scenario)
    {
        var frames = Captures.Of(scenario)
            .Where(f => f.ParseError is null)
            .Select((f, i) => new ScriptFrame(i, f.Connection, f.Direction == "c2s", Codec.Decode(f.Raw), f.Raw))
            .ToList();
        Assert.NotEmpty(frames);
        return new ReplayScript(scenario, frames);
    }

    /// <summary>A unary scenario (<c>pingpong-ttheader</c>): no ttstream frames, only the name.</summary>
    public static ReplayScript LoadUnary(string scenario)
    {
        Assert.NotEmpty(Captures.Of(scenario));
        return new ReplayScript(scenario, []);
    }

    /// <summary>The events of <c>client.jsonl</c> or <c>server.jsonl</c>, without the listening line.</summary>
    public static IReadOnlyList<JsonElement> Events(string scenario, string file) =>
        File.ReadLines(Path.Combine(Repo.Captures, scenario, file))
            .Where(l => !string.IsNullOrWhiteSpace(l))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("event").GetString() != "server_listening")
            .ToList();

    /// <summary>
    /// A Go event line in the comparable form <see cref="OracleEvent.Render"/> produces: the fields the oracle
    /// logs, without timestamps and Go type names, empty values dropped, keys sorted.
    /// </summary>
    public static string Render(JsonElement goEvent)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in goEvent.EnumerateObject())
        {
            if (p.Name is "ts" or "ctx_cause" or "ctx_cause_type" or "err_type" or "addr")
            {
                continue;
            }

            var value = p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString(),
                JsonValueKind.Number => p.Value.GetInt64().ToString(CultureInfo.InvariantCulture),
                JsonValueKind.Object => string.Join(";", p.Value.EnumerateObject().OrderBy(o => o.Name, StringComparer.Ordinal).Select(o => o.Name + "=" + o.Value.GetString())),
                JsonValueKind.Null => null,
                _ => p.Value.GetRawText(),
            };
            if (!string.IsNullOrEmpty(value))
            {
                fields[p.Name] = value;
            }
        }

        return string.Join(" | ", fields.Select(f => f.Key + "=" + f.Value));
    }

    /// <summary>A copy of <paramref name="raw"/> with the TTHeader sequence number (and an exception payload's seqid) set to <paramref name="streamId"/>.</summary>
    public static byte[] WithStreamId(byte[] raw, int streamId)
    {
        var copy = (byte[])raw.Clone();
        BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(8), streamId);
        var type = Codec.Decode(raw).Type;
        var payloadAt = 14 + (BinaryPrimitives.ReadUInt16BigEndian(raw.AsSpan(12)) * 4);
        if (type is FrameType.Trailer or FrameType.Rst && payloadAt < raw.Length)
        {
            // 80010003, i32 name length, name, i32 seqid.
            var nameLength = BinaryPrimitives.ReadInt32BigEndian(copy.AsSpan(payloadAt + 4));
            BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(payloadAt + 8 + nameLength), streamId);
        }

        return copy;
    }
}
