using System.Text.Json;

namespace StreamX.Transport.TTHeader.Tests.Support;

/// <summary>One line of a capture's <c>wire.frames.jsonl</c>.</summary>
public sealed record CapturedFrame(string Scenario, int Line, int Connection, string Direction, JsonElement Frame, byte[] Raw, string? ParseError)
{
    public override string ToString() => $"{Scenario}#{Line} conn{Connection} {Direction}";
}

public static class Captures
{
    private static readonly Lazy<IReadOnlyList<CapturedFrame>> AllFrames = new(Load);

    /// <summary>The 12 scenarios of real Kitex v0.16.3 traffic.</summary>
    public static readonly string[] Scenarios =
    [
        "bidi", "bizerr", "cancel", "cancel-bidi", "client", "multi", "pingpong", "pingpong-ttheader",
        "server", "server-meta", "servererr", "timeout",
    ];

    public static IReadOnlyList<CapturedFrame> All => AllFrames.Value;

    /// <summary>Every ttstream frame (TTHeader magic and the streaming flag).</summary>
    public static IEnumerable<CapturedFrame> Streaming =>
        All.Where(f => f.Frame.GetProperty("magic").GetString() == "0x1000" && f.Frame.GetProperty("flags").GetInt32() == 2);

    public static IEnumerable<CapturedFrame> Of(string scenario) => All.Where(f => f.Scenario == scenario);

    public static TheoryData<string> StreamingIds()
    {
        var data = new TheoryData<string>();
        foreach (var frame in Streaming)
        {
            data.Add(Id(frame));
        }

        return data;
    }

    public static string Id(CapturedFrame frame) => $"{frame.Scenario}#{frame.Line}";

    public static CapturedFrame ById(string id) => All.Single(f => Id(f) == id);

    private static List<CapturedFrame> Load()
    {
        var frames = new List<CapturedFrame>();
        foreach (var scenario in Scenarios)
        {
            var path = Path.Combine(Repo.Captures, scenario, "wire.frames.jsonl");
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"capture '{path}' is missing");
            }

            var line = 0;
            foreach (var text in File.ReadLines(path))
            {
                line++;
                if (string.IsNullOrWhiteSpace(text))
                {
                    continue;
                }

                var root = JsonDocument.Parse(text).RootElement;
                var frame = root.GetProperty("frame");
                frames.Add(new CapturedFrame(
                    scenario,
                    line,
                    root.GetProperty("conn").GetInt32(),
                    root.GetProperty("dir").GetString()!,
                    frame,
                    Convert.FromHexString(frame.GetProperty("raw_hex").GetString()!),
                    root.TryGetProperty("parse_err", out var error) ? error.GetString() : null));
            }
        }

        return frames;
    }
}
