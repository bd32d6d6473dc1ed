using Google.Protobuf;
using ThriftModel = StreamX.Benchmarks.Model;
using ProtoModel = StreamX.Benchmarks.Protobuf;

namespace StreamX.Benchmarks;

/// <summary>The same representative message as generated Thrift (order.thrift) and as protobuf (Protobuf/Order.cs).</summary>
public static class Payload
{
    private const int Id = 1_234_567;
    private const long CreatedAtMillis = 1_718_000_000_123;
    private const int Quantity = 3;
    private const int Priority = 2;
    private const string Customer = "Ada Lovelace <ada@example.com>";
    private const string Street = "12 Analytical Engine Way";
    private const string City = "London";
    private const int Zip = 12345;

    private static readonly int[] ItemIds = [1, 42, 1000, 65535, 100_000, 7, 123_456_789, 9, 2048, 77, 300, 16_384, 5, 999_999, 31, 4096];

    private static byte[] PayloadBytes() => Enumerable.Range(0, 128).Select(i => (byte)(i * 31)).ToArray();

    public static ThriftModel.Order ThriftOrder() => new()
    {
        Id = Id,
        CreatedAtMillis = CreatedAtMillis,
        Quantity = Quantity,
        Priority = Priority,
        Customer = Customer,
        Payload = PayloadBytes(),
        ItemIds = [.. ItemIds],
        ShipTo = new ThriftModel.Address { Street = Street, City = City, Zip = Zip },
    };

    public static ProtoModel.Order ProtoOrder()
    {
        var order = new ProtoModel.Order
        {
            Id = Id,
            CreatedAtMillis = CreatedAtMillis,
            Quantity = Quantity,
            Priority = Priority,
            Customer = Customer,
            Payload = ByteString.CopyFrom(PayloadBytes()),
            ShipTo = new ProtoModel.Address { Street = Street, City = City, Zip = Zip },
        };
        order.ItemIds.Add(ItemIds);
        return order;
    }
}
