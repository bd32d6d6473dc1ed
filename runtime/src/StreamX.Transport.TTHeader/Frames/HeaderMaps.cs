using System.Collections.ObjectModel;

namespace StreamX.Transport.TTHeader;

/// <summary>Shared empty header maps and the defensive copies the public constructors make.</summary>
internal static class HeaderMaps
{
    public static readonly IReadOnlyDictionary<string, string> EmptyStrings = ReadOnlyDictionary<string, string>.Empty;

    public static readonly IReadOnlyDictionary<ushort, string> EmptyInts = ReadOnlyDictionary<ushort, string>.Empty;

    /// <summary>A read-only snapshot of <paramref name="source"/> that keeps its enumeration (wire) order.</summary>
    public static IReadOnlyDictionary<string, string> CopyStrings(IReadOnlyDictionary<string, string>? source, string parameterName)
    {
        if (source is null || source.Count == 0)
        {
            return EmptyStrings;
        }

        var copy = new Dictionary<string, string>(source.Count, StringComparer.Ordinal);
        foreach (var (key, value) in source)
        {
            ArgumentNullException.ThrowIfNull(value, parameterName);
            copy[key] = value;
        }

        return new ReadOnlyDictionary<string, string>(copy);
    }

    /// <summary>A read-only snapshot of <paramref name="source"/>; keys in <paramref name="reserved"/> are rejected.</summary>
    public static IReadOnlyDictionary<ushort, string> CopyInts(IReadOnlyDictionary<ushort, string>? source, string parameterName, ReadOnlySpan<ushort> reserved)
    {
        if (source is null || source.Count == 0)
        {
            return EmptyInts;
        }

        var copy = new Dictionary<ushort, string>(source.Count);
        foreach (var (key, value) in source)
        {
            if (reserved.Contains(key))
            {
                throw new ArgumentException(
                    $"int header {key} is reserved: ttstream carries the method in key {FrameCodec.MethodIntKey} and the frame type in key {FrameCodec.FrameTypeIntKey}; use the Frame's Method and Type",
                    parameterName);
            }

            ArgumentNullException.ThrowIfNull(value, parameterName);
            copy[key] = value;
        }

        return new ReadOnlyDictionary<ushort, string>(copy);
    }

    public static IReadOnlyDictionary<string, string> Wrap(Dictionary<string, string>? map) =>
        map is null || map.Count == 0 ? EmptyStrings : new ReadOnlyDictionary<string, string>(map);

    public static IReadOnlyDictionary<ushort, string> Wrap(Dictionary<ushort, string>? map) =>
        map is null || map.Count == 0 ? EmptyInts : new ReadOnlyDictionary<ushort, string>(map);
}
