namespace StreamX.Diagnostics;

/// <summary>
/// The names to subscribe to for StreamX's traces and metrics (docs/observability.md): an
/// <see cref="System.Diagnostics.ActivitySource"/> and a <see cref="System.Diagnostics.Metrics.Meter"/>,
/// both called <c>StreamX</c> and versioned with the runtime assembly. With OpenTelemetry:
/// <c>.AddSource(StreamXTelemetry.ActivitySourceName)</c> and <c>.AddMeter(StreamXTelemetry.MeterName)</c>.
/// Nothing is recorded, and a call allocates nothing for telemetry, while nobody listens.
/// </summary>
public static class StreamXTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of client and server spans: <c>StreamX</c>.</summary>
    public const string ActivitySourceName = "StreamX";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> of call durations, call counts and message counts: <c>StreamX</c>.</summary>
    public const string MeterName = "StreamX";
}
