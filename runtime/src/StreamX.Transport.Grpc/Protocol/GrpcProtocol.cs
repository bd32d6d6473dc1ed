using System.Globalization;
using System.Text;

namespace StreamX.Transport.Grpc;

/// <summary>
/// The gRPC over HTTP/2 protocol pieces StreamX needs (grpc/grpc <c>doc/PROTOCOL-HTTP2.md</c>):
/// header names, content types, <c>grpc-timeout</c>, <c>grpc-message</c> percent-encoding and the
/// HTTP status fallback, plus StreamX's own extension headers.
/// </summary>
public static class GrpcProtocol
{
    /// <summary>The content type StreamX sends, as Kitex does for Thrift payloads.</summary>
    public const string ThriftContentType = "application/grpc+thrift";

    /// <summary>The plain gRPC content type (what grpc-js clients send); the server accepts it with Thrift payloads.</summary>
    public const string GrpcContentType = "application/grpc";

    /// <summary><c>grpc-status</c>.</summary>
    public const string StatusHeader = "grpc-status";

    /// <summary><c>grpc-message</c> (percent-encoded).</summary>
    public const string MessageHeader = "grpc-message";

    /// <summary><c>grpc-timeout</c>.</summary>
    public const string TimeoutHeader = "grpc-timeout";

    /// <summary><c>grpc-encoding</c>: how the sender's compressed messages are compressed (StreamX: <c>identity</c>, <c>gzip</c>, <c>deflate</c>).</summary>
    public const string EncodingHeader = "grpc-encoding";

    /// <summary><c>grpc-accept-encoding</c>: the encodings the sender can decode (StreamX sends <c>identity,gzip,deflate</c>).</summary>
    public const string AcceptEncodingHeader = "grpc-accept-encoding";

    /// <summary>The persistent metainfo header prefix Kitex uses over HTTP/2 (<c>rpc-persist-&lt;key&gt;</c>).</summary>
    public const string PersistentPrefix = "rpc-persist-";

    /// <summary>The transient metainfo header prefix Kitex uses over HTTP/2 (<c>rpc-transit-&lt;key&gt;</c>).</summary>
    public const string TransientPrefix = "rpc-transit-";

    /// <summary>StreamX extension: the calling service's name (the node a canceled path starts with).</summary>
    public const string CallerHeader = "streamx-caller";

    /// <summary>StreamX extension: features a request asks for, and the response confirms (<c>cancel-details</c>).</summary>
    public const string FeaturesHeader = "streamx-features";

    /// <summary>The feature: the client may end its request with a control message carrying why it canceled.</summary>
    public const string CancelDetailsFeature = "cancel-details";

    /// <summary>
    /// The feature: the client half-closes in-band (a control message) and keeps its request stream open, so
    /// the server, before its trailers, asks it in-band to end the request stream (and waits for that).
    /// </summary>
    public const string InbandHalfCloseFeature = "half-close";

    /// <summary>StreamX extension trailer: the Thrift application exception type behind a non-OK status.</summary>
    public const string ExceptionTypeTrailer = "streamx-exception-type";

    /// <summary>StreamX extension trailer: the stream was reset by the server; the value is the error code.</summary>
    public const string ResetTrailer = "streamx-reset";

    /// <summary>StreamX extension trailer: the canceled path of a reset (comma-separated, as ttstream's <c>ttscp</c>).</summary>
    public const string CanceledPathTrailer = "streamx-canceled-path";

    /// <summary>The message flag of a StreamX control message (never sent unless the peer confirmed the feature).</summary>
    internal const byte ControlFlag = 0x80;

    /// <summary>True for <c>application/grpc</c> and <c>application/grpc+…</c> (parameters allowed).</summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) || !contentType.StartsWith(GrpcContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (contentType.Length == GrpcContentType.Length)
        {
            return true;
        }

        var next = contentType[GrpcContentType.Length];
        return next is '+' or ';';
    }

    /// <summary>
    /// Encodes a timeout as <c>grpc-timeout</c>: at most 8 digits and a unit, rounded up so the server
    /// never ends a call before the client would (<c>250m</c>, <c>1500000u</c>, <c>30S</c>).
    /// </summary>
    public static string EncodeTimeout(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return "1n";
        }

        const long max = 99_999_999;
        var ticks = timeout.Ticks; // 100 ns
        long Ceil(long divisor) => ticks / divisor + (ticks % divisor == 0 ? 0 : 1);
        if (ticks <= max / 100)
        {
            return (ticks * 100).ToString(CultureInfo.InvariantCulture) + "n";
        }

        foreach (var (divisor, unit) in new (long, char)[] { (10, 'u'), (TimeSpan.TicksPerMillisecond, 'm'), (TimeSpan.TicksPerSecond, 'S'), (TimeSpan.TicksPerMinute, 'M'), (TimeSpan.TicksPerHour, 'H') })
        {
            var value = Ceil(divisor);
            if (value <= max)
            {
                return value.ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return max.ToString(CultureInfo.InvariantCulture) + "H";
    }

    /// <summary>Parses <c>grpc-timeout</c> (1–8 digits and one of <c>H M S m u n</c>); false when malformed.</summary>
    public static bool TryParseTimeout(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (value is null || value.Length < 2 || value.Length > 9)
        {
            return false;
        }

        var digits = value.AsSpan(0, value.Length - 1);
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        var amount = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        long? ticks = value[^1] switch
        {
            'H' => amount * TimeSpan.TicksPerHour,
            'M' => amount * TimeSpan.TicksPerMinute,
            'S' => amount * TimeSpan.TicksPerSecond,
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * 10,
            'n' => (amount + 99) / 100,
            _ => null,
        };
        if (ticks is not { } t)
        {
            return false;
        }

        timeout = TimeSpan.FromTicks(t);
        return true;
    }

    /// <summary>Percent-encodes a status message as <c>grpc-message</c> requires (UTF-8; bytes outside 0x20–0x7E and <c>%</c>).</summary>
    public static string EncodeMessage(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var plain = true;
        foreach (var c in message)
        {
            if (c is < ' ' or > '~' or '%')
            {
                plain = false;
                break;
            }
        }

        if (plain)
        {
            return message;
        }

        var sb = new StringBuilder(message.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>Decodes <c>grpc-message</c>; malformed escapes are kept as they are, as the protocol asks.</summary>
    public static string DecodeMessage(string? value)
    {
        if (string.IsNullOrEmpty(value) || !value.Contains('%', StringComparison.Ordinal))
        {
            return value ?? string.Empty;
        }

        var input = Encoding.UTF8.GetBytes(value);
        var output = new byte[input.Length];
        var n = 0;
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] == (byte)'%' && i + 2 < input.Length && IsHex((char)input[i + 1]) && IsHex((char)input[i + 2]))
            {
                output[n++] = (byte)((HexValue(input[i + 1]) << 4) | HexValue(input[i + 2]));
                i += 2;
            }
            else
            {
                output[n++] = input[i];
            }
        }

        return Encoding.UTF8.GetString(output, 0, n);
    }

    private static int HexValue(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static bool IsHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F');

    /// <summary>The status a client reports for a response whose HTTP status is not 200 (the protocol's table).</summary>
    public static GrpcStatusCode FromHttpStatus(int httpStatus) => httpStatus switch
    {
        400 => GrpcStatusCode.Internal,
        401 => GrpcStatusCode.Unauthenticated,
        403 => GrpcStatusCode.PermissionDenied,
        404 => GrpcStatusCode.Unimplemented,
        429 or 502 or 503 or 504 => GrpcStatusCode.Unavailable,
        _ => GrpcStatusCode.Unknown,
    };

    /// <summary>The <c>:path</c> of a method: <c>/&lt;package&gt;.&lt;Service&gt;/&lt;Method&gt;</c>, or <c>/&lt;Service&gt;/&lt;Method&gt;</c> without a package.</summary>
    public static string Path(string? package, string service, string method) =>
        string.IsNullOrEmpty(package) ? $"/{service}/{method}" : $"/{package}.{service}/{method}";

    /// <summary>
    /// Splits a request path into the service name (the part after the last dot of the first segment,
    /// since Kitex routes on service and method names only) and the method; false when malformed.
    /// </summary>
    public static bool TryParsePath(string? path, out string service, out string method)
    {
        service = method = string.Empty;
        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            return false;
        }

        var slash = path.IndexOf('/', 1);
        if (slash < 0 || slash == path.Length - 1 || path.IndexOf('/', slash + 1) >= 0)
        {
            return false;
        }

        var qualified = path[1..slash];
        var dot = qualified.LastIndexOf('.');
        service = dot >= 0 ? qualified[(dot + 1)..] : qualified;
        method = path[(slash + 1)..];
        return service.Length > 0;
    }
}
