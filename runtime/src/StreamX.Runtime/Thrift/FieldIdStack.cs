using System.Runtime.CompilerServices;

namespace StreamX.Thrift;

/// <summary>
/// The Compact protocol's stack of "last field id" values, one per enclosing struct, stored inline in the
/// reader/writer so nesting costs no heap allocation.
/// </summary>
[InlineArray(ThriftReaderOptions.MaxSupportedDepth)]
internal struct FieldIdStack
{
    private short _element0;
}
