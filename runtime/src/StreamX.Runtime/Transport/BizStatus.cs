using System.Globalization;
using System.Text.Json;

namespace StreamX.Transport;

/// <summary>The Trailer keys of a business status error, and their parsing (spec §3.5).</summary>
public static class BizStatus
{
    /// <summary>Decimal int32 status code; 0, absent or unparsable means no business error.</summary>
    public const string StatusKey = "biz-status";

    /// <summary>The business message.</summary>
    public const string MessageKey = "biz-message";

    /// <summary>A JSON object of string to string.</summary>
    public const string ExtraKey = "biz-extra";

    /// <summary>Trailer entries for a business error (user trailers are added by the caller).</summary>
    public static IEnumerable<KeyValuePair<string, string>> ToTrailers(BizStatusException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        yield return new(StatusKey, error.StatusCode.ToString(CultureInfo.InvariantCulture));
        yield return new(MessageKey, error.StatusMessage);
        if (error.Extra.Count > 0)
        {
            yield return new(ExtraKey, JsonSerializer.Serialize(error.Extra.ToDictionary(k => k.Key, k => k.Value)));
        }
    }

    /// <summary>
    /// The business error a Trailer carries, or null. Malformed <c>biz-extra</c> JSON is 12003
    /// (<c>illegal biz err</c>), as in Kitex.
    /// </summary>
    public static Exception? FromTrailers(IReadOnlyDictionary<string, string> trailers, StreamSide side)
    {
        ArgumentNullException.ThrowIfNull(trailers);
        if (!trailers.TryGetValue(StatusKey, out var statusText)
            || !int.TryParse(statusText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var status)
            || status == 0)
        {
            return null;
        }

        trailers.TryGetValue(MessageKey, out var message);
        Dictionary<string, string>? extra = null;
        if (trailers.TryGetValue(ExtraKey, out var extraJson) && extraJson.Length > 0)
        {
            try
            {
                extra = JsonSerializer.Deserialize<Dictionary<string, string>>(extraJson);
            }
            catch (JsonException)
            {
                return (StreamErrors.IllegalBizError with
                {
                    Side = side,
                    Cause = new FormatException($"malformed header info, extra: {extraJson}"),
                }).ToException();
            }
        }

        return new BizStatusException(status, message ?? string.Empty, extra);
    }
}
