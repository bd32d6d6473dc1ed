using System.Collections;
using System.Reflection;
using StreamX.CodeGen.Naming;
using StreamX.Idl.Model;

namespace StreamX.CodeGen.Tests.Infrastructure;

/// <summary>
/// Builds random instances of generated types by reflection, guided by the IDL model (which fields
/// exist, which are required, which structs are unions). Deterministic for a given seed.
/// </summary>
internal sealed class RandomValues
{
    private const int MaxDepth = 3;
    private readonly Random _random;
    private readonly Assembly _assembly;
    private readonly CSharpGenerator _generator;

    public RandomValues(int seed, Assembly assembly, CSharpGenerator generator)
    {
        _random = new Random(seed);
        _assembly = assembly;
        _generator = generator;
    }

    public Type TypeOf(NamedDefinition definition) =>
        _assembly.GetType(_generator.FullName(definition)["global::".Length..].Replace("@", string.Empty, StringComparison.Ordinal), throwOnError: true)!;

    /// <summary>A random instance, or null when the type cannot be built finitely (a required self-reference).</summary>
    public object? Struct(StructModel model, int depth = 0)
    {
        var type = TypeOf(model);
        var instance = Activator.CreateInstance(type)!;
        var names = MemberNames.ForStruct(model);
        var fields = model.Kind == StructKind.Union && model.Fields.Length > 0
            ? new[] { model.Fields[_random.Next(model.Fields.Length)] }
            : model.Fields.ToArray();
        foreach (var field in fields)
        {
            var property = type.GetProperty(names[field].TrimStart('@'))!;
            var mustSet = model.Kind == StructKind.Union || field.Requiredness == Requiredness.Required;
            if (!mustSet && (depth >= MaxDepth || _random.Next(4) == 0))
            {
                if (IsNullable(property))
                {
                    property.SetValue(instance, null);
                }

                continue;
            }

            var value = Value(field.Type, depth + 1);
            if (value is null)
            {
                if (mustSet)
                {
                    return null;
                }

                continue;
            }

            property.SetValue(instance, value);
        }

        return instance;
    }

    private static bool IsNullable(PropertyInfo p) =>
        !p.PropertyType.IsValueType || Nullable.GetUnderlyingType(p.PropertyType) is not null;

    private object? Value(TypeRef typeRef, int depth)
    {
        switch (typeRef.Resolve())
        {
            case BaseTypeRef b:
                return b.Type switch
                {
                    BaseType.Bool => _random.Next(2) == 1,
                    BaseType.I8 => (sbyte)_random.Next(sbyte.MinValue, sbyte.MaxValue + 1),
                    BaseType.I16 => (short)_random.Next(short.MinValue, short.MaxValue + 1),
                    BaseType.I32 => _random.Next(5) == 0 ? int.MinValue : _random.Next(int.MinValue, int.MaxValue),
                    BaseType.I64 => _random.Next(5) == 0 ? long.MaxValue : _random.NextInt64(long.MinValue, long.MaxValue),
                    BaseType.Double => _random.Next(5) == 0 ? -0.0 : (_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-300, 300)),
                    BaseType.String => RandomString(),
                    BaseType.Binary => RandomBytes(),
                    _ => Guid.NewGuid() is var _ ? new Guid(RandomBytes(16)) : Guid.Empty,
                };
            case NamedTypeRef { Definition: EnumModel e }:
                var enumType = TypeOf(e);
                // Unknown values must survive a round trip too.
                var raw = e.Values.Length > 0 && _random.Next(3) > 0 ? e.Values[_random.Next(e.Values.Length)].Value : _random.Next(-1000, 1000);
                return Enum.ToObject(enumType, raw);
            case NamedTypeRef { Definition: StructModel s }:
                return depth > MaxDepth + 2 ? null : Struct(s, depth);
            case ListTypeRef or SetTypeRef:
                var resolved = typeRef.Resolve();
                var element = resolved is ListTypeRef l ? l.Element : ((SetTypeRef)resolved).Element;
                var container = Activator.CreateInstance(ContainerType(resolved))!;
                var add = container.GetType().GetMethod("Add")!;
                for (var i = depth > MaxDepth ? 0 : _random.Next(4); i > 0; i--)
                {
                    var item = Value(element, depth + 1);
                    if (item is null)
                    {
                        return null;
                    }

                    // Set elements that are containers or binary compare by reference in .NET; keep
                    // them distinct by value, as a Thrift set must be.
                    if (resolved is SetTypeRef && ((IEnumerable)container).Cast<object?>().Any(x => StreamX.Thrift.ThriftEquality.DeepEquals(x, item)))
                    {
                        continue;
                    }

                    add.Invoke(container, new[] { item });
                }

                return container;
            case MapTypeRef m:
                var map = (IDictionary)Activator.CreateInstance(ContainerType(m))!;
                for (var i = depth > MaxDepth ? 0 : _random.Next(4); i > 0; i--)
                {
                    var key = Value(m.Key, depth + 1);
                    var val = Value(m.Value, depth + 1);
                    if (key is null || val is null)
                    {
                        return null;
                    }

                    if (!map.Keys.Cast<object?>().Any(k => StreamX.Thrift.ThriftEquality.DeepEquals(k, key)))
                    {
                        map.Add(key, val);
                    }
                }

                return map;
            default:
                throw new InvalidOperationException(typeRef.ToString());
        }
    }

    private Type ContainerType(TypeRef resolved) => resolved switch
    {
        ListTypeRef l => typeof(List<>).MakeGenericType(ClrType(l.Element)),
        SetTypeRef s => typeof(HashSet<>).MakeGenericType(ClrType(s.Element)),
        MapTypeRef m => typeof(Dictionary<,>).MakeGenericType(ClrType(m.Key), ClrType(m.Value)),
        _ => throw new InvalidOperationException(resolved.ToString()),
    };

    private Type ClrType(TypeRef t) => t.Resolve() switch
    {
        BaseTypeRef b => b.Type switch
        {
            BaseType.Bool => typeof(bool),
            BaseType.I8 => typeof(sbyte),
            BaseType.I16 => typeof(short),
            BaseType.I32 => typeof(int),
            BaseType.I64 => typeof(long),
            BaseType.Double => typeof(double),
            BaseType.String => typeof(string),
            BaseType.Binary => typeof(byte[]),
            _ => typeof(Guid),
        },
        NamedTypeRef n => TypeOf(n.Definition),
        var other => ContainerType(other),
    };

    private string RandomString()
    {
        const string alphabet = "abcXYZ 019_-\"\\\n\té€😀中";
        var length = _random.Next(0, 12);
        var chars = new List<char>();
        for (var i = 0; i < length; i++)
        {
            var c = alphabet[_random.Next(alphabet.Length)];
            if (char.IsSurrogate(c))
            {
                continue; // keep strings valid UTF-16 (a lone surrogate cannot round-trip through UTF-8)
            }

            chars.Add(c);
        }

        return new string(chars.ToArray());
    }

    private byte[] RandomBytes(int? length = null)
    {
        var bytes = new byte[length ?? _random.Next(0, 10)];
        _random.NextBytes(bytes);
        return bytes;
    }
}
