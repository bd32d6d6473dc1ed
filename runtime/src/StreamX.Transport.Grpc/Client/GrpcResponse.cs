using System.Buffers;
using System.IO.Pipelines;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Globalization;
using StreamX.Thrift;

namespace StreamX.Transport.Grpc;

/// <summary>What the end of a gRPC response says: the status, its message, trailers and StreamX's extension trailers.</summary>
internal sealed record GrpcOutcome(GrpcStatusCode? Status, string Message, IReadOnlyDictionary<string, string> Trailers, int? ExceptionType, int? ResetCode, string? CanceledPath)
{
    /// <summary>Reads the outcome from trailers (or from the headers of a trailers-only response).</summary>
    public static GrpcOutcome From(HttpHeaders headers)
    {
        var pairs = GrpcHttp.Flatten(headers);
        string? Get(string name) => pairs.FirstOrDefault(p => p.Key == name).Value;
        int? GetInt(string name) => int.TryParse(Get(name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;
        return new GrpcOutcome(
            GrpcErrors.ParseStatus(Get(GrpcProtocol.StatusHeader)),
            GrpcProtocol.DecodeMessage(Get(GrpcProtocol.MessageHeader)),
            GrpcMetadata.FromWire(pairs),
            GetInt(GrpcProtocol.ExceptionTypeTrailer),
            GetInt(GrpcProtocol.ResetTrailer),
            Get(GrpcProtocol.CanceledPathTrailer));
    }

    /// <summary>The outcome of a response that is not gRPC at all (HTTP status or content type).</summary>
    public static GrpcOutcome NotGrpc(GrpcStatusCode status, string message) => new(status, message, Metadata.Empty, null, null, null);

    /// <summary>True for a normal end.</summary>
    public bool IsOk => Status == GrpcStatusCode.OK;

    /// <summary>True when the server ended the call because its deadline (<c>grpc-timeout</c>) passed.</summary>
    public bool IsDeadline => Status == GrpcStatusCode.DeadlineExceeded;

    /// <summary>
    /// The failure as the exception a unary call throws: the server's application exception as is
    /// (as the TTHeader transport throws it), a business status, a server reset, or the foreign status.
    /// </summary>
    public Exception ToUnaryException()
    {
        if (ResetCode is { } code)
        {
            return StreamErrors.FromReset(StreamSide.Client, new ThriftApplicationException(code, Message), CanceledPath).ToException();
        }

        if (ExceptionType is { } type)
        {
            return new ThriftApplicationException(type, Message);
        }

        return BizStatus.FromTrailers(Trailers, StreamSide.Client) ?? ForeignError().ToException();
    }

    /// <summary>The error of a non-OK status that carries no StreamX trailers.</summary>
    public StreamError ForeignError() => Status is { } s
        ? GrpcErrors.FromForeignStatus(s, Message, StreamSide.Client)
        : GrpcErrors.FromForeignStatus(GrpcStatusCode.Internal, "the response ended without grpc-status", StreamSide.Client);

    /// <summary>Ends a client stream with this outcome, exactly as a ttstream Trailer or Rst would.</summary>
    public void Deliver(ClientStreamCore core)
    {
        if (IsOk)
        {
            core.OnTrailer(Trailers, null);
        }
        else if (ResetCode is { } code)
        {
            core.OnReset(new ThriftApplicationException(code, Message), CanceledPath);
        }
        else if (ExceptionType is { } type)
        {
            core.OnTrailer(Trailers, new ThriftApplicationException(type, Message));
        }
        else if (BizStatus.FromTrailers(Trailers, StreamSide.Client) is not null)
        {
            core.OnTrailer(Trailers, null);
        }
        else
        {
            core.OnTransportError(ForeignError());
        }
    }
}

/// <summary>HttpClient helpers shared by streaming and unary calls.</summary>
internal static class GrpcHttp
{
    /// <summary>The limit a decompressed response message is held to, as error messages name it.</summary>
    private const string ReceiveLimit = "GrpcClientOptions.MaxReceiveMessageSize";

    /// <summary>Header pairs as received (not re-validated), one pair per value.</summary>
    public static List<KeyValuePair<string, string>> Flatten(HttpHeaders headers)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in headers.NonValidated)
        {
            foreach (var value in values)
            {
                list.Add(new(name.ToLowerInvariant(), value));
            }
        }

        return list;
    }

    /// <summary>True when the headers carry grpc-status (a trailers-only response).</summary>
    public static bool HasStatus(HttpHeaders headers) => headers.NonValidated.Contains(GrpcProtocol.StatusHeader);

    /// <summary>
    /// Checks the response headers: HTTP 200 and a gRPC content type; otherwise the outcome to report
    /// (the protocol's HTTP-status table, or UNKNOWN for a foreign content type).
    /// </summary>
    public static GrpcOutcome? CheckHeaders(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status != 200)
        {
            return GrpcOutcome.NotGrpc(GrpcProtocol.FromHttpStatus(status), string.Create(CultureInfo.InvariantCulture, $"HTTP status {status} {response.ReasonPhrase}").TrimEnd());
        }

        if (HasStatus(response.Headers))
        {
            return GrpcOutcome.From(response.Headers);
        }

        var contentType = response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values) ? values.ToString() : null;
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            return GrpcOutcome.NotGrpc(GrpcStatusCode.Unknown, $"the response content type is '{contentType}', not application/grpc");
        }

        return null;
    }

    /// <summary>The response's <c>grpc-encoding</c> (raw; null when absent): how its compressed messages are compressed.</summary>
    public static string? Encoding(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues(GrpcProtocol.EncodingHeader, out var values) ? values.ToString() : null;

    /// <summary>
    /// Reads length-prefixed messages from a response body to its end, handing each one over in a
    /// fresh buffer, decompressed by the response's <paramref name="encoding"/> when flagged compressed.
    /// Throws <see cref="GrpcStatusException"/> for a message over the limit (as received or
    /// decompressed), a compressed message the encoding cannot explain, corrupt compressed data, an
    /// unknown flag, or a body that ends inside a message. <paramref name="onEndNotice"/>, when
    /// given, takes the server's in-band notice that it is about to end (an empty control message).
    /// </summary>
    public static async Task ReadMessagesAsync(Stream body, string? encoding, int maxMessageSize, Func<ReadOnlyMemory<byte>, ValueTask> onMessage, Action? onEndNotice, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024, leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                try
                {
                    while (GrpcFraming.TryRead(ref buffer, maxMessageSize, out var frame))
                    {
                        if (frame.Flag == GrpcProtocol.ControlFlag && frame.Payload.IsEmpty && onEndNotice is not null)
                        {
                            onEndNotice();
                            continue;
                        }

                        await onMessage(GrpcMessageCodec.ReadPayload(frame, encoding, maxMessageSize, ReceiveLimit, "server")).ConfigureAwait(false);
                    }

                    if (result.IsCompleted)
                    {
                        if (!buffer.IsEmpty)
                        {
                            throw new GrpcStatusException(GrpcStatusCode.Internal, string.Create(CultureInfo.InvariantCulture, $"the response body ended inside a message ({buffer.Length} byte(s) left over)"));
                        }

                        return;
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }
}
