namespace StreamX;

/// <summary>
/// Implemented by every StreamX stream exception, whichever base class it needs
/// (<see cref="StreamXException"/>, or <see cref="StreamXCanceledException"/> which is an
/// <see cref="OperationCanceledException"/>). Test <c>e is IStreamXError x &amp;&amp; x.Error.Code == 12007</c>.
/// </summary>
public interface IStreamXError
{
    /// <summary>The error's code, side, path, cause and category.</summary>
    StreamError Error { get; }
}
