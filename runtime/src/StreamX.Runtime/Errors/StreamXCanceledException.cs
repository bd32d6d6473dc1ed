namespace StreamX;

/// <summary>
/// A stream ended by cancellation (12007–12013): the caller's token, an upstream cascade, a reset
/// from the peer, the handler returning, a closed connection. It is an
/// <see cref="OperationCanceledException"/> (so <c>catch (OperationCanceledException)</c> sees every
/// cancellation) and carries the StreamX details. When the caller's own token caused it,
/// <see cref="OperationCanceledException.CancellationToken"/> is that token.
/// </summary>
public sealed class StreamXCanceledException : OperationCanceledException, IStreamXError
{
    /// <summary>Creates the exception.</summary>
    public StreamXCanceledException(StreamError error, CancellationToken token = default)
        : base(error.Text, error.Cause, token)
    {
        Error = error;
    }

    /// <inheritdoc />
    public StreamError Error { get; }

    /// <summary>The code (see <see cref="StreamErrors"/>).</summary>
    public int Code => Error.Code;

    /// <summary>The side that reports it.</summary>
    public StreamSide? Side => Error.Side;

    /// <summary>The canceled path, comma-joined, or null.</summary>
    public string? CanceledPath => Error.CanceledPath;

    /// <summary>The family (<see cref="StreamErrorCategory.Canceled"/>, or another for a remote code).</summary>
    public StreamErrorCategory Category => Error.Category;
}
