using System.Globalization;
using StreamX.Examples.Echo;

namespace StreamX.InteropPeer;

/// <summary>
/// The handlers of the Go oracle server (shared/interop/kitex-captures/README.md). The request
/// message is a comma-separated list: the text, then options <c>count:N</c>, <c>delay:MS</c>,
/// <c>header:V</c>, <c>trailer:V</c>, <c>error:TEXT</c>, <c>bizerr:CODE:TEXT</c>. With a downstream,
/// EchoServer relays the same call to it instead (the middle hop of a cascade). Extension (as in the
/// Node gRPC peer, tests/interop/grpc-node): PingPong waits <c>delay:MS</c> before answering when the
/// option is given, for unary deadline and cancel tests.
/// </summary>
internal sealed class OracleService(TestService.TestServiceClient? downstream) : TestService.TestServiceBase
{
    private sealed record Options(string Text, int Count, int DelayMs, bool DelayGiven, string? Header, string? Trailer, string? Error, (int Code, string Message)? BizError);

    private static Options Parse(string? message)
    {
        var parts = (message ?? string.Empty).Split(',');
        int count = 3, delay = 200;
        var delayGiven = false;
        string? header = null, trailer = null, error = null;
        (int, string)? biz = null;
        foreach (var part in parts.Skip(1))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var (key, value) = (part[..colon], part[(colon + 1)..]);
            switch (key)
            {
                case "count": count = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "delay": delay = int.Parse(value, CultureInfo.InvariantCulture); delayGiven = true; break;
                case "header": header = value; break;
                case "trailer": trailer = value; break;
                case "error": error = value; break;
                case "bizerr":
                    var c = value.IndexOf(':', StringComparison.Ordinal);
                    biz = (int.Parse(value[..c], CultureInfo.InvariantCulture), value[(c + 1)..]);
                    break;
            }
        }

        return new Options(parts[0], count, delay, delayGiven, header, trailer, error, biz);
    }

    private static void Finish(Options o)
    {
        if (o.BizError is { } biz)
        {
            throw new BizStatusException(biz.Code, biz.Message);
        }

        if (o.Error is { } error)
        {
            throw new InvalidOperationException(error);
        }
    }

    private static void Call(string method, ServerCallContext context, string? message) =>
        Events.Emit(
            "server_call",
            ("method", method),
            ("message", message),
            ("meta_persistent", Nullable(context.PersistentMetainfo)),
            ("meta_transient", Nullable(context.TransientMetainfo)),
            ("headers", Nullable(context.RequestHeaders)));

    private static IReadOnlyDictionary<string, string>? Nullable(IReadOnlyDictionary<string, string> map) => map.Count == 0 ? null : map;

    /// <summary>
    /// Ends a handler's <c>server_ctx_done</c> registration: a token that has not fired will not report (its later
    /// firing, 12012 when the handler returned, is not the event); one that has fired is left alone, since a handler
    /// that ends because of the cancel may return while the token's callbacks are still running, and the event must
    /// come (as the Go oracle's goroutine waiting on ctx.Done() sees it).
    /// </summary>
    private static void ReleaseCtxDone(CancellationTokenRegistration registration, ServerCallContext context)
    {
        if (!context.CancellationToken.IsCancellationRequested)
        {
            registration.Dispose();
        }
    }

    private static void End(string method, ServerCallContext context, Exception? error, (string, object?) count) =>
        Events.Emit("stream_end", [("method", method), count, ("ctx_err", context.CancelReason?.Text ?? string.Empty), .. Events.Error(error)]);

    public override async Task<Response> PingPongAsync(Request req, ServerCallContext context)
    {
        Call("PingPong", context, req.Message);
        var o = Parse(req.Message);
        if (o.DelayGiven && o.DelayMs > 0)
        {
            var ctxDone = context.CancellationToken.Register(() =>
                Events.Emit("server_ctx_done", ("method", "PingPong"), ("ctx_err", context.CancelReason?.Text), ("sent_count", 0)));
            try
            {
                await Task.Delay(o.DelayMs, context.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                if (context.CancellationToken.IsCancellationRequested)
                {
                    var canceled = new OperationCanceledException(context.CancelReason?.Text, context.CancellationToken);
                    End("PingPong", context, canceled, ("sent_count", 0));
                    throw canceled;
                }
            }
            finally
            {
                ReleaseCtxDone(ctxDone, context);
            }
        }

        Finish(o);
        return new Response { Message = req.Message };
    }

    public override async Task EchoAsync(MessageReader<Request> requests, MessageWriter<Response> responses, ServerCallContext context)
    {
        Call("Echo", context, null);
        var count = 0;
        try
        {
            await foreach (var request in requests)
            {
                Events.Emit("server_recv", ("method", "Echo"), ("message", request.Message));
                await responses.SendAsync(new Response { Message = request.Message });
                count++;
            }

            End("Echo", context, null, ("recv_count", count));
        }
        catch (Exception e)
        {
            End("Echo", context, e, ("recv_count", count));
            throw;
        }
    }

    public override async Task<Response> EchoClientAsync(MessageReader<Request> requests, ServerCallContext context)
    {
        Call("EchoClient", context, null);
        var all = new System.Text.StringBuilder();
        var count = 0;
        try
        {
            await foreach (var request in requests)
            {
                Events.Emit("server_recv", ("method", "EchoClient"), ("message", request.Message));
                all.Append(request.Message);
                count++;
            }

            End("EchoClient", context, null, ("recv_count", count));
            return new Response { Message = all.ToString() };
        }
        catch (Exception e)
        {
            End("EchoClient", context, e, ("recv_count", count));
            throw;
        }
    }

    public override async Task EchoServerAsync(Request req, MessageWriter<Response> responses, ServerCallContext context)
    {
        Call("EchoServer", context, req.Message);
        var o = Parse(req.Message);
        var sent = 0;
        var ctxDone = context.CancellationToken.Register(() =>
            Events.Emit("server_ctx_done", ("method", "EchoServer"), ("ctx_err", context.CancelReason?.Text), ("sent_count", Volatile.Read(ref sent))));
        try
        {
            if (o.Header is { } h)
            {
                context.SetHeader(new Dictionary<string, string> { ["oracle-header"] = h });
            }

            if (o.Trailer is { } t)
            {
                context.SetTrailer(new Dictionary<string, string> { ["oracle-trailer"] = t });
            }

            if (downstream is not null)
            {
                // The middle hop: no token passed; the call joins this handler's lifecycle.
                await using var relay = downstream.EchoServer(req);
                await foreach (var r in relay)
                {
                    await Send(r.Message!);
                }
            }
            else
            {
                for (var i = 0; i < o.Count && !context.CancellationToken.IsCancellationRequested; i++)
                {
                    if (i > 0 && o.DelayMs > 0)
                    {
                        await Task.Delay(o.DelayMs, context.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                    }

                    await Send($"{req.Message}#{i}");
                }
            }

            Finish(o);
            End("EchoServer", context, null, ("sent_count", sent));
        }
        catch (Exception e)
        {
            End("EchoServer", context, e, ("sent_count", sent));
            throw;
        }
        finally
        {
            ReleaseCtxDone(ctxDone, context);
        }

        async Task Send(string text)
        {
            try
            {
                await responses.SendAsync(new Response { Message = text });
                sent++;
            }
            catch (Exception e)
            {
                Events.Emit("server_send_err", [("method", "EchoServer"), ("index", sent), .. Events.Error(e)]);
                throw;
            }
        }
    }
}
