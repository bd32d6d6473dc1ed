namespace StreamX.Thrift;

/// <summary>The header of one struct field as read from the wire.</summary>
/// <param name="Type">The field's wire type; <see cref="ThriftType.Stop"/> marks the end of the struct.</param>
/// <param name="Id">The field id; 0 when <paramref name="Type"/> is <see cref="ThriftType.Stop"/>.</param>
public readonly record struct ThriftFieldHeader(ThriftType Type, short Id);
