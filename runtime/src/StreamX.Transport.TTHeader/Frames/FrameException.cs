namespace StreamX.Transport.TTHeader;

/// <summary>
/// Bytes on a TTHeader connection that cannot be decoded (or a frame that cannot be encoded). Kitex treats every such
/// error as fatal for the connection and reports it as code 12004 <c>illegal frame</c>; after this exception the
/// frame boundaries of the byte stream are lost, so close the connection.
/// </summary>
/// <remarks>
/// The message follows Kitex/gopkg's text where one exists, for example
/// <c>not TTHeader protocol (first4Bytes=0x10203, second4Bytes=0x4050607)</c>, <c>unexpected header flags: 0</c>,
/// <c>invalid header length[0]</c>, <c>unsupported ProtocolID[2]</c>, <c>invalid infoIDType[0x2]</c>,
/// <c>unexpected frame type: 7</c>.
/// </remarks>
public sealed class FrameException : Exception
{
    /// <summary>The Kitex ttstream code of an illegal frame: 12004.</summary>
    public const int IllegalFrameCode = 12004;

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong with the bytes.</param>
    public FrameException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the error that caused it.</summary>
    /// <param name="message">What is wrong with the bytes.</param>
    /// <param name="innerException">The underlying error (for example a Thrift decoding error).</param>
    public FrameException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The Kitex ttstream error code: always <see cref="IllegalFrameCode"/> (12004, <c>illegal frame</c>).</summary>
    public int Code => IllegalFrameCode;
}
