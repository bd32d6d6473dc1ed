using System.Collections.Immutable;

namespace StreamX.Idl.Model;

/// <summary>A constant or default value, normalised to the type it was checked against.</summary>
public abstract record ConstValue;

/// <summary>bool</summary>
public sealed record BoolConstValue(bool Value) : ConstValue;

/// <summary>byte, i8, i16, i32, i64</summary>
public sealed record IntConstValue(long Value) : ConstValue;

/// <summary>double</summary>
public sealed record DoubleConstValue(double Value) : ConstValue;

/// <summary>string or binary (binary constants hold the UTF-8 bytes of the literal)</summary>
public sealed record StringConstValue(string Value) : ConstValue;

/// <summary>uuid</summary>
public sealed record UuidConstValue(Guid Value) : ConstValue;

/// <summary>A value of an enum type: the named value when one matches, otherwise just the integer.</summary>
public sealed record EnumConstValue(EnumModel Enum, int Value, EnumValueModel? Named) : ConstValue
{
    /// <summary>Reference equality on the enum.</summary>
    public bool Equals(EnumConstValue? other) => other is not null && ReferenceEquals(Enum, other.Enum) && Value == other.Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value;
}

/// <summary>list or set elements in source order.</summary>
public sealed record ListConstValue(ImmutableArray<ConstValue> Elements) : ConstValue;

/// <summary>map entries in source order.</summary>
public sealed record MapConstValue(ImmutableArray<KeyValuePair<ConstValue, ConstValue>> Entries) : ConstValue;

/// <summary>A struct/union/exception value given as <c>{ "field": value, … }</c>.</summary>
public sealed record StructConstValue(StructModel Struct, ImmutableArray<KeyValuePair<FieldModel, ConstValue>> Fields) : ConstValue;
