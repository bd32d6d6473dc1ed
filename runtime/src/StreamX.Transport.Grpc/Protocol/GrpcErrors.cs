using System.Globalization;
using StreamX.Thrift;

namespace StreamX.Transport.Grpc;

/// <summary>
/// StreamX errors ↔ gRPC statuses. A StreamX server sends a status a foreign gRPC client understands
/// (handler failures are INTERNAL as Kitex sends them, unknown methods UNIMPLEMENTED, cancellations
/// CANCELLED, timeouts DEADLINE_EXCEEDED) plus trailers that let a StreamX client rebuild exactly the
/// error a ttstream client would see. A status from a foreign server becomes a StreamX error whose
/// cause is a <see cref="GrpcStatusException"/>.
/// </summary>
public static class GrpcErrors
{
    /// <summary>The status for an exception a server's Trailer carries.</summary>
    public static GrpcStatusCode ForApplicationException(ThriftApplicationException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return ForCode(exception.Type);
    }

    /// <summary>The status for a StreamX error code (Thrift application exception types included).</summary>
    public static GrpcStatusCode ForCode(int code) => code switch
    {
        1 or 20 => GrpcStatusCode.Unimplemented, // unknown method, unknown service
        12006 => GrpcStatusCode.Unavailable,
        12013 => GrpcStatusCode.Unavailable,
        12014 or 12015 => GrpcStatusCode.DeadlineExceeded,
        >= 12007 and <= 12012 => GrpcStatusCode.Cancelled,
        _ => GrpcStatusCode.Internal,
    };

    /// <summary>The status for a reset; a <see cref="GrpcStatusException"/> cause decides it when present.</summary>
    public static GrpcStatusCode ForReset(StreamError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Cause is GrpcStatusException g ? g.StatusCode : ForCode(error.Code);
    }

    /// <summary>
    /// The StreamX error for a status from a peer that sent no StreamX trailers: CANCELLED is a reset
    /// from downstream (12009), DEADLINE_EXCEEDED a stream timeout (12015), UNAVAILABLE a closing
    /// transport (12006), anything else an application exception (12001); the status is the cause.
    /// </summary>
    public static StreamError FromForeignStatus(GrpcStatusCode status, string detail, StreamSide side)
    {
        var cause = new GrpcStatusException(status, detail);
        var template = status switch
        {
            GrpcStatusCode.Cancelled => StreamErrors.CanceledByDownstream,
            GrpcStatusCode.DeadlineExceeded => StreamErrors.StreamTimeout,
            GrpcStatusCode.Unavailable => StreamErrors.TransportClosing,
            _ => StreamErrors.ApplicationException,
        };
        return template with { Side = side, Cause = cause };
    }

    /// <summary>Parses <c>grpc-status</c>; null when absent or not a non-negative integer.</summary>
    public static GrpcStatusCode? ParseStatus(string? value) =>
        value is not null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? (GrpcStatusCode)code : null;
}
