using System.Collections.ObjectModel;

namespace StreamX;

/// <summary>
/// A business status error (Kitex <c>BizStatusError</c>): thrown by a handler, it ends the stream
/// normally on the wire (Trailer <c>biz-status</c>, <c>biz-message</c>, <c>biz-extra</c>) and is thrown
/// again on the client after every message sent before it.
/// </summary>
public sealed class BizStatusException : Exception
{
    /// <summary>Creates a business error. <paramref name="statusCode"/> must not be 0 (0 means "no error").</summary>
    public BizStatusException(int statusCode, string statusMessage, IReadOnlyDictionary<string, string>? extra = null)
        : base($"biz error: code={statusCode}, msg={statusMessage}")
    {
        if (statusCode == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), "0 means 'no business error'.");
        }

        StatusCode = statusCode;
        StatusMessage = statusMessage;
        Extra = extra is null ? ReadOnlyDictionary<string, string>.Empty : new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(extra));
    }

    /// <summary>The business status code.</summary>
    public int StatusCode { get; }

    /// <summary>The business message.</summary>
    public string StatusMessage { get; }

    /// <summary>Extra key/value pairs (<c>biz-extra</c>).</summary>
    public IReadOnlyDictionary<string, string> Extra { get; }
}
