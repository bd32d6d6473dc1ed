using System.IO.Pipelines;

namespace StreamX.Transport.TTHeader;

/// <summary>A socket stream as a duplex pipe (the client side; Kestrel gives the server one directly).</summary>
internal sealed class StreamDuplexPipe(Stream stream) : IDuplexPipe
{
    public PipeReader Input { get; } = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4096));

    public PipeWriter Output { get; } = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024));
}
