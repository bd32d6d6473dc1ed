namespace StreamX.Thrift;

/// <summary>What <see cref="ThriftSkipper"/> needs beyond <see cref="IThriftReader"/>: skipping bytes without decoding them.</summary>
internal interface IThriftSkipSupport : IThriftReader
{
    /// <summary>Skips one string/binary value without allocating.</summary>
    void SkipBinaryValue();
}
