using System.Collections;

namespace StreamX.Thrift;

/// <summary>
/// Structural equality and hashing for the values generated structs hold: lists and byte arrays
/// element by element in order, sets and maps regardless of order, nested to any depth. Used by
/// generated <c>Equals</c>/<c>GetHashCode</c>; not on a hot path.
/// </summary>
public static class ThriftEquality
{
    /// <summary>Deep equality of two field values.</summary>
    public static bool DeepEquals(object? a, object? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a is null || b is null)
        {
            return false;
        }

        switch (a)
        {
            case byte[] x when b is byte[] y:
                return x.AsSpan().SequenceEqual(y);
            case IDictionary x when b is IDictionary y:
                if (x.Count != y.Count)
                {
                    return false;
                }

                foreach (DictionaryEntry entry in x)
                {
                    if (!TryGetDeep(y, entry.Key, out var other) || !DeepEquals(entry.Value, other))
                    {
                        return false;
                    }
                }

                return true;
            case IEnumerable x when b is IEnumerable y && a is not string && IsSet(a) && IsSet(b):
                var left = x.Cast<object?>().ToList();
                var right = y.Cast<object?>().ToList();
                return left.Count == right.Count && left.All(l => right.Any(r => DeepEquals(l, r)));
            case IList x when b is IList y:
                if (x.Count != y.Count)
                {
                    return false;
                }

                for (var i = 0; i < x.Count; i++)
                {
                    if (!DeepEquals(x[i], y[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return a.Equals(b);
        }
    }

    /// <summary>A hash consistent with <see cref="DeepEquals"/> (order-insensitive for sets and maps).</summary>
    public static int DeepHashCode(object? value)
    {
        switch (value)
        {
            case null:
                return 0;
            case byte[] bytes:
                var h = new HashCode();
                h.AddBytes(bytes);
                return h.ToHashCode();
            case IDictionary map:
                var mapHash = map.Count;
                foreach (DictionaryEntry entry in map)
                {
                    mapHash ^= HashCode.Combine(DeepHashCode(entry.Key), DeepHashCode(entry.Value));
                }

                return mapHash;
            case IEnumerable set when value is not string && IsSet(value):
                var setHash = 17;
                foreach (var item in set)
                {
                    setHash ^= DeepHashCode(item);
                }

                return setHash;
            case IList list:
                var listHash = new HashCode();
                foreach (var item in list)
                {
                    listHash.Add(DeepHashCode(item));
                }

                return listHash.ToHashCode();
            default:
                return value.GetHashCode();
        }
    }

    private static bool IsSet(object value) => value.GetType().GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ISet<>));

    private static bool TryGetDeep(IDictionary map, object key, out object? value)
    {
        // Keys that are containers or byte arrays have reference equality in Dictionary: search deeply.
        if (key is not (IEnumerable and not string) && map.Contains(key))
        {
            value = map[key];
            return true;
        }

        foreach (DictionaryEntry entry in map)
        {
            if (DeepEquals(entry.Key, key))
            {
                value = entry.Value;
                return true;
            }
        }

        value = null;
        return false;
    }
}
