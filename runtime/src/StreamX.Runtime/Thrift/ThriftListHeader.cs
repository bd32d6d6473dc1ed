namespace StreamX.Thrift;

/// <summary>The header of a list or a set.</summary>
/// <param name="ElementType">The wire type of every element.</param>
/// <param name="Count">
/// The number of elements. Readers guarantee it is non-negative, within
/// <see cref="ThriftReaderOptions.MaxContainerCount"/>, and small enough that the remaining input can hold that many
/// elements, so it is safe to use as a collection capacity.
/// </param>
public readonly record struct ThriftListHeader(ThriftType ElementType, int Count);
