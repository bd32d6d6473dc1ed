using System.Diagnostics;

namespace StreamX.Diagnostics;

/// <summary>
/// W3C trace context in call headers, through <see cref="DistributedContextPropagator.Current"/>:
/// injected into a call's request headers, extracted by the server. Each field is sent twice: as
/// itself (<c>traceparent</c>, what gRPC and any W3C peer read) and as Kitex transient metainfo
/// (<c>RPC_TRANSIT_traceparent</c>, what kitex-contrib/obs-opentelemetry reads on TTHeader and, as
/// <c>rpc-transit-traceparent</c>, on gRPC). The server reads either form.
/// </summary>
internal static class TraceContext
{
    private static readonly DistributedContextPropagator.PropagatorSetterCallback Setter = static (carrier, key, value) =>
    {
        if (carrier is not Dictionary<string, string> headers || string.IsNullOrEmpty(key) || value is null)
        {
            return;
        }

        // A header the caller set itself (call options, a stream middleware) wins, as in HttpClient.
        if (headers.TryAdd(key, value) && KitexKeys(key) is { } kitex)
        {
            headers.TryAdd(kitex.Sent, value);
        }
    };

    private static readonly DistributedContextPropagator.PropagatorGetterCallback Getter = static (object? carrier, string fieldName, out string? fieldValue, out IEnumerable<string>? fieldValues) =>
    {
        fieldValues = null;
        fieldValue = null;
        if (carrier is not IReadOnlyDictionary<string, string> headers)
        {
            return;
        }

        if (headers.TryGetValue(fieldName, out var value))
        {
            fieldValue = value;
        }
        else if (KitexKeys(fieldName) is { } kitex)
        {
            // A Kitex peer's transient metainfo: as sent on TTHeader, or upper-cased as gRPC delivers it.
            fieldValue = headers.TryGetValue(kitex.Sent, out value) || headers.TryGetValue(kitex.Received, out value) ? value : null;
        }
    };

    /// <summary>Adds <paramref name="activity"/>'s context to <paramref name="headers"/> (nothing for null).</summary>
    public static void Inject(Activity? activity, Dictionary<string, string> headers)
    {
        if (activity is not null)
        {
            DistributedContextPropagator.Current.Inject(activity, headers, Setter);
        }
    }

    /// <summary>The trace parent a client sent, or false when it sent none.</summary>
    public static bool TryExtract(IReadOnlyDictionary<string, string> headers, out string? traceParent, out string? traceState)
    {
        DistributedContextPropagator.Current.ExtractTraceIdAndState(headers, Getter, out traceParent, out traceState);
        return !string.IsNullOrEmpty(traceParent);
    }

    /// <summary>The baggage a client sent, or null.</summary>
    public static IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(IReadOnlyDictionary<string, string> headers) =>
        DistributedContextPropagator.Current.ExtractBaggage(headers, Getter);

    // The W3C fields obs-opentelemetry propagates (trace context and baggage), with their Kitex keys.
    private static (string Sent, string Received)? KitexKeys(string field) => field switch
    {
        "traceparent" => (Metadata.TransientPrefix + "traceparent", Metadata.TransientPrefix + "TRACEPARENT"),
        "tracestate" => (Metadata.TransientPrefix + "tracestate", Metadata.TransientPrefix + "TRACESTATE"),
        "baggage" => (Metadata.TransientPrefix + "baggage", Metadata.TransientPrefix + "BAGGAGE"),
        _ => null,
    };
}
