using StreamX.Examples.Echo;
using StreamX.Thrift;
using StreamX.Transport.TTHeader.Tests.Support;

namespace StreamX.Transport.TTHeader.Tests.Replay;

/// <summary>
/// Compares a frame we produced with the frame Kitex produced in the same place, semantically: type, stream id,
/// method, string headers as a set (Kitex's block order is Go map order), int headers, and the payload after
/// decoding (Data: equal Thrift structs; Trailer/Rst: equal exception type, message, envelope method and seqid).
/// </summary>
public static class FrameSemantics
{
    /// <summary>Returns the differences (empty when equivalent).</summary>
    /// <param name="kitex">The captured frame.</param>
    /// <param name="ours">Our frame.</param>
    /// <param name="clientToServer">Direction (Data payloads are <see cref="Request"/> c2s, <see cref="Response"/> s2c).</param>
    /// <param name="expectedStreamId">The id ours must carry (Kitex's, or the one ours was mapped to).</param>
    /// <param name="exceptionMessage">
    /// How to compare exception messages; default exact. (Only the stream-timeout message differs by design: it
    /// carries the measured remaining time.)
    /// </param>
    public static List<string> Differences(Frame kitex, Frame ours, bool clientToServer, int? expectedStreamId = null, Func<string, string, bool>? exceptionMessage = null)
    {
        var diffs = new List<string>();
        if (kitex.Type != ours.Type)
        {
            diffs.Add($"type: Kitex {kitex.Type}, ours {ours.Type}");
            return diffs;
        }

        var id = expectedStreamId ?? kitex.StreamId;
        if (id != ours.StreamId)
        {
            diffs.Add($"stream id: expected {id}, ours {ours.StreamId}");
        }

        if (kitex.Method != ours.Method)
        {
            diffs.Add($"method: Kitex '{kitex.Method}', ours '{ours.Method}'");
        }

        var kitexStrings = Render(kitex.StringHeaders);
        var ourStrings = Render(ours.StringHeaders);
        if (kitexStrings != ourStrings)
        {
            diffs.Add($"string headers: Kitex {{{kitexStrings}}}, ours {{{ourStrings}}}");
        }

        if (kitex.IntHeaders.Count != 0 || ours.IntHeaders.Count != 0)
        {
            diffs.Add($"int headers besides 9/27: Kitex {kitex.IntHeaders.Count}, ours {ours.IntHeaders.Count}");
        }

        switch (kitex.Type)
        {
            case FrameType.Data:
                var kitexMessage = DecodeMessage(kitex, clientToServer);
                var ourMessage = DecodeMessage(ours, clientToServer);
                if (kitexMessage != ourMessage)
                {
                    diffs.Add($"data: Kitex {kitexMessage}, ours {ourMessage}");
                }

                break;
            case FrameType.Trailer or FrameType.Rst:
                if (kitex.Payload.IsEmpty != ours.Payload.IsEmpty)
                {
                    diffs.Add($"payload: Kitex {(kitex.Payload.IsEmpty ? "empty" : Describe(kitex))}, ours {(ours.Payload.IsEmpty ? "empty" : Describe(ours))}");
                }
                else if (!kitex.Payload.IsEmpty)
                {
                    var k = ExceptionPayload.Decode(kitex.Payload.Span, out var kMethod, out var kSeq);
                    var o = ExceptionPayload.Decode(ours.Payload.Span, out var oMethod, out var oSeq);
                    if (k.Type != o.Type)
                    {
                        diffs.Add($"exception type: Kitex {k.Type}, ours {o.Type}");
                    }

                    if (!(exceptionMessage ?? string.Equals)(k.Message, o.Message))
                    {
                        diffs.Add($"exception message: Kitex '{k.Message}', ours '{o.Message}'");
                    }

                    if (kMethod != oMethod)
                    {
                        diffs.Add($"exception envelope method: Kitex '{kMethod}', ours '{oMethod}'");
                    }

                    if (oSeq != id)
                    {
                        diffs.Add($"exception envelope seqid: expected {id} (Kitex wrote {kSeq}), ours {oSeq}");
                    }
                }

                break;
            default:
                if (!kitex.Payload.IsEmpty || !ours.Payload.IsEmpty)
                {
                    diffs.Add($"{kitex.Type} payload: Kitex {kitex.Payload.Length}B, ours {ours.Payload.Length}B");
                }

                break;
        }

        return diffs;
    }

    public static string Render(IReadOnlyDictionary<string, string> headers) =>
        string.Join(", ", headers.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => h.Key + "=" + h.Value));

    public static string Describe(Frame frame)
    {
        if (frame.Payload.IsEmpty)
        {
            return frame.ToString();
        }

        try
        {
            return frame.Type switch
            {
                FrameType.Data => $"{frame} {Hex.Of(frame.Payload.Span)}",
                _ => $"{frame} exception {ExceptionPayload.Decode(frame.Payload.Span).Type}: {ExceptionPayload.Decode(frame.Payload.Span).Message}",
            };
        }
        catch (FrameException)
        {
            return $"{frame} {Hex.Of(frame.Payload.Span)}";
        }
    }

    private static string DecodeMessage(Frame frame, bool request)
    {
        try
        {
            return request
                ? ThriftSerializer.Deserialize<Request>(frame.Payload.Span, ThriftProtocol.Binary).ToString()
                : ThriftSerializer.Deserialize<Response>(frame.Payload.Span, ThriftProtocol.Binary).ToString();
        }
        catch (ThriftProtocolException e)
        {
            return "undecodable (" + e.Message + ") " + Hex.Of(frame.Payload.Span);
        }
    }
}
