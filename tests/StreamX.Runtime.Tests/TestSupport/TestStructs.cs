using StreamX.Thrift;

namespace StreamX.Runtime.Tests.TestSupport;

// Hand-written the way the generator is expected to write them: optional fields written only when set, unknown
// or mistyped fields skipped, container counts used as capacities, map entries set by indexer (duplicate keys in
// hostile input must not throw), plain for/foreach over concrete collection types (no boxing enumerators).

/// <summary><c>struct Inner { 1: i32 id; 2: string name }</c>.</summary>
public sealed class Inner : IThriftStruct<Inner>, IEquatable<Inner>
{
    public int Id { get; set; }

    public string? Name { get; set; }

    public void Write<TWriter>(ref TWriter writer)
        where TWriter : IThriftWriter, allows ref struct
    {
        writer.WriteStructBegin();
        writer.WriteFieldBegin(ThriftType.I32, 1);
        writer.WriteI32(Id);
        writer.WriteFieldEnd();
        if (Name is not null)
        {
            writer.WriteFieldBegin(ThriftType.String, 2);
            writer.WriteString(Name);
            writer.WriteFieldEnd();
        }

        writer.WriteFieldStop();
        writer.WriteStructEnd();
    }

    public static Inner Read<TReader>(ref TReader reader)
        where TReader : IThriftReader, allows ref struct
    {
        var result = new Inner();
        reader.ReadStructBegin();
        while (true)
        {
            var field = reader.ReadFieldBegin();
            if (field.Type == ThriftType.Stop)
            {
                break;
            }

            switch (field.Id)
            {
                case 1 when field.Type == ThriftType.I32:
                    result.Id = reader.ReadI32();
                    break;
                case 2 when field.Type == ThriftType.String:
                    result.Name = reader.ReadString();
                    break;
                default:
                    reader.Skip(field.Type);
                    break;
            }

            reader.ReadFieldEnd();
        }

        reader.ReadStructEnd();
        return result;
    }

    public bool Equals(Inner? other) => other is not null && Id == other.Id && Name == other.Name;

    public override bool Equals(object? obj) => Equals(obj as Inner);

    public override int GetHashCode() => HashCode.Combine(Id, Name);
}

/// <summary>Every wire type, field ids with small deltas, a big delta (40), a negative id (-3) and bool fields.</summary>
public sealed class AllTypes : IThriftStruct<AllTypes>, IEquatable<AllTypes>
{
    public bool? Flag { get; set; }                                  // 1

    public sbyte? B { get; set; }                                    // 2

    public short? S { get; set; }                                    // 3

    public int? I { get; set; }                                      // 4

    public long? L { get; set; }                                     // 5

    public double? D { get; set; }                                   // 6

    public string? Str { get; set; }                                 // 7

    public byte[]? Bin { get; set; }                                 // 8

    public Guid? Uuid { get; set; }                                  // 9

    public List<int>? Ints { get; set; }                             // 10

    public HashSet<string>? Names { get; set; }                      // 11

    public Dictionary<string, long>? Dict { get; set; }              // 12

    public Inner? Inner { get; set; }                                // 13

    public List<Inner>? Inners { get; set; }                         // 14

    public Dictionary<int, List<string>>? Nested { get; set; }       // 15

    public List<bool>? Bools { get; set; }                           // 16

    public bool? LateFlag { get; set; }                              // 40

    public int? Negative { get; set; }                               // -3

    public static AllTypes Full() => new()
    {
        Flag = true,
        B = -7,
        S = short.MinValue,
        I = 123456,
        L = long.MaxValue,
        D = -2.5,
        Str = "héllo, wörld €😀",
        Bin = [0, 1, 2, 0xFE, 0xFF],
        Uuid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"),
        Ints = [.. Enumerable.Range(-10, 20)],
        Names = ["a", "bb", "ccc"],
        Dict = new() { ["x"] = 1, ["y"] = -1, ["z"] = long.MinValue },
        Inner = new Inner { Id = 42, Name = "inner" },
        Inners = [new Inner { Id = 1 }, new Inner { Id = 2, Name = "two" }],
        Nested = new() { [1] = ["p", "q"], [2] = [], [-3] = ["r"] },
        Bools = [true, false, true],
        LateFlag = false,
        Negative = -99,
    };

    public void Write<TWriter>(ref TWriter writer)
        where TWriter : IThriftWriter, allows ref struct
    {
        writer.WriteStructBegin();
        if (Flag is { } flag)
        {
            writer.WriteFieldBegin(ThriftType.Bool, 1);
            writer.WriteBool(flag);
            writer.WriteFieldEnd();
        }

        if (B is { } b)
        {
            writer.WriteFieldBegin(ThriftType.Byte, 2);
            writer.WriteByte(b);
            writer.WriteFieldEnd();
        }

        if (S is { } s)
        {
            writer.WriteFieldBegin(ThriftType.I16, 3);
            writer.WriteI16(s);
            writer.WriteFieldEnd();
        }

        if (I is { } i)
        {
            writer.WriteFieldBegin(ThriftType.I32, 4);
            writer.WriteI32(i);
            writer.WriteFieldEnd();
        }

        if (L is { } l)
        {
            writer.WriteFieldBegin(ThriftType.I64, 5);
            writer.WriteI64(l);
            writer.WriteFieldEnd();
        }

        if (D is { } d)
        {
            writer.WriteFieldBegin(ThriftType.Double, 6);
            writer.WriteDouble(d);
            writer.WriteFieldEnd();
        }

        if (Str is not null)
        {
            writer.WriteFieldBegin(ThriftType.String, 7);
            writer.WriteString(Str);
            writer.WriteFieldEnd();
        }

        if (Bin is not null)
        {
            writer.WriteFieldBegin(ThriftType.String, 8);
            writer.WriteBinary(Bin);
            writer.WriteFieldEnd();
        }

        if (Uuid is { } uuid)
        {
            writer.WriteFieldBegin(ThriftType.Uuid, 9);
            writer.WriteUuid(uuid);
            writer.WriteFieldEnd();
        }

        if (Ints is not null)
        {
            writer.WriteFieldBegin(ThriftType.List, 10);
            writer.WriteListBegin(ThriftType.I32, Ints.Count);
            foreach (var item in Ints)
            {
                writer.WriteI32(item);
            }

            writer.WriteListEnd();
            writer.WriteFieldEnd();
        }

        if (Names is not null)
        {
            writer.WriteFieldBegin(ThriftType.Set, 11);
            writer.WriteSetBegin(ThriftType.String, Names.Count);
            foreach (var item in Names)
            {
                writer.WriteString(item);
            }

            writer.WriteSetEnd();
            writer.WriteFieldEnd();
        }

        if (Dict is not null)
        {
            writer.WriteFieldBegin(ThriftType.Map, 12);
            writer.WriteMapBegin(ThriftType.String, ThriftType.I64, Dict.Count);
            foreach (var (key, value) in Dict)
            {
                writer.WriteString(key);
                writer.WriteI64(value);
            }

            writer.WriteMapEnd();
            writer.WriteFieldEnd();
        }

        if (Inner is not null)
        {
            writer.WriteFieldBegin(ThriftType.Struct, 13);
            Inner.Write(ref writer);
            writer.WriteFieldEnd();
        }

        if (Inners is not null)
        {
            writer.WriteFieldBegin(ThriftType.List, 14);
            writer.WriteListBegin(ThriftType.Struct, Inners.Count);
            foreach (var item in Inners)
            {
                item.Write(ref writer);
            }

            writer.WriteListEnd();
            writer.WriteFieldEnd();
        }

        if (Nested is not null)
        {
            writer.WriteFieldBegin(ThriftType.Map, 15);
            writer.WriteMapBegin(ThriftType.I32, ThriftType.List, Nested.Count);
            foreach (var (key, value) in Nested)
            {
                writer.WriteI32(key);
                writer.WriteListBegin(ThriftType.String, value.Count);
                foreach (var item in value)
                {
                    writer.WriteString(item);
                }

                writer.WriteListEnd();
            }

            writer.WriteMapEnd();
            writer.WriteFieldEnd();
        }

        if (Bools is not null)
        {
            writer.WriteFieldBegin(ThriftType.List, 16);
            writer.WriteListBegin(ThriftType.Bool, Bools.Count);
            foreach (var item in Bools)
            {
                writer.WriteBool(item);
            }

            writer.WriteListEnd();
            writer.WriteFieldEnd();
        }

        if (LateFlag is { } lateFlag)
        {
            writer.WriteFieldBegin(ThriftType.Bool, 40);
            writer.WriteBool(lateFlag);
            writer.WriteFieldEnd();
        }

        if (Negative is { } negative)
        {
            writer.WriteFieldBegin(ThriftType.I32, -3);
            writer.WriteI32(negative);
            writer.WriteFieldEnd();
        }

        writer.WriteFieldStop();
        writer.WriteStructEnd();
    }

    public static AllTypes Read<TReader>(ref TReader reader)
        where TReader : IThriftReader, allows ref struct
    {
        var result = new AllTypes();
        reader.ReadStructBegin();
        while (true)
        {
            var field = reader.ReadFieldBegin();
            if (field.Type == ThriftType.Stop)
            {
                break;
            }

            switch (field.Id)
            {
                case 1 when field.Type == ThriftType.Bool:
                    result.Flag = reader.ReadBool();
                    break;
                case 2 when field.Type == ThriftType.Byte:
                    result.B = reader.ReadByte();
                    break;
                case 3 when field.Type == ThriftType.I16:
                    result.S = reader.ReadI16();
                    break;
                case 4 when field.Type == ThriftType.I32:
                    result.I = reader.ReadI32();
                    break;
                case 5 when field.Type == ThriftType.I64:
                    result.L = reader.ReadI64();
                    break;
                case 6 when field.Type == ThriftType.Double:
                    result.D = reader.ReadDouble();
                    break;
                case 7 when field.Type == ThriftType.String:
                    result.Str = reader.ReadString();
                    break;
                case 8 when field.Type == ThriftType.String:
                    result.Bin = reader.ReadBinary();
                    break;
                case 9 when field.Type == ThriftType.Uuid:
                    result.Uuid = reader.ReadUuid();
                    break;
                case 10 when field.Type == ThriftType.List:
                {
                    var header = reader.ReadListBegin();
                    var list = new List<int>(header.Count);
                    for (var n = 0; n < header.Count; n++)
                    {
                        list.Add(reader.ReadI32());
                    }

                    reader.ReadListEnd();
                    result.Ints = list;
                    break;
                }

                case 11 when field.Type == ThriftType.Set:
                {
                    var header = reader.ReadSetBegin();
                    var set = new HashSet<string>(header.Count);
                    for (var n = 0; n < header.Count; n++)
                    {
                        set.Add(reader.ReadString());
                    }

                    reader.ReadSetEnd();
                    result.Names = set;
                    break;
                }

                case 12 when field.Type == ThriftType.Map:
                {
                    var header = reader.ReadMapBegin();
                    var map = new Dictionary<string, long>(header.Count);
                    for (var n = 0; n < header.Count; n++)
                    {
                        var key = reader.ReadString();
                        map[key] = reader.ReadI64();
                    }

                    reader.ReadMapEnd();
                    result.Dict = map;
                    break;
                }

                case 13 when field.Type == ThriftType.Struct:
                    result.Inner = TestSupport.Inner.Read(ref reader);
                    break;
                case 14 when field.Type == ThriftType.List:
                {
                    var header = reader.ReadListBegin();
                    var list = new List<Inner>(header.Count);
                    for (var n = 0; n < header.Count; n++)
                    {
                        list.Add(TestSupport.Inner.Read(ref reader));
                    }

                    reader.ReadListEnd();
                    result.Inners = list;
                    break;
                }

                case 15 when field.Type == ThriftType.Map:
                {
                    var header = reader.ReadMapBegin();
                    var map = new Dictionary<int, List<string>>(header.Count);
                    for (var n = 0; n < header.Count; n++)
                    {
                        var key = reader.ReadI32();
                        var inner = reader.ReadListBegin();
                        var list = new List<string>(inner.Count);
                        for (var m = 0; m < inner.Count; m++)
                        {
                            list.Add(reader.ReadString());
                        }

                        reader.ReadListEnd();
                        map[key] = list;
                    }

                    reader.ReadMapEnd();
                    result.Nested = map;
                    break;
                }

                case 16 when field.Type == ThriftType.List:
                {
                    var header = reader.ReadListBegin();
                    var list = new List<bool>(header.Count);
                    for (var n = 0; n < header.Count; n++)
                    {
                        list.Add(reader.ReadBool());
                    }

                    reader.ReadListEnd();
                    result.Bools = list;
                    break;
                }

                case 40 when field.Type == ThriftType.Bool:
                    result.LateFlag = reader.ReadBool();
                    break;
                case -3 when field.Type == ThriftType.I32:
                    result.Negative = reader.ReadI32();
                    break;
                default:
                    reader.Skip(field.Type);
                    break;
            }

            reader.ReadFieldEnd();
        }

        reader.ReadStructEnd();
        return result;
    }

    public bool Equals(AllTypes? other) =>
        other is not null
        && Flag == other.Flag && B == other.B && S == other.S && I == other.I && L == other.L
        && Nullable.Equals(D, other.D) && Str == other.Str && SeqEq(Bin, other.Bin) && Uuid == other.Uuid
        && SeqEq(Ints, other.Ints)
        && (Names is null ? other.Names is null : other.Names is not null && Names.SetEquals(other.Names))
        && DictEq(Dict, other.Dict, EqualityComparer<long>.Default)
        && Equals(Inner, other.Inner) && SeqEq(Inners, other.Inners)
        && DictEq(Nested, other.Nested, ListComparer<string>.Instance)
        && SeqEq(Bools, other.Bools) && LateFlag == other.LateFlag && Negative == other.Negative;

    public override bool Equals(object? obj) => Equals(obj as AllTypes);

    public override int GetHashCode() => HashCode.Combine(I, L, Str);

    internal static bool SeqEq<T>(IEnumerable<T>? a, IEnumerable<T>? b) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b);

    internal static bool DictEq<TKey, TValue>(Dictionary<TKey, TValue>? a, Dictionary<TKey, TValue>? b, IEqualityComparer<TValue> values)
        where TKey : notnull =>
        a is null
            ? b is null
            : b is not null && a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && values.Equals(kv.Value, v));

    internal sealed class ListComparer<T> : IEqualityComparer<List<T>>
    {
        public static readonly ListComparer<T> Instance = new();

        public bool Equals(List<T>? x, List<T>? y) => SeqEq(x, y);

        public int GetHashCode(List<T> obj) => obj.Count;
    }
}
