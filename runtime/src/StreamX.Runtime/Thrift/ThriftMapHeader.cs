namespace StreamX.Thrift;

/// <summary>The header of a map.</summary>
/// <param name="KeyType">The wire type of every key; <see cref="ThriftType.Stop"/> for an empty Compact map, which carries no types.</param>
/// <param name="ValueType">The wire type of every value; <see cref="ThriftType.Stop"/> for an empty Compact map.</param>
/// <param name="Count">
/// The number of entries. Readers guarantee it is non-negative, within
/// <see cref="ThriftReaderOptions.MaxContainerCount"/>, and small enough that the remaining input can hold that many
/// entries, so it is safe to use as a collection capacity.
/// </param>
public readonly record struct ThriftMapHeader(ThriftType KeyType, ThriftType ValueType, int Count);
