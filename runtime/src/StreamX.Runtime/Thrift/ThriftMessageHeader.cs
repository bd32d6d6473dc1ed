namespace StreamX.Thrift;

/// <summary>The envelope of a Thrift message (TMessage).</summary>
/// <param name="Name">The method name.</param>
/// <param name="Type">The message kind, as found on the wire (not validated).</param>
/// <param name="SequenceId">The sequence id; ttstream puts the stream id here.</param>
public readonly record struct ThriftMessageHeader(string Name, ThriftMessageType Type, int SequenceId);
