namespace StreamX.Thrift;

/// <summary>
/// Limits a Thrift reader enforces on untrusted input. <c>default(ThriftReaderOptions)</c> means the defaults.
/// </summary>
/// <remarks>
/// Independently of these limits, readers reject any length or element count that the remaining input could not
/// possibly hold, so the memory a reader (and code following its headers) allocates is bounded by the input size.
/// </remarks>
public readonly record struct ThriftReaderOptions
{
    /// <summary>The default <see cref="MaxDepth"/>: 64, as in Apache Thrift.</summary>
    public const int DefaultMaxDepth = 64;

    /// <summary>The largest supported <see cref="MaxDepth"/>. The Compact protocol keeps one slot per nested struct inline in the reader.</summary>
    public const int MaxSupportedDepth = 256;

    /// <summary>The default <see cref="MaxStringBytes"/>: 64 MiB.</summary>
    public const int DefaultMaxStringBytes = 64 * 1024 * 1024;

    /// <summary>The default <see cref="MaxContainerCount"/>: 16 Mi elements.</summary>
    public const int DefaultMaxContainerCount = 16 * 1024 * 1024;

    // Zero means "default" so that default(ThriftReaderOptions) is usable; the init accessors reject zero.
    private readonly int _maxDepth;
    private readonly int _maxStringBytes;
    private readonly int _maxContainerCount;

    /// <summary>Creates options with the default limits.</summary>
    public ThriftReaderOptions()
    {
    }

    /// <summary>The default options.</summary>
    public static ThriftReaderOptions Default => default;

    /// <summary>
    /// How deeply structs, lists, sets and maps may nest (a top-level struct is depth 1). Must be between 1 and
    /// <see cref="MaxSupportedDepth"/>. Exceeding it throws <see cref="ThriftProtocolErrorKind.DepthLimit"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1..<see cref="MaxSupportedDepth"/>.</exception>
    public int MaxDepth
    {
        get => _maxDepth == 0 ? DefaultMaxDepth : _maxDepth;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxSupportedDepth);
            _maxDepth = value;
        }
    }

    /// <summary>
    /// The largest accepted string/binary length in bytes (also applies to message names). Must be positive.
    /// Exceeding it throws <see cref="ThriftProtocolErrorKind.SizeLimit"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int MaxStringBytes
    {
        get => _maxStringBytes == 0 ? DefaultMaxStringBytes : _maxStringBytes;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxStringBytes = value;
        }
    }

    /// <summary>
    /// The largest accepted element count of one list, set or map. Must be positive.
    /// Exceeding it throws <see cref="ThriftProtocolErrorKind.SizeLimit"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int MaxContainerCount
    {
        get => _maxContainerCount == 0 ? DefaultMaxContainerCount : _maxContainerCount;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxContainerCount = value;
        }
    }

    /// <summary>Compares the effective limits, so <c>default</c> equals options explicitly set to the defaults.</summary>
    /// <param name="other">The options to compare with.</param>
    /// <returns><see langword="true"/> if all effective limits are equal.</returns>
    public bool Equals(ThriftReaderOptions other) =>
        MaxDepth == other.MaxDepth && MaxStringBytes == other.MaxStringBytes && MaxContainerCount == other.MaxContainerCount;

    /// <summary>Hashes the effective limits, consistently with <see cref="Equals(ThriftReaderOptions)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(MaxDepth, MaxStringBytes, MaxContainerCount);
}
