using StreamX.Runtime.Tests.TestSupport;
using StreamX.Thrift;

namespace StreamX.Runtime.Tests.ApacheInterop;

/// <summary><c>enum Color</c> of interop/interop.thrift.</summary>
public enum Color
{
    Red = 1,
    Green = 2,
    Blue = 3,
}

/// <summary>
/// Hand-written C# twin of <c>struct Everything</c> in interop/interop.thrift. Like Apache Thrift's Python code it
/// writes every field that is set, in id order, and nothing for unset ones.
/// </summary>
public sealed class Everything : IThriftStruct<Everything>, IEquatable<Everything>
{
    public bool? Flag { get; set; }                                 // 1

    public sbyte? B { get; set; }                                   // 2

    public short? S { get; set; }                                   // 3

    public int? I { get; set; }                                     // 4

    public long? L { get; set; }                                    // 5

    public double? D { get; set; }                                  // 6

    public string? Str { get; set; }                                // 7

    public byte[]? Bin { get; set; }                                // 8

    public List<int>? Ints { get; set; }                            // 9

    public HashSet<short>? Shorts { get; set; }                     // 10

    public Dictionary<string, long>? Dict { get; set; }             // 11

    public Inner? Inner { get; set; }                               // 12

    public List<Inner>? Inners { get; set; }                        // 13

    public Dictionary<int, List<string>>? Nested { get; set; }      // 14

    public List<bool>? Bools { get; set; }                          // 15

    public Color? Color { get; set; }                               // 16

    public string? Opt { get; set; }                                // 17

    public bool? LateFlag { get; set; }                             // 20

    public int? Far { get; set; }                                   // 40

    public bool? FalseFlag { get; set; }                            // 41

    public List<double>? Doubles { get; set; }                      // 42

    public Dictionary<string, string>? EmptyMap { get; set; }       // 43

    public List<List<long>>? Lol { get; set; }                      // 44

    public void Write<TWriter>(ref TWriter w)
        where TWriter : IThriftWriter, allows ref struct
    {
        w.WriteStructBegin();
        if (Flag is { } flag)
        {
            w.WriteFieldBegin(ThriftType.Bool, 1);
            w.WriteBool(flag);
            w.WriteFieldEnd();
        }

        if (B is { } b)
        {
            w.WriteFieldBegin(ThriftType.Byte, 2);
            w.WriteByte(b);
            w.WriteFieldEnd();
        }

        if (S is { } s)
        {
            w.WriteFieldBegin(ThriftType.I16, 3);
            w.WriteI16(s);
            w.WriteFieldEnd();
        }

        if (I is { } i)
        {
            w.WriteFieldBegin(ThriftType.I32, 4);
            w.WriteI32(i);
            w.WriteFieldEnd();
        }

        if (L is { } l)
        {
            w.WriteFieldBegin(ThriftType.I64, 5);
            w.WriteI64(l);
            w.WriteFieldEnd();
        }

        if (D is { } d)
        {
            w.WriteFieldBegin(ThriftType.Double, 6);
            w.WriteDouble(d);
            w.WriteFieldEnd();
        }

        if (Str is not null)
        {
            w.WriteFieldBegin(ThriftType.String, 7);
            w.WriteString(Str);
            w.WriteFieldEnd();
        }

        if (Bin is not null)
        {
            w.WriteFieldBegin(ThriftType.String, 8);
            w.WriteBinary(Bin);
            w.WriteFieldEnd();
        }

        if (Ints is not null)
        {
            w.WriteFieldBegin(ThriftType.List, 9);
            w.WriteListBegin(ThriftType.I32, Ints.Count);
            foreach (var item in Ints)
            {
                w.WriteI32(item);
            }

            w.WriteListEnd();
            w.WriteFieldEnd();
        }

        if (Shorts is not null)
        {
            w.WriteFieldBegin(ThriftType.Set, 10);
            w.WriteSetBegin(ThriftType.I16, Shorts.Count);
            foreach (var item in Shorts)
            {
                w.WriteI16(item);
            }

            w.WriteSetEnd();
            w.WriteFieldEnd();
        }

        if (Dict is not null)
        {
            w.WriteFieldBegin(ThriftType.Map, 11);
            w.WriteMapBegin(ThriftType.String, ThriftType.I64, Dict.Count);
            foreach (var (key, value) in Dict)
            {
                w.WriteString(key);
                w.WriteI64(value);
            }

            w.WriteMapEnd();
            w.WriteFieldEnd();
        }

        if (Inner is not null)
        {
            w.WriteFieldBegin(ThriftType.Struct, 12);
            Inner.Write(ref w);
            w.WriteFieldEnd();
        }

        if (Inners is not null)
        {
            w.WriteFieldBegin(ThriftType.List, 13);
            w.WriteListBegin(ThriftType.Struct, Inners.Count);
            foreach (var item in Inners)
            {
                item.Write(ref w);
            }

            w.WriteListEnd();
            w.WriteFieldEnd();
        }

        if (Nested is not null)
        {
            w.WriteFieldBegin(ThriftType.Map, 14);
            w.WriteMapBegin(ThriftType.I32, ThriftType.List, Nested.Count);
            foreach (var (key, value) in Nested)
            {
                w.WriteI32(key);
                w.WriteListBegin(ThriftType.String, value.Count);
                foreach (var item in value)
                {
                    w.WriteString(item);
                }

                w.WriteListEnd();
            }

            w.WriteMapEnd();
            w.WriteFieldEnd();
        }

        if (Bools is not null)
        {
            w.WriteFieldBegin(ThriftType.List, 15);
            w.WriteListBegin(ThriftType.Bool, Bools.Count);
            foreach (var item in Bools)
            {
                w.WriteBool(item);
            }

            w.WriteListEnd();
            w.WriteFieldEnd();
        }

        if (Color is { } color)
        {
            w.WriteFieldBegin(ThriftType.I32, 16);
            w.WriteI32((int)color);
            w.WriteFieldEnd();
        }

        if (Opt is not null)
        {
            w.WriteFieldBegin(ThriftType.String, 17);
            w.WriteString(Opt);
            w.WriteFieldEnd();
        }

        if (LateFlag is { } lateFlag)
        {
            w.WriteFieldBegin(ThriftType.Bool, 20);
            w.WriteBool(lateFlag);
            w.WriteFieldEnd();
        }

        if (Far is { } far)
        {
            w.WriteFieldBegin(ThriftType.I32, 40);
            w.WriteI32(far);
            w.WriteFieldEnd();
        }

        if (FalseFlag is { } falseFlag)
        {
            w.WriteFieldBegin(ThriftType.Bool, 41);
            w.WriteBool(falseFlag);
            w.WriteFieldEnd();
        }

        if (Doubles is not null)
        {
            w.WriteFieldBegin(ThriftType.List, 42);
            w.WriteListBegin(ThriftType.Double, Doubles.Count);
            foreach (var item in Doubles)
            {
                w.WriteDouble(item);
            }

            w.WriteListEnd();
            w.WriteFieldEnd();
        }

        if (EmptyMap is not null)
        {
            w.WriteFieldBegin(ThriftType.Map, 43);
            w.WriteMapBegin(ThriftType.String, ThriftType.String, EmptyMap.Count);
            foreach (var (key, value) in EmptyMap)
            {
                w.WriteString(key);
                w.WriteString(value);
            }

            w.WriteMapEnd();
            w.WriteFieldEnd();
        }

        if (Lol is not null)
        {
            w.WriteFieldBegin(ThriftType.List, 44);
            w.WriteListBegin(ThriftType.List, Lol.Count);
            foreach (var list in Lol)
            {
                w.WriteListBegin(ThriftType.I64, list.Count);
                foreach (var item in list)
                {
                    w.WriteI64(item);
                }

                w.WriteListEnd();
            }

            w.WriteListEnd();
            w.WriteFieldEnd();
        }

        w.WriteFieldStop();
        w.WriteStructEnd();
    }

    public static Everything Read<TReader>(ref TReader r)
        where TReader : IThriftReader, allows ref struct
    {
        var result = new Everything();
        r.ReadStructBegin();
        while (true)
        {
            var field = r.ReadFieldBegin();
            if (field.Type == ThriftType.Stop)
            {
                break;
            }

            switch (field.Id)
            {
                case 1 when field.Type == ThriftType.Bool:
                    result.Flag = r.ReadBool();
                    break;
                case 2 when field.Type == ThriftType.Byte:
                    result.B = r.ReadByte();
                    break;
                case 3 when field.Type == ThriftType.I16:
                    result.S = r.ReadI16();
                    break;
                case 4 when field.Type == ThriftType.I32:
                    result.I = r.ReadI32();
                    break;
                case 5 when field.Type == ThriftType.I64:
                    result.L = r.ReadI64();
                    break;
                case 6 when field.Type == ThriftType.Double:
                    result.D = r.ReadDouble();
                    break;
                case 7 when field.Type == ThriftType.String:
                    result.Str = r.ReadString();
                    break;
                case 8 when field.Type == ThriftType.String:
                    result.Bin = r.ReadBinary();
                    break;
                case 9 when field.Type == ThriftType.List:
                {
                    var h = r.ReadListBegin();
                    var list = new List<int>(h.Count);
                    for (var n = 0; n < h.Count; n++)
                    {
                        list.Add(r.ReadI32());
                    }

                    r.ReadListEnd();
                    result.Ints = list;
                    break;
                }

                case 10 when field.Type == ThriftType.Set:
                {
                    var h = r.ReadSetBegin();
                    var set = new HashSet<short>(h.Count);
                    for (var n = 0; n < h.Count; n++)
                    {
                        set.Add(r.ReadI16());
                    }

                    r.ReadSetEnd();
                    result.Shorts = set;
                    break;
                }

                case 11 when field.Type == ThriftType.Map:
                {
                    var h = r.ReadMapBegin();
                    var map = new Dictionary<string, long>(h.Count);
                    for (var n = 0; n < h.Count; n++)
                    {
                        var key = r.ReadString();
                        map[key] = r.ReadI64();
                    }

                    r.ReadMapEnd();
                    result.Dict = map;
                    break;
                }

                case 12 when field.Type == ThriftType.Struct:
                    result.Inner = TestSupport.Inner.Read(ref r);
                    break;
                case 13 when field.Type == ThriftType.List:
                {
                    var h = r.ReadListBegin();
                    var list = new List<Inner>(h.Count);
                    for (var n = 0; n < h.Count; n++)
                    {
                        list.Add(TestSupport.Inner.Read(ref r));
                    }

                    r.ReadListEnd();
                    result.Inners = list;
                    break;
                }

                case 14 when field.Type == ThriftType.Map:
                {
                    var h = r.ReadMapBegin();
                    var map = new Dictionary<int, List<string>>(h.Count);
                    for (var n = 0; n < h.Count; n++)
                    {
                        var key = r.ReadI32();
                        var lh = r.ReadListBegin();
                        var list = new List<string>(lh.Count);
                        for (var m = 0; m < lh.Count; m++)
                        {
                            list.Add(r.ReadString());
                        }

                        r.ReadListEnd();
                        map[key] = list;
                    }

                    r.ReadMapEnd();
                    result.Nested = map;
                    break;
                }

                case 15 when field.Type == ThriftType.List:
                {
                    var h = r.ReadListBegin();
                    var list = new List<bool>(h.Count);
                    for (var n = 0; n < h.Count; n++)
                    {
                        list.Add(r.ReadBool());
                    }

                    r.ReadListEnd();
                    result.Bools = list;
                    break;
                }

                case 16 when field.Type == ThriftType.I32:
                    result.Color = (Color)r.ReadI32();
                    break;
                case 17 when field.Type == ThriftType.String:
                    result.Opt = r.ReadString();
                    break;
                case 20 when field.Type == ThriftType.Bool:
                    result.LateFlag = r.ReadBool();
                    break;
                case 40 when field.Type == ThriftType.I32:
                    result.Far = r.ReadI32();
                    break;
                case 41 when field.Type == ThriftType.Bool:
                    result.FalseFlag = r.ReadBool();
                    break;
                case 42 when field.Type == ThriftType.List:
                {
                    var h = r.ReadListBegin();
                    var list = new List<double>(h.Count);
                    for (var n = 0; n < h.Count; n++)
                    {
                        list.Add(r.ReadDouble());
                    }

                    r.ReadListEnd();
                    result.Doubles = list;
                    break;
                }

                case 43 when field.Type == ThriftType.Map:
                {
                    var h = r.ReadMapBegin();
                    var map = new Dictionary<string, string>(h.Count);
                    for (var n = 0; n < h.Count; n++)
                    {
                        var key = r.ReadString();
                        map[key] = r.ReadString();
                    }

                    r.ReadMapEnd();
                    result.EmptyMap = map;
                    break;
                }

                case 44 when field.Type == ThriftType.List:
                {
                    var h = r.ReadListBegin();
                    var outer = new List<List<long>>(h.Count);
                    for (var n = 0; n < h.Count; n++)
                    {
                        var ih = r.ReadListBegin();
                        var list = new List<long>(ih.Count);
                        for (var m = 0; m < ih.Count; m++)
                        {
                            list.Add(r.ReadI64());
                        }

                        r.ReadListEnd();
                        outer.Add(list);
                    }

                    r.ReadListEnd();
                    result.Lol = outer;
                    break;
                }

                default:
                    r.Skip(field.Type);
                    break;
            }

            r.ReadFieldEnd();
        }

        r.ReadStructEnd();
        return result;
    }

    public bool Equals(Everything? o) =>
        o is not null
        && Flag == o.Flag && B == o.B && S == o.S && I == o.I && L == o.L
        // Bit equality, so -0.0 and 0.0 differ (the byte comparison would catch it anyway).
        && Nullable.Equals(D is { } d ? BitConverter.DoubleToInt64Bits(d) : null, o.D is { } od ? BitConverter.DoubleToInt64Bits(od) : null)
        && Str == o.Str && AllTypes.SeqEq(Bin, o.Bin) && AllTypes.SeqEq(Ints, o.Ints)
        && (Shorts is null ? o.Shorts is null : o.Shorts is not null && Shorts.SetEquals(o.Shorts))
        && AllTypes.DictEq(Dict, o.Dict, EqualityComparer<long>.Default)
        && Equals(Inner, o.Inner) && AllTypes.SeqEq(Inners, o.Inners)
        && AllTypes.DictEq(Nested, o.Nested, AllTypes.ListComparer<string>.Instance)
        && AllTypes.SeqEq(Bools, o.Bools) && Color == o.Color && Opt == o.Opt && LateFlag == o.LateFlag
        && Far == o.Far && FalseFlag == o.FalseFlag && AllTypes.SeqEq(Doubles, o.Doubles)
        && AllTypes.DictEq(EmptyMap, o.EmptyMap, EqualityComparer<string>.Default)
        && (Lol is null ? o.Lol is null : o.Lol is not null && Lol.SequenceEqual(o.Lol, AllTypes.ListComparer<long>.Instance));

    public override bool Equals(object? obj) => Equals(obj as Everything);

    public override int GetHashCode() => HashCode.Combine(I, L, Str);
}
