using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamX.InteropPeer;

/// <summary>One JSON object per line on stdout, like the Go oracle programs (keys sorted, ISO timestamps).</summary>
internal static class Events
{
    private static readonly object Gate = new();
    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public static void Emit(string name, params (string Key, object? Value)[] fields)
    {
        var map = new SortedDictionary<string, object?>(StringComparer.Ordinal) { ["event"] = name, ["ts"] = DateTime.UtcNow.ToString("O") };
        foreach (var (k, v) in fields)
        {
            map[k] = v;
        }

        var line = JsonSerializer.Serialize(map, Options);
        lock (Gate)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }

    /// <summary>The error fields the Go programs print: exact text, and the StreamX code when there is one.</summary>
    public static (string Key, object? Value)[] Error(Exception? e) => e switch
    {
        null => new (string, object?)[] { ("err", string.Empty), ("code", null) },
        IStreamXError x => new (string, object?)[] { ("err", x.Error.Text), ("code", x.Error.Code), ("err_type", e.GetType().Name) },
        BizStatusException b => new (string, object?)[] { ("err", b.Message), ("code", null), ("biz_code", b.StatusCode), ("biz_msg", b.StatusMessage), ("biz_extra", b.Extra.Count == 0 ? null : b.Extra), ("err_type", e.GetType().Name) },
        _ => new (string, object?)[] { ("err", e.Message), ("code", null), ("err_type", e.GetType().Name) },
    };
}
