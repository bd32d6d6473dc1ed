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
    private readonly RecvHandler? _recv;
    private readonly StreamCallInfo _info;

    /// <summary>A reader; <paramref name="recv"/> is the receive middleware chain, null when there is none.</summary>
    internal MessageReader(ServerStreamCore stream, StreamCallInfo info, RecvHandler? recv)
    {
        _stream = stream;
        _info = info;
        _recv = recv;
    }

    /// <summary>
    /// The next message, or null at the end. A canceled <paramref name="cancellationToken"/> abandons
    /// only this wait; the stream stays usable and no message is lost. Await the result once (it may come
    /// from a pool, as <c>PipeReader.ReadAsync</c>'s does).
    /// </summary>
    public ValueTask<T?> RecvAsync(CancellationToken cancellationToken = default) =>
        _recv is null ? RecvDirectAsync(_stream, cancellationToken) : RecvThroughMiddlewareAsync(cancellationToken);

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

    internal static RecvHandler Terminal(ServerStreamCore stream) => async (_, ct) => await RecvDirectAsync(stream, ct).ConfigureAwait(false);

    /// <summary>
    /// Receives and decodes: what the middleware chain ends in, and with no middleware the whole of
    /// <see cref="RecvAsync"/> (no async layer of its own, and no boxing through <see cref="object"/>). The stream's
    /// typed receive is pooled: await it once, as any ValueTask.
    /// </summary>
    private static ValueTask<T?> RecvDirectAsync(ServerStreamCore stream, CancellationToken cancellationToken) =>
        stream.RecvAsync<T>(cancellationToken);

    private async ValueTask<T?> RecvThroughMiddlewareAsync(CancellationToken cancellationToken) =>
        (T?)await _recv!(_info, cancellationToken).ConfigureAwait(false);
}
