using System.Runtime.CompilerServices;
using StreamX.Thrift;
using StreamX.Transport;

namespace StreamX;

/// <summary>
/// The messages a handler receives. <see cref="RecvAsync"/> returns null when the client half-closed
/// (the end is not an exception); it throws the cancel reason when the call was canceled.
/// </summary>
/// <typeparam name="T">The request struct.</typeparam>
public sealed class MessageReader<T> : IAsyncEnumerable<T>
    where T : class, IThriftStruct<T>
{
    private readonly ServerStreamCore _stream;
    private readonly RecvHandler _recv;
    private readonly StreamCallInfo _info;

    internal MessageReader(ServerStreamCore stream, StreamCallInfo info, RecvHandler recv)
    {
        _stream = stream;
        _info = info;
        _recv = recv;
    }

    /// <summary>
    /// The next message, or null at the end. A canceled <paramref name="cancellationToken"/> abandons
    /// only this wait; the stream stays usable and no message is lost.
    /// </summary>
    public async ValueTask<T?> RecvAsync(CancellationToken cancellationToken = default) =>
        (T?)await _recv(_info, cancellationToken).ConfigureAwait(false);

    /// <summary>Every message until the end.</summary>
    public async IAsyncEnumerable<T> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await RecvAsync(cancellationToken).ConfigureAwait(false) is { } message)
        {
            yield return message;
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) => ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    internal static RecvHandler Terminal(ServerStreamCore stream) => async (_, ct) =>
    {
        var payload = await stream.RecvAsync(ct).ConfigureAwait(false);
        return payload is { } p ? PayloadCodec.Decode<T>(p, StreamSide.Server) : null;
    };
}
