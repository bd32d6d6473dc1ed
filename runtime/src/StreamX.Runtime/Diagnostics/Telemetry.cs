using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace StreamX.Diagnostics;

/// <summary>
/// StreamX's <see cref="ActivitySource"/>, <see cref="Meter"/> and instruments (one set per process),
/// and the attribute names they use (docs/observability.md). Every hot-path check here is a field
/// read: <see cref="ActivitySource.HasListeners"/> and <see cref="Instrument.Enabled"/>.
/// </summary>
internal static class Telemetry
{
    private static readonly string? Version = typeof(Telemetry).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource Source = new(StreamXTelemetry.ActivitySourceName, Version);

    public static readonly Meter Meter = new(StreamXTelemetry.MeterName, Version);

    // OpenTelemetry's recommended boundaries for durations in seconds.
    private static readonly InstrumentAdvice<double> DurationAdvice = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    };

    public static readonly SideInstruments Client = new("client", "rpc.client.call.duration", "outgoing");

    public static readonly SideInstruments Server = new("server", "rpc.server.call.duration", "incoming");

    /// <summary>The <c>rpc.system.name</c> (and legacy <c>rpc.system</c>) value.</summary>
    public const string SystemName = "streamx";

    /// <summary>Attribute and tag names.</summary>
    public static class Names
    {
        public const string RpcSystemName = "rpc.system.name";
        public const string RpcSystem = "rpc.system";
        public const string RpcService = "rpc.service";
        public const string RpcMethod = "rpc.method";
        public const string RpcMethodOriginal = "rpc.method_original";

        /// <summary>The <c>rpc.method</c> of a call to a method the server does not serve (bounded cardinality).</summary>
        public const string OtherMethod = "_OTHER";
        public const string ServerAddress = "server.address";
        public const string ServerPort = "server.port";
        public const string NetworkTransport = "network.transport";
        public const string NetworkProtocolName = "network.protocol.name";
        public const string NetworkProtocolVersion = "network.protocol.version";
        public const string NetworkPeerAddress = "network.peer.address";
        public const string NetworkPeerPort = "network.peer.port";
        public const string ErrorType = "error.type";
        public const string StreamXStreamingMode = "streamx.streaming_mode";
        public const string StreamXTransport = "streamx.transport";
        public const string ErrorCode = "streamx.error.code";
        public const string ErrorMessage = "streamx.error.message";
        public const string CanceledPath = "streamx.canceled_path";
        public const string Canceled = "streamx.canceled";
        public const string BizStatusCode = "streamx.biz_status.code";
        public const string CanceledEvent = "streamx.canceled";
        public const string MessageEvent = "rpc.message";
        public const string MessageType = "rpc.message.type";
        public const string MessageId = "rpc.message.id";
        public const string MessageSize = "rpc.message.uncompressed_size";
    }

    /// <summary>The <c>streamx.streaming_mode</c> value: Kitex's <c>streaming.mode</c> names.</summary>
    public static string ModeName(StreamingMode mode) => mode switch
    {
        StreamingMode.ClientStreaming => "client",
        StreamingMode.ServerStreaming => "server",
        StreamingMode.Bidirectional => "bidirectional",
        _ => "unary",
    };

    /// <summary>One side's instruments (client or server).</summary>
    internal sealed class SideInstruments
    {
        public SideInstruments(string side, string durationName, string direction)
        {
            Duration = Meter.CreateHistogram<double>(durationName, "s", $"Duration of {direction} calls, from the call's start to the end of its stream.", null, DurationAdvice);
            Started = Meter.CreateCounter<long>($"streamx.{side}.calls.started", "{call}", $"{Capitalized(direction)} calls started.");
            Active = Meter.CreateUpDownCounter<long>($"streamx.{side}.calls.active", "{call}", $"{Capitalized(direction)} calls whose stream has not ended.");
            MessagesSent = Meter.CreateCounter<long>($"streamx.{side}.messages.sent", "{message}", $"Messages sent by the {side} side of calls.");
            MessagesReceived = Meter.CreateCounter<long>($"streamx.{side}.messages.received", "{message}", $"Messages received by the {side} side of calls.");
        }

        public Histogram<double> Duration { get; }

        public Counter<long> Started { get; }

        public UpDownCounter<long> Active { get; }

        public Counter<long> MessagesSent { get; }

        public Counter<long> MessagesReceived { get; }

        /// <summary>True when a listener wants any of these instruments.</summary>
        public bool AnyEnabled => Duration.Enabled || Started.Enabled || Active.Enabled || MessagesSent.Enabled || MessagesReceived.Enabled;

        private static string Capitalized(string s) => char.ToUpperInvariant(s[0]) + s[1..];
    }
}
