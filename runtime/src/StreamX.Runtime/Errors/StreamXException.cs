namespace StreamX;

/// <summary>
/// A stream failed for a reason other than cancellation: protocol errors (12002–12006), remote
/// application exceptions (12001) and timeouts (12014, 12015). <see cref="Exception.Message"/> is
/// Kitex's display text. Catch with <c>when (e.Code == …)</c>, never by parsing the message.
/// </summary>
public sealed class StreamXException : Exception, IStreamXError
{
    /// <summary>Creates the exception for an error.</summary>
    public StreamXException(StreamError error)
        : base(error.Text, error.Cause)
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

    /// <summary>The family.</summary>
    public StreamErrorCategory Category => Error.Category;
}
