namespace StreamX.Thrift;

/// <summary>
/// A type that knows its own Thrift encoding. Generated structs, unions, exceptions and argument/result wrappers
/// implement it; <see cref="ThriftSerializer"/> works on it.
/// </summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
public interface IThriftStruct<TSelf>
    where TSelf : IThriftStruct<TSelf>
{
    /// <summary>
    /// Writes this value as a struct: <c>WriteStructBegin</c>, its fields, <c>WriteFieldStop</c>, <c>WriteStructEnd</c>.
    /// Does not flush.
    /// </summary>
    /// <typeparam name="TWriter">The protocol writer.</typeparam>
    /// <param name="writer">The writer, by reference because writers are mutable <see langword="ref struct"/>s.</param>
    void Write<TWriter>(ref TWriter writer)
        where TWriter : IThriftWriter, allows ref struct;

    /// <summary>
    /// Reads one struct: <c>ReadStructBegin</c>, fields until Stop (skipping unknown ids and fields whose wire type
    /// does not match), <c>ReadStructEnd</c>.
    /// </summary>
    /// <typeparam name="TReader">The protocol reader.</typeparam>
    /// <param name="reader">The reader, by reference because readers are mutable <see langword="ref struct"/>s.</param>
    /// <returns>The value read.</returns>
    static abstract TSelf Read<TReader>(ref TReader reader)
        where TReader : IThriftReader, allows ref struct;
}
