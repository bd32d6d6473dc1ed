using StreamX.Thrift;
using StreamX.Transport;

namespace StreamX;

/// <summary>The messages a handler sends. Concurrent sends are safe and keep their order.</summary>
/// <typeparam name="T">The response struct.</typeparam>
public sealed class MessageWriter<T>
    where T : class, IThriftStruct<T>
{
    private readonly ServerStreamCore _stream;
    private readonly StreamCallInfo _info;
    private readonly SendHandler? _send;

    /// <summary>A writer; <paramref name="send"/> is the send middleware chain, null when there is none.</summary>
    internal MessageWriter(ServerStreamCore stream, StreamCallInfo info, SendHandler? send)
    {
        _stream = stream;
        _info = info;
        _send = send;
    }

    /// <summary>Sends one message (the response Header first if it was not sent). Throws the cancel reason once canceled.</summary>
    public ValueTask SendAsync(T message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _send is null ? _stream.SendAsync(PayloadCodec.Encode(message), cancellationToken) : _send(_info, message, cancellationToken);
    }

    internal static SendHandler Terminal(ServerStreamCore stream) => (_, message, ct) =>
        stream.SendAsync(PayloadCodec.Encode((T)message), ct);
}
