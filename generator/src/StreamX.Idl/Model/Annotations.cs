using System.Collections.Immutable;
using StreamX.Idl.Diagnostics;

namespace StreamX.Idl.Model;

/// <summary>One <c>key = "value"</c> annotation as written (value is null when none was given).</summary>
public sealed record AnnotationModel(string Key, string? Value, SourceSpan Span);

/// <summary>The annotations of one element, in source order (duplicates kept, as Kitex needs them).</summary>
public sealed record Annotations(ImmutableArray<AnnotationModel> Items)
{
    /// <summary>No annotations.</summary>
    public static Annotations Empty { get; } = new(ImmutableArray<AnnotationModel>.Empty);

    /// <summary>The last value given for <paramref name="key"/>, or null.</summary>
    public string? Get(string key)
    {
        string? value = null;
        foreach (var a in Items)
        {
            if (a.Key == key)
            {
                value = a.Value ?? string.Empty;
            }
        }

        return value;
    }

    /// <summary>True when the key is present (with or without a value).</summary>
    public bool Contains(string key) => Items.Any(a => a.Key == key);
}
