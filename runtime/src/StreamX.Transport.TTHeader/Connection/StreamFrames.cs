using StreamX.Thrift;

namespace StreamX.Transport.TTHeader;

/// <summary>The frames a stream end sends and the exception payloads it reads: one place for both sides.</summary>
internal static class StreamFrames
{
    /// <summary>String header of Rst frames: the canceled path.</summary>
    public const string CanceledPathKey = "ttscp";

    public static Frame Data(int id, string method, ReadOnlyMemory<byte> payload) =>
        Frame.Create(FrameType.Data, id, method, payload: payload);

    public static Frame Trailer(int id, string method, IReadOnlyDictionary<string, string>? trailers = null, ThriftApplicationException? exception = null) =>
        Frame.Create(FrameType.Trailer, id, method, trailers, exception is null ? ReadOnlyMemory<byte>.Empty : ExceptionPayload.Encode(method, id, exception.Type, exception.Message));

    /// <summary>An Rst carrying the error's code and message, and its canceled path when there is one.</summary>
    public static Frame Reset(int id, string method, StreamError error)
    {
        var headers = string.IsNullOrEmpty(error.CanceledPath)
            ? Metadata.Empty
            : new Dictionary<string, string> { [CanceledPathKey] = error.CanceledPath };
        return Frame.Create(FrameType.Rst, id, method, headers, ExceptionPayload.Encode(method, id, error.Code, error.WireMessage));
    }

    /// <summary>
    /// Sends <see cref="Reset"/>; if its canceled path makes it unencodable (a path grown past the header
    /// limits over many hops), sends it without the path: the peer must learn that the stream ended.
    /// </summary>
    public static async ValueTask SendResetAsync(FrameConnection connection, int id, string method, StreamError error, CancellationToken cancellationToken)
    {
        try
        {
            await connection.SendAsync(Reset(id, method, error), cancellationToken).ConfigureAwait(false);
        }
        catch (StreamXException e) when (e.Error.IsKind(StreamErrors.IllegalFrame) && !string.IsNullOrEmpty(error.CanceledPath))
        {
            await connection.SendAsync(Reset(id, method, error with { CanceledPath = null }), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The canceled path of a received Rst, or null.</summary>
    public static string? CanceledPath(Frame rst) => rst.StringHeaders.TryGetValue(CanceledPathKey, out var path) ? path : null;

    /// <summary>A Trailer's exception; an undecodable one is 12004 for that stream, not for the connection.</summary>
    public static ThriftApplicationException? TrailerException(ReadOnlyMemory<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return null;
        }

        try
        {
            return ExceptionPayload.Decode(payload.Span);
        }
        catch (FrameException e)
        {
            return new ThriftApplicationException(StreamErrors.IllegalFrame.Code, e.Message);
        }
    }

    /// <summary>An Rst's exception, or null when missing or undecodable (Kitex then uses (13, "rst")).</summary>
    public static ThriftApplicationException? ResetException(ReadOnlyMemory<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return null;
        }

        try
        {
            return ExceptionPayload.Decode(payload.Span);
        }
        catch (FrameException)
        {
            return null;
        }
    }
}
