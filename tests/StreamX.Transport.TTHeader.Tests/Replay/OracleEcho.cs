using System.Collections.Concurrent;
using System.Globalization;
using StreamX.Examples.Echo;

namespace StreamX.Transport.TTHeader.Tests.Replay;

/// <summary>One event the oracle logged, in the shape of the Go oracle's <c>server.jsonl</c> lines.</summary>
public sealed class OracleEvent
{
    private readonly SortedDictionary<string, string> _fields = new(StringComparer.Ordinal);

    public OracleEvent(string name, string method)
    {
        _fields["event"] = name;
        _fields["method"] = method;
    }

    public string Name => _fields["event"];

    public string? this[string key]
    {
        get => _fields.TryGetValue(key, out var v) ? v : null;
        set
        {
            if (!string.IsNullOrEmpty(value))
            {
                _fields[key] = value;
            }
        }
    }

    /// <summary>Same form as <see cref="ReplayScript.Render"/>.</summary>
    public string Render() => string.Join(" | ", _fields.Select(f => f.Key + "=" + f.Value));

    public override string ToString() => Render();
}

/// <summary>
/// Our TestService behaving like the Go oracle server the captures were recorded against (README "What the Go
/// server does"): the request message is a comma-separated option list — <c>count:N</c> (default 3),
/// <c>delay:MS</c> (default 200), <c>header:V</c>, <c>trailer:V</c>, <c>error:TEXT</c>, <c>bizerr:CODE:TEXT</c> —
/// and it logs the same events with the same fields (<c>server_call</c>, <c>server_recv</c>, <c>server_ctx_done</c>,
/// <c>server_send_err</c>, <c>stream_end</c>, …), the error texts being what our handler saw.
/// </summary>
public sealed class OracleEcho : TestService.TestServiceBase
{
    private readonly ConcurrentQueue<OracleEvent> _events = new();
    private readonly object _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _ended;

    /// <summary>Log events (off for the fuzz server).</summary>
    public bool Record { get; init; } = true;

    /// <summary>Upper bound of <c>count:</c> (the fuzz server clamps hostile counts).</summary>
    public int MaxCount { get; init; } = int.MaxValue;

    /// <summary>
    /// Replaces EchoServer's pause before response <c>i</c> (i ≥ 1; arguments: i, the <c>delay:</c> value in ms, the
    /// handler's token). Default: wait <c>delay</c> ms. Replays use it to pace by frames instead of wall time.
    /// </summary>
    public Func<int, int, CancellationToken, Task>? Pause { get; init; }

    /// <summary>Messages starting with this are not logged (the replay's probe streams).</summary>
    public string? IgnorePrefix { get; init; } = "probe";

    public IReadOnlyList<OracleEvent> Events => _events.ToList();

    /// <summary>Handlers that returned (normally or not) and logged <c>stream_end</c>.</summary>
    public int Ended => Volatile.Read(ref _ended);

    public async Task WaitForEndedAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (Ended >= count)
                {
                    return;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"only {Ended} of {count} handlers ended within {timeout}; events: {string.Join(Environment.NewLine, Events)}");
            }
        }
    }

    public override Task<Response> PingPongAsync(Request req, ServerCallContext context)
    {
        var log = Log(req.Message);
        Call("PingPong", context, req.Message, log);
        var options = Options.Parse(req.Message ?? string.Empty, MaxCount);
        var end = new OracleEvent("stream_end", "PingPong");
        try
        {
            options.ThrowIfFailing();
            return Task.FromResult(new Response { Message = req.Message });
        }
        catch (Exception e)
        {
            end["err"] = e.Message;
            throw;
        }
        finally
        {
            End(end, log);
        }
    }

    public override async Task EchoAsync(MessageReader<Request> requests, MessageWriter<Response> responses, ServerCallContext context)
    {
        Call("Echo", context, null, true);
        var recvCount = 0;
        var end = new OracleEvent("stream_end", "Echo");
        try
        {
            while (true)
            {
                Request? request;
                try
                {
                    request = await requests.RecvAsync();
                }
                catch (Exception e)
                {
                    Add(new OracleEvent("server_recv_err", "Echo") { ["err"] = e.Message }, true);
                    throw;
                }

                if (request is null)
                {
                    Add(new OracleEvent("server_recv_eof", "Echo"), true);
                    return;
                }

                recvCount++;
                Add(new OracleEvent("server_recv", "Echo") { ["message"] = request.Message }, true);
                await responses.SendAsync(new Response { Message = request.Message });
            }
        }
        catch (Exception e)
        {
            end["err"] = e.Message;
            throw;
        }
        finally
        {
            end["recv_count"] = recvCount.ToString(CultureInfo.InvariantCulture);
            end["ctx_err"] = CtxErr(context);
            End(end, true);
        }
    }

    public override async Task<Response> EchoClientAsync(MessageReader<Request> requests, ServerCallContext context)
    {
        Call("EchoClient", context, null, true);
        var recvCount = 0;
        var end = new OracleEvent("stream_end", "EchoClient");
        var all = new System.Text.StringBuilder();
        try
        {
            while (await requests.RecvAsync() is { } request)
            {
                recvCount++;
                all.Append(request.Message);
                Add(new OracleEvent("server_recv", "EchoClient") { ["message"] = request.Message }, true);
            }

            return new Response { Message = all.ToString() };
        }
        catch (Exception e)
        {
            end["err"] = e.Message;
            throw;
        }
        finally
        {
            end["recv_count"] = recvCount.ToString(CultureInfo.InvariantCulture);
            end["ctx_err"] = CtxErr(context);
            End(end, true);
        }
    }

    public override async Task EchoServerAsync(Request req, MessageWriter<Response> responses, ServerCallContext context)
    {
        var message = req.Message ?? string.Empty;
        var log = Log(message);
        Call("EchoServer", context, message, log);
        var options = Options.Parse(message, MaxCount);
        var sent = 0;
        var end = new OracleEvent("stream_end", "EchoServer");
        try
        {
            if (options.Header is { } header)
            {
                context.SetHeader([new("oracle-header", header)]);
            }

            if (options.Trailer is { } trailer)
            {
                context.SetTrailer([new("oracle-trailer", trailer)]);
            }

            for (var i = 0; i < options.Count; i++)
            {
                if (i > 0)
                {
                    try
                    {
                        await (Pause?.Invoke(i, options.Delay, context.CancellationToken) ?? Task.Delay(options.Delay, context.CancellationToken));
                    }
                    catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
                    {
                        // The Go handler notices ctx.Done() while pausing, logs it, and its next Send fails.
                        Add(new OracleEvent("server_ctx_done", "EchoServer") { ["ctx_err"] = CtxErr(context), ["sent_count"] = sent.ToString(CultureInfo.InvariantCulture) }, log);
                    }
                }

                try
                {
                    await responses.SendAsync(new Response { Message = message + "#" + i.ToString(CultureInfo.InvariantCulture) });
                }
                catch (Exception e)
                {
                    Add(new OracleEvent("server_send_err", "EchoServer") { ["err"] = e.Message, ["index"] = i.ToString(CultureInfo.InvariantCulture) }, log);
                    throw;
                }

                sent++;
            }

            options.ThrowIfFailing();
        }
        catch (Exception e)
        {
            end["err"] = e.Message;
            throw;
        }
        finally
        {
            end["sent_count"] = sent.ToString(CultureInfo.InvariantCulture);
            end["ctx_err"] = CtxErr(context);
            End(end, log);
        }
    }

    /// <summary>Go's <c>ctx.Err().Error()</c>: the reason once the handler's token fired, else empty.</summary>
    private static string? CtxErr(ServerCallContext context) =>
        context.CancellationToken.IsCancellationRequested ? context.CancelReason?.Text : null;

    private bool Log(string? message) => Record && (IgnorePrefix is null || message is null || !message.StartsWith(IgnorePrefix, StringComparison.Ordinal));

    private void Call(string method, ServerCallContext context, string? message, bool log)
    {
        var call = new OracleEvent("server_call", method) { ["message"] = message };
        call["meta_persistent"] = Render(context.PersistentMetainfo);
        call["meta_transient"] = Render(context.TransientMetainfo);
        Add(call, log);
    }

    private static string Render(IReadOnlyDictionary<string, string> map) =>
        string.Join(";", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));

    private void Add(OracleEvent e, bool log)
    {
        if (log)
        {
            _events.Enqueue(e);
        }
    }

    private void End(OracleEvent e, bool log)
    {
        Add(e, log);
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (log)
            {
                _ended++;
            }

            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>The parsed option list of a request message.</summary>
    public sealed record Options(int Count, int Delay, string? Header, string? Trailer, string? Error, int? BizCode, string? BizMessage)
    {
        public static Options Parse(string message, int maxCount)
        {
            int count = 3, delay = 200;
            string? header = null, trailer = null, error = null, bizMessage = null;
            int? bizCode = null;
            foreach (var part in message.Split(','))
            {
                var colon = part.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    continue;
                }

                var value = part[(colon + 1)..];
                switch (part[..colon])
                {
                    case "count" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var c):
                        count = Math.Clamp(c, 0, maxCount);
                        break;
                    case "delay" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d):
                        delay = Math.Clamp(d, 0, 60_000);
                        break;
                    case "header":
                        header = value;
                        break;
                    case "trailer":
                        trailer = value;
                        break;
                    case "error":
                        error = value;
                        break;
                    case "bizerr":
                        var second = value.IndexOf(':', StringComparison.Ordinal);
                        if (second > 0 && int.TryParse(value[..second], NumberStyles.Integer, CultureInfo.InvariantCulture, out var code))
                        {
                            bizCode = code;
                            bizMessage = value[(second + 1)..];
                        }

                        break;
                }
            }

            return new Options(count, delay, header, trailer, error, bizCode, bizMessage);
        }

        /// <summary>Go: <c>return errors.New(TEXT)</c> or <c>kerrors.NewBizStatusError(CODE, TEXT)</c>.</summary>
        public void ThrowIfFailing()
        {
            if (Error is { } error)
            {
                throw new InvalidOperationException(error);
            }

            if (BizCode is { } code and not 0)
            {
                throw new BizStatusException(code, BizMessage ?? string.Empty);
            }
        }
    }
}
