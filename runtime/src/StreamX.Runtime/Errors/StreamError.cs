using System.Text;
using StreamX.Thrift;

namespace StreamX;

/// <summary>
/// An immutable description of why a stream failed, with Kitex's fields: code, side, canceled path,
/// cause, category and retryability. <see cref="Text"/> is Kitex's exact display format
/// (<c>[ttstream error, code=12007] [server-side stream] [canceled path: A -&gt; B] …</c>). Transports
/// carry it across the wire; <see cref="ToException"/> turns it into what user code catches.
/// </summary>
public sealed record StreamError
{
    /// <summary>Creates an error from its parts (usually via <see cref="StreamErrors"/>).</summary>
    public StreamError(int code, string baseMessage, StreamErrorCategory category)
    {
        Code = code;
        BaseMessage = baseMessage;
        Category = category;
    }

    /// <summary>The code: 12001–12015, or a remote exception's type for received resets.</summary>
    public int Code { get; init; }

    /// <summary>The template message (e.g. <c>canceled by upstream</c>); identifies the kind, as Kitex's errors.Is does.</summary>
    public string BaseMessage { get; init; }

    /// <summary>The family.</summary>
    public StreamErrorCategory Category { get; init; }

    /// <summary>The side that reports it, or null (connection-level 12013 has none).</summary>
    public StreamSide? Side { get; init; }

    /// <summary>Comma-joined service names the cancellation crossed (<c>A,B</c>), or null.</summary>
    public string? CanceledPath { get; init; }

    /// <summary>What caused it: a remote <see cref="ThriftApplicationException"/>, a local exception …</summary>
    public Exception? Cause { get; init; }

    /// <summary>True when the stream is still usable (a recv timeout with DisableCancelRemote).</summary>
    public bool CanRetry { get; init; }

    /// <summary>The message written into an exception payload on the wire: the cause's text if any, else the base message.</summary>
    public string WireMessage => Cause is null ? BaseMessage : CauseText(Cause);

    /// <summary>Kitex's display text (ttstream <c>Exception.Error()</c>).</summary>
    public string Text
    {
        get
        {
            var sb = new StringBuilder();
            sb.Append("[ttstream error, code=").Append(Code).Append("] ");
            if (Side is { } side)
            {
                sb.Append(side == StreamSide.Client ? "[client-side stream] " : "[server-side stream] ");
            }

            if (!string.IsNullOrEmpty(CanceledPath))
            {
                sb.Append("[canceled path: ").Append(FormatPath(CanceledPath)).Append("] ");
            }

            sb.Append(WireMessage);
            return sb.ToString();
        }
    }

    /// <summary>True when both errors come from the same template (same base message), whatever code, side or cause.</summary>
    public bool IsKind(StreamError template) => BaseMessage == template.BaseMessage;

    /// <summary>A copy reported by another side.</summary>
    public StreamError WithSide(StreamSide side) => this with { Side = side };

    /// <summary>Kitex's path append: <c>append("", x) = x</c>, <c>append("A", "B") = "A,B"</c>.</summary>
    public static string AppendPath(string? path, string? node) =>
        string.IsNullOrEmpty(path) ? node ?? string.Empty : path + "," + (node ?? string.Empty);

    /// <summary>Display form of a path: every <c>,</c> becomes <c> -&gt; </c>.</summary>
    public static string FormatPath(string path) => path.Replace(",", " -> ", StringComparison.Ordinal);

    /// <summary>The exception user code sees: <see cref="StreamXCanceledException"/> for the canceled family, else <see cref="StreamXException"/>.</summary>
    public Exception ToException(CancellationToken token = default) => Category == StreamErrorCategory.Canceled
        ? new StreamXCanceledException(this, token)
        : new StreamXException(this);

    /// <inheritdoc />
    public override string ToString() => Text;

    private static string CauseText(Exception cause) => cause switch
    {
        IStreamXError x => x.Error.Text,
        _ => cause.Message,
    };
}
