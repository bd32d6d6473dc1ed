using System.Globalization;

namespace StreamX.Transport.Grpc;

/// <summary>
/// A gRPC status as received from a peer that is not StreamX (or from an HTTP/2 layer), kept as the
/// cause of the <see cref="StreamXException"/> a call fails with, so callers can read the status code.
/// </summary>
public sealed class GrpcStatusException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GrpcStatusException(GrpcStatusCode statusCode, string? detail)
        : base(Format(statusCode, detail))
    {
        StatusCode = statusCode;
        Detail = detail ?? string.Empty;
    }

    /// <summary>The status code.</summary>
    public GrpcStatusCode StatusCode { get; }

    /// <summary>The status message (<c>grpc-message</c>, decoded), possibly empty.</summary>
    public string Detail { get; }

    private static string Format(GrpcStatusCode code, string? detail)
    {
        var head = string.Create(CultureInfo.InvariantCulture, $"grpc status {(int)code} ({Name(code)})");
        return string.IsNullOrEmpty(detail) ? head : head + ": " + detail;
    }

    /// <summary>The status code's upper-case name as gRPC documents it (<c>DEADLINE_EXCEEDED</c>).</summary>
    public static string Name(GrpcStatusCode code) => code switch
    {
        GrpcStatusCode.OK => "OK",
        GrpcStatusCode.Cancelled => "CANCELLED",
        GrpcStatusCode.Unknown => "UNKNOWN",
        GrpcStatusCode.InvalidArgument => "INVALID_ARGUMENT",
        GrpcStatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        GrpcStatusCode.NotFound => "NOT_FOUND",
        GrpcStatusCode.AlreadyExists => "ALREADY_EXISTS",
        GrpcStatusCode.PermissionDenied => "PERMISSION_DENIED",
        GrpcStatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        GrpcStatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        GrpcStatusCode.Aborted => "ABORTED",
        GrpcStatusCode.OutOfRange => "OUT_OF_RANGE",
        GrpcStatusCode.Unimplemented => "UNIMPLEMENTED",
        GrpcStatusCode.Internal => "INTERNAL",
        GrpcStatusCode.Unavailable => "UNAVAILABLE",
        GrpcStatusCode.DataLoss => "DATA_LOSS",
        GrpcStatusCode.Unauthenticated => "UNAUTHENTICATED",
        _ => "CODE_" + ((int)code).ToString(CultureInfo.InvariantCulture),
    };
}
