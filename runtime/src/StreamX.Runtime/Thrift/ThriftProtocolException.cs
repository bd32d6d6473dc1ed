using System.Globalization;

namespace StreamX.Thrift;

/// <summary>
/// Thrown when Thrift bytes cannot be decoded (or, rarely, encoded): malformed or hostile input, a violated
/// <see cref="ThriftReaderOptions"/> limit, or truncated data. Readers never let an
/// <see cref="IndexOutOfRangeException"/>, <see cref="OverflowException"/> or <see cref="OutOfMemoryException"/>
/// escape for bad input; they throw this instead.
/// </summary>
/// <remarks>
/// After a reader throws, its position is unspecified; discard the reader (and, on a stream transport, the
/// connection, because message boundaries are lost).
/// </remarks>
public sealed class ThriftProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">The category of the failure.</param>
    /// <param name="message">What went wrong, without the offset (it is appended).</param>
    /// <param name="offset">The byte offset, from the start of the input, where the failure was detected; negative if unknown.</param>
    public ThriftProtocolException(ThriftProtocolErrorKind kind, string message, long offset = -1)
        : this(kind, message, offset, innerException: null)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    /// <param name="kind">The category of the failure.</param>
    /// <param name="message">What went wrong, without the offset (it is appended).</param>
    /// <param name="offset">The byte offset, from the start of the input, where the failure was detected; negative if unknown.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    public ThriftProtocolException(ThriftProtocolErrorKind kind, string message, long offset, Exception? innerException)
        : base(Format(message, offset), innerException)
    {
        Kind = kind;
        Offset = offset < 0 ? -1 : offset;
    }

    /// <summary>The category of the failure.</summary>
    public ThriftProtocolErrorKind Kind { get; }

    /// <summary>
    /// The byte offset from the start of the input (for writers: from the start of this writer's output) at which
    /// the problem was detected, or -1 if unknown. Also part of <see cref="Exception.Message"/>.
    /// </summary>
    public long Offset { get; }

    private static string Format(string message, long offset)
    {
        ArgumentNullException.ThrowIfNull(message);
        return offset < 0 ? message : string.Create(CultureInfo.InvariantCulture, $"{message} (at byte offset {offset})");
    }
}
