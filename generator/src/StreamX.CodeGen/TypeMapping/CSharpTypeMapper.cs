using System.Globalization;
using System.Text;
using StreamX.CodeGen.Naming;
using StreamX.Idl.Model;

namespace StreamX.CodeGen.TypeMapping;

/// <summary>
/// Thrift types → C# type strings, wire type names, and the statements that write and read a value.
/// Everything is <c>global::</c>-qualified so generated code compiles whatever the user's usings
/// and type names are.
/// </summary>
internal sealed class CSharpTypeMapper
{
    internal const string Thrift = "global::StreamX.Thrift";
    private const string Collections = "global::System.Collections.Generic";
    private readonly Func<NamedDefinition, string> _typeName;

    /// <param name="typeName">The fully qualified C# name of a struct or enum (with <c>global::</c>).</param>
    public CSharpTypeMapper(Func<NamedDefinition, string> typeName) => _typeName = typeName;

    /// <summary>The C# type of a value (non-nullable spelling).</summary>
    public string CsType(TypeRef type) => type.Resolve() switch
    {
        BaseTypeRef b => b.Type switch
        {
            BaseType.Bool => "bool",
            BaseType.I8 => "sbyte",
            BaseType.I16 => "short",
            BaseType.I32 => "int",
            BaseType.I64 => "long",
            BaseType.Double => "double",
            BaseType.String => "string",
            BaseType.Binary => "byte[]",
            BaseType.Uuid => "global::System.Guid",
            _ => throw new InvalidOperationException(b.Type.ToString()),
        },
        ListTypeRef l => $"{Collections}.List<{CsType(l.Element)}>",
        SetTypeRef s => $"{Collections}.HashSet<{CsType(s.Element)}>",
        MapTypeRef m => $"{Collections}.Dictionary<{CsType(m.Key)}, {CsType(m.Value)}>",
        NamedTypeRef n => _typeName(n.Definition),
        var other => throw new InvalidOperationException(other.ToString()),
    };

    /// <summary>True for C# value types (bool, numbers, Guid, enums).</summary>
    public static bool IsValueType(TypeRef type) => type.Resolve() switch
    {
        BaseTypeRef b => b.Type is not (BaseType.String or BaseType.Binary),
        NamedTypeRef { Definition: EnumModel } => true,
        _ => false,
    };

    /// <summary>The <c>ThriftType</c> member for a type's wire representation.</summary>
    public static string WireType(TypeRef type) => $"{Thrift}.ThriftType." + type.Resolve() switch
    {
        BaseTypeRef b => b.Type switch
        {
            BaseType.Bool => "Bool",
            BaseType.I8 => "Byte",
            BaseType.I16 => "I16",
            BaseType.I32 => "I32",
            BaseType.I64 => "I64",
            BaseType.Double => "Double",
            BaseType.String or BaseType.Binary => "String",
            BaseType.Uuid => "Uuid",
            _ => throw new InvalidOperationException(b.Type.ToString()),
        },
        ListTypeRef => "List",
        SetTypeRef => "Set",
        MapTypeRef => "Map",
        NamedTypeRef { Definition: EnumModel } => "I32",
        NamedTypeRef => "Struct",
        var other => throw new InvalidOperationException(other.ToString()),
    };

    /// <summary>Statements that write <paramref name="value"/> (an expression of the non-nullable type).</summary>
    public void Write(TypeRef type, string value, string indent, StringBuilder output, ref int counter)
    {
        switch (type.Resolve())
        {
            case BaseTypeRef b:
                var call = b.Type switch
                {
                    BaseType.Bool => "WriteBool",
                    BaseType.I8 => "WriteByte",
                    BaseType.I16 => "WriteI16",
                    BaseType.I32 => "WriteI32",
                    BaseType.I64 => "WriteI64",
                    BaseType.Double => "WriteDouble",
                    BaseType.String => "WriteString",
                    BaseType.Binary => "WriteBinary",
                    _ => "WriteUuid",
                };
                output.Append(indent).Append("writer.").Append(call).Append('(').Append(value).AppendLine(");");
                break;
            case NamedTypeRef { Definition: EnumModel }:
                output.Append(indent).Append("writer.WriteI32((int)").Append(value).AppendLine(");");
                break;
            case NamedTypeRef:
                output.Append(indent).Append(value).AppendLine(".Write(ref writer);");
                break;
            case ListTypeRef or SetTypeRef:
                var element = type.Resolve() is ListTypeRef l ? l.Element : ((SetTypeRef)type.Resolve()).Element;
                var kind = type.Resolve() is ListTypeRef ? "List" : "Set";
                var item = $"item{counter++}";
                output.Append(indent).Append($"writer.Write{kind}Begin({WireType(element)}, {value}.Count);").AppendLine();
                output.Append(indent).Append($"foreach (var {item} in {value})").AppendLine();
                output.Append(indent).AppendLine("{");
                Write(element, item, indent + "    ", output, ref counter);
                output.Append(indent).AppendLine("}");
                output.Append(indent).Append($"writer.Write{kind}End();").AppendLine();
                break;
            case MapTypeRef m:
                var entry = $"entry{counter++}";
                output.Append(indent).Append($"writer.WriteMapBegin({WireType(m.Key)}, {WireType(m.Value)}, {value}.Count);").AppendLine();
                output.Append(indent).Append($"foreach (var {entry} in {value})").AppendLine();
                output.Append(indent).AppendLine("{");
                Write(m.Key, entry + ".Key", indent + "    ", output, ref counter);
                Write(m.Value, entry + ".Value", indent + "    ", output, ref counter);
                output.Append(indent).AppendLine("}");
                output.Append(indent).AppendLine("writer.WriteMapEnd();");
                break;
        }
    }

    /// <summary>Statements that read one value into a new local named <paramref name="target"/>.</summary>
    public void Read(TypeRef type, string target, string indent, StringBuilder output, ref int counter)
    {
        switch (type.Resolve())
        {
            case BaseTypeRef b:
                var call = b.Type switch
                {
                    BaseType.Bool => "ReadBool",
                    BaseType.I8 => "ReadByte",
                    BaseType.I16 => "ReadI16",
                    BaseType.I32 => "ReadI32",
                    BaseType.I64 => "ReadI64",
                    BaseType.Double => "ReadDouble",
                    BaseType.String => "ReadString",
                    BaseType.Binary => "ReadBinary",
                    _ => "ReadUuid",
                };
                output.Append(indent).Append($"var {target} = reader.{call}();").AppendLine();
                break;
            case NamedTypeRef { Definition: EnumModel e }:
                // Any i32 is kept, declared or not: unknown values from newer peers survive a round trip.
                output.Append(indent).Append($"var {target} = ({_typeName(e)})reader.ReadI32();").AppendLine();
                break;
            case NamedTypeRef n:
                output.Append(indent).Append($"var {target} = {_typeName(n.Definition)}.Read(ref reader);").AppendLine();
                break;
            case ListTypeRef or SetTypeRef:
                var resolved = type.Resolve();
                var element = resolved is ListTypeRef l ? l.Element : ((SetTypeRef)resolved).Element;
                var kind = resolved is ListTypeRef ? "List" : "Set";
                var header = $"header{counter}";
                var index = $"i{counter}";
                var item = $"item{counter++}";
                output.Append(indent).Append($"var {header} = reader.Read{kind}Begin();").AppendLine();
                output.Append(indent).Append($"var {target} = new {CsType(type)}({header}.Count);").AppendLine();
                output.Append(indent).Append($"for (var {index} = 0; {index} < {header}.Count; {index}++)").AppendLine();
                output.Append(indent).AppendLine("{");
                Read(element, item, indent + "    ", output, ref counter);
                output.Append(indent).Append($"    {target}.Add({item});").AppendLine();
                output.Append(indent).AppendLine("}");
                output.Append(indent).Append($"reader.Read{kind}End();").AppendLine();
                break;
            case MapTypeRef m:
                var mapHeader = $"header{counter}";
                var mapIndex = $"i{counter}";
                var key = $"key{counter}";
                var val = $"value{counter++}";
                output.Append(indent).Append($"var {mapHeader} = reader.ReadMapBegin();").AppendLine();
                output.Append(indent).Append($"var {target} = new {CsType(type)}({mapHeader}.Count);").AppendLine();
                output.Append(indent).Append($"for (var {mapIndex} = 0; {mapIndex} < {mapHeader}.Count; {mapIndex}++)").AppendLine();
                output.Append(indent).AppendLine("{");
                Read(m.Key, key, indent + "    ", output, ref counter);
                Read(m.Value, val, indent + "    ", output, ref counter);
                output.Append(indent).Append($"    {target}[{key}] = {val};").AppendLine();
                output.Append(indent).AppendLine("}");
                output.Append(indent).AppendLine("reader.ReadMapEnd();");
                break;
        }
    }

    /// <summary>True when a constant of this type can be a C# <c>const</c>.</summary>
    public static bool IsCSharpConst(TypeRef type) => type.Resolve() switch
    {
        BaseTypeRef b => b.Type is not (BaseType.Binary or BaseType.Uuid),
        NamedTypeRef { Definition: EnumModel } => true,
        _ => false,
    };

    /// <summary>A C# expression for a checked constant value of the given type.</summary>
    public string Expression(ConstValue value, TypeRef type)
    {
        var t = type.Resolve();
        switch (value)
        {
            case BoolConstValue b:
                return b.Value ? "true" : "false";
            case IntConstValue i:
                return t is BaseTypeRef { Type: BaseType.I64 } ? Long(i.Value) : i.Value.ToString(CultureInfo.InvariantCulture);
            case DoubleConstValue d:
                var text = d.Value.ToString("R", CultureInfo.InvariantCulture);
                return text + "d";
            case StringConstValue s when t is BaseTypeRef { Type: BaseType.Binary }:
                var bytes = Encoding.UTF8.GetBytes(s.Value);
                return bytes.Length == 0
                    ? "global::System.Array.Empty<byte>()"
                    : "new byte[] { " + string.Join(", ", bytes.Select(x => "0x" + x.ToString("x2", CultureInfo.InvariantCulture))) + " }";
            case StringConstValue s:
                return CSharpNames.StringLiteral(s.Value);
            case UuidConstValue u:
                return $"new global::System.Guid(\"{u.Value.ToString("D", CultureInfo.InvariantCulture)}\")";
            case EnumConstValue e when e.Named is not null:
                return $"{_typeName(e.Enum)}.{CSharpNames.Escape(e.Named.Name)}";
            case EnumConstValue e:
                return e.Value < 0 ? $"({_typeName(e.Enum)})({e.Value})" : $"({_typeName(e.Enum)}){e.Value}";
            case ListConstValue list:
                var element = t switch
                {
                    ListTypeRef l => l.Element,
                    SetTypeRef s => s.Element,
                    _ => throw new InvalidOperationException(t.ToString()),
                };
                return list.Elements.IsEmpty
                    ? $"new {CsType(t)}()"
                    : $"new {CsType(t)} {{ {string.Join(", ", list.Elements.Select(x => Expression(x, element)))} }}";
            case MapConstValue map:
                var m = (MapTypeRef)t;
                return map.Entries.IsEmpty
                    ? $"new {CsType(t)}()"
                    : $"new {CsType(t)} {{ {string.Join(", ", map.Entries.Select(x => $"[{Expression(x.Key, m.Key)}] = {Expression(x.Value, m.Value)}"))} }}";
            case StructConstValue st:
                var names = MemberNames.ForStruct(st.Struct);
                return st.Fields.IsEmpty
                    ? $"new {_typeName(st.Struct)}()"
                    : $"new {_typeName(st.Struct)} {{ {string.Join(", ", st.Fields.Select(f => $"{names[f.Key]} = {Expression(f.Value, f.Key.Type)}"))} }}";
            default:
                throw new InvalidOperationException(value.ToString());
        }
    }

    private static string Long(long value) => value == long.MinValue
        ? "long.MinValue"
        : value.ToString(CultureInfo.InvariantCulture) + "L";
}
