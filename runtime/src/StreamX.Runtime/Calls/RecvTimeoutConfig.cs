namespace StreamX;

/// <summary>
/// A per-receive timeout (Kitex <c>streaming.TimeoutConfig</c>). When a receive waits longer than
/// <see cref="Timeout"/> it fails with 12014; with <see cref="DisableCancelRemote"/> the stream stays
/// usable (nothing is sent to the peer and the next receive can still get data), otherwise the
/// stream is reset.
/// </summary>
public readonly record struct RecvTimeoutConfig(TimeSpan Timeout, bool DisableCancelRemote = false);
