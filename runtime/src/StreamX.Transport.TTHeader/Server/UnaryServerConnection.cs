using System.Buffers;
using System.IO.Pipelines;
using StreamX.Thrift;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// Unary Thrift on the streaming port (spec §1.5, the pingpong captures): TTHeader unary packets
/// (flags 0) or plain Framed Thrift, one call at a time per connection, each answered with a Reply
/// message carrying the result struct, or an Exception message.
/// </summary>
internal sealed class UnaryServerConnection(IDuplexPipe pipe, StreamXDispatcher dispatcher, TTHeaderServerOptions options, string? peer, bool framed, TransportTelemetry telemetry)
{
    /// <param name="closeRequested">Shutdown: stop reading requests.</param>
    /// <param name="connectionClosed">The client hung up: cancels the handler running now (a unary
    /// TTHeader client cancels a call by closing its connection). Not used to stop reading, since it
    /// can fire before requests received ahead of the FIN were read.</param>
    public async Task RunAsync(CancellationToken closeRequested, CancellationToken connectionClosed)
    {
        var input = pipe.Input;
        try
        {
            while (!closeRequested.IsCancellationRequested)
            {
                var result = await input.ReadAsync(closeRequested).ConfigureAwait(false);
                var buffer = result.Buffer;
                var requests = new List<UnaryTTHeaderPacket>();
                try
                {
                    while (TryRead(ref buffer, out var packet))
                    {
                        requests.Add(packet);
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                foreach (var request in requests)
                {
                    await HandleAsync(request, connectionClosed, closeRequested).ConfigureAwait(false);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is FrameException or IOException or OperationCanceledException)
        {
            // A malformed packet or a closed connection ends this connection only.
        }
        finally
        {
            await pipe.Output.CompleteAsync().ConfigureAwait(false);
        }
    }

    // Framed requests are carried as packets without a TTHeader wrapper (FramedPayload unused).
    private bool TryRead(ref ReadOnlySequence<byte> buffer, out UnaryTTHeaderPacket packet)
    {
        if (framed)
        {
            if (FramedCodec.TryRead(ref buffer, options.Limits, out var message))
            {
                packet = new UnaryTTHeaderPacket(message!.SequenceId, message);
                return true;
            }
        }
        else if (UnaryTTHeaderCodec.TryRead(ref buffer, options.Limits, out var read))
        {
            packet = read!;
            return true;
        }

        packet = null!;
        return false;
    }

    private async Task HandleAsync(UnaryTTHeaderPacket request, CancellationToken connectionClosed, CancellationToken closeRequested)
    {
        var call = request.Message;
        var serviceName = request.StringHeaders.TryGetValue("isn", out var isn) ? isn : string.Empty;
        UnaryMessage reply;
        IReadOnlyDictionary<string, string>? replyHeaders = null;
        try
        {
            var body = await dispatcher.InvokeUnaryAsync(serviceName, call.Method, call.Body, request.StringHeaders, peer, null, telemetry, connectionClosed).ConfigureAwait(false);
            reply = new UnaryMessage(call.Method, ThriftMessageType.Reply, call.SequenceId, body);
        }
        catch (ThriftApplicationException e)
        {
            reply = new UnaryMessage(call.Method, ThriftMessageType.Exception, call.SequenceId, ThriftSerializer.Serialize(e, ThriftProtocol.Binary));
        }
        catch (BizStatusException e)
        {
            // Kitex carries a business status of a unary call in the TTHeader string headers.
            replyHeaders = BizStatus.ToTrailers(e).ToDictionary(p => p.Key, p => p.Value);
            reply = new UnaryMessage(call.Method, ThriftMessageType.Exception, call.SequenceId, ThriftSerializer.Serialize(new ThriftApplicationException(6, e.Message), ThriftProtocol.Binary));
            if (!framed && TTHeaderEncoder.Describe(replyHeaders, HeaderMaps.EmptyInts, streamingFrame: false, string.Empty, options.Limits.MaxHeaderBytes, "header", payloadBytes: 0, maxFrameBytes: uint.MaxValue + 4L) is { } problem)
            {
                // A business status too large for the headers: the call fails with a reply that says so,
                // rather than the connection with a packet that cannot be written.
                replyHeaders = null;
                reply = new UnaryMessage(call.Method, ThriftMessageType.Exception, call.SequenceId, ThriftSerializer.Serialize(new ThriftApplicationException(6, "the business status could not be sent: " + problem), ThriftProtocol.Binary));
            }
        }

        if (call.Type == ThriftMessageType.Oneway)
        {
            return;
        }

        var oversized = framed
            ? FramedCodec.Describe(reply, options.Limits)
            : UnaryTTHeaderCodec.Describe(replyHeaders ?? HeaderMaps.EmptyStrings, reply.Method, reply.Body.Length, request.FramedPayload, options.Limits);
        if (oversized is not null)
        {
            // A reply over FrameLimits.MaxFrameBytes, which a client with the same limits would answer by closing the
            // connection: the call fails with a reply that says so instead. (Under a limit too small even for that,
            // it goes out anyway: the call fails either way.)
            replyHeaders = null;
            reply = new UnaryMessage(call.Method, ThriftMessageType.Exception, call.SequenceId, ThriftSerializer.Serialize(new ThriftApplicationException(6, "the reply could not be sent: " + oversized), ThriftProtocol.Binary));
        }

        if (framed)
        {
            FramedCodec.Write(pipe.Output, reply);
        }
        else
        {
            // Answer in the request's shape (Kitex's client sends a framed payload inside TTHeader).
            UnaryTTHeaderCodec.Write(pipe.Output, new UnaryTTHeaderPacket(request.SequenceId, reply, replyHeaders, framedPayload: request.FramedPayload));
        }

        await pipe.Output.FlushAsync(closeRequested).ConfigureAwait(false);
    }
}
