using System.Globalization;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// Limits the TTHeader decoders enforce on untrusted input before they allocate anything for a frame, and that the
/// connections check outgoing frames against, so that a peer with the same limits accepts what they send.
/// A value of 0 (and <c>default(FrameLimits)</c>) means the default.
/// </summary>
/// <param name="MaxFrameBytes">
/// The largest accepted frame, in bytes, counting the 4-byte LENGTH field: default <see cref="DefaultMaxFrameBytes"/>
/// (16 MiB). Kitex sets no limit on ttstream payloads; a larger incoming frame is a connection-fatal
/// <see cref="FrameException"/>, detected from the first 8 bytes, so a lying length never makes the decoder buffer or
/// allocate that much. A larger outgoing frame (a message, a unary request or reply) fails only its call, with 12004,
/// and is not sent.
/// </param>
/// <param name="MaxHeaderBytes">
/// The largest accepted TTHeader header-info block (HEADER SIZE × 4, from offset 14, padding included): default
/// <see cref="DefaultMaxHeaderBytes"/> (64 KiB, the limit of gopkg releases before PR #58, so what old peers accept);
/// at most <see cref="MaxSupportedHeaderBytes"/> (262140 = 4 × 65535, what current Kitex accepts).
/// </param>
public readonly record struct FrameLimits(int MaxFrameBytes = FrameLimits.DefaultMaxFrameBytes, int MaxHeaderBytes = FrameLimits.DefaultMaxHeaderBytes)
{
    /// <summary>The default <see cref="MaxFrameBytes"/>: 16 MiB.</summary>
    public const int DefaultMaxFrameBytes = 16 * 1024 * 1024;

    /// <summary>The default <see cref="MaxHeaderBytes"/>: 65536 (64 KiB).</summary>
    public const int DefaultMaxHeaderBytes = 64 * 1024;

    /// <summary>The largest header-info block the TTHeader format can describe: 4 × 65535 = 262140 bytes.</summary>
    public const int MaxSupportedHeaderBytes = 4 * ushort.MaxValue;

    // 0 means "default" so that default(FrameLimits) and new FrameLimits() are usable.
    private readonly int _maxFrameBytes = CheckFrame(MaxFrameBytes);
    private readonly int _maxHeaderBytes = CheckHeader(MaxHeaderBytes);

    /// <summary>The largest accepted frame in bytes, LENGTH field included (see the type's parameter docs).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
    public int MaxFrameBytes
    {
        get => _maxFrameBytes == 0 ? DefaultMaxFrameBytes : _maxFrameBytes;
        init => _maxFrameBytes = CheckFrame(value);
    }

    /// <summary>The largest accepted header-info block in bytes (see the type's parameter docs).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value or above <see cref="MaxSupportedHeaderBytes"/>.</exception>
    public int MaxHeaderBytes
    {
        get => _maxHeaderBytes == 0 ? DefaultMaxHeaderBytes : _maxHeaderBytes;
        init => _maxHeaderBytes = CheckHeader(value);
    }

    /// <summary>The default limits.</summary>
    public static FrameLimits Default => default;

    /// <summary>Compares the effective limits, so <c>default</c> equals limits explicitly set to the defaults.</summary>
    /// <param name="other">The limits to compare with.</param>
    /// <returns><see langword="true"/> if both effective limits are equal.</returns>
    public bool Equals(FrameLimits other) => MaxFrameBytes == other.MaxFrameBytes && MaxHeaderBytes == other.MaxHeaderBytes;

    /// <summary>Hashes the effective limits, consistently with <see cref="Equals(FrameLimits)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(MaxFrameBytes, MaxHeaderBytes);

    /// <summary>
    /// The problem of an outgoing frame over <see cref="MaxFrameBytes"/>, for errors that fail one call:
    /// <c>frame of 20971570 bytes (payload 20971520) is over the limit of 16777216 bytes (FrameLimits.MaxFrameBytes); the peer would close the connection</c>.
    /// </summary>
    /// <param name="frameBytes">The frame's size, LENGTH field included.</param>
    /// <param name="payloadBytes">The payload's size.</param>
    /// <param name="maxFrameBytes">The limit.</param>
    /// <returns>The message.</returns>
    internal static string FrameTooLarge(long frameBytes, long payloadBytes, long maxFrameBytes) => string.Create(
        CultureInfo.InvariantCulture,
        $"frame of {frameBytes} bytes (payload {payloadBytes}) is over the limit of {maxFrameBytes} bytes (FrameLimits.MaxFrameBytes); the peer would close the connection");

    private static int CheckFrame(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(MaxFrameBytes));
        return value;
    }

    private static int CheckHeader(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(MaxHeaderBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxSupportedHeaderBytes, nameof(MaxHeaderBytes));
        return value;
    }
}
