using System.Net;
using System.Net.Http;

namespace StreamX.Transport.Grpc;

/// <summary>
/// The request body of a streaming call: HttpClient hands over the HTTP/2 request stream, messages are
/// written to it as the caller sends them, and the body ends (END_STREAM) on <see cref="Complete"/>.
/// </summary>
internal sealed class DuplexContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DuplexContent(string contentType)
    {
        Headers.TryAddWithoutValidation("Content-Type", contentType);
    }

    /// <summary>Completes with the request stream once the request headers went out.</summary>
    public Task<Stream> StreamTask => _stream.Task;

    /// <summary>Ends the request body normally (END_STREAM).</summary>
    public void Complete()
    {
        _done.TrySetResult();
        _stream.TrySetException(new InvalidOperationException("the request stream was ended before it was opened"));
        _ = _stream.Task.Exception; // observed
    }

    /// <summary>Ends the request body abnormally: HttpClient resets the stream.</summary>
    public void Abort()
    {
        _done.TrySetException(new OperationCanceledException("the gRPC call was canceled"));
        _ = _done.Task.Exception;
        _stream.TrySetException(new OperationCanceledException("the gRPC call was canceled"));
        _ = _stream.Task.Exception;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        // SocketsHttpHandler holds the request headers back to send them with the first data; a
        // stream must open on the server before the caller sends anything (the handler starts then).
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _stream.TrySetResult(stream);
        await _done.Task.ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
