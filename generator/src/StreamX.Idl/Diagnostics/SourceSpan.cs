namespace StreamX.Idl.Diagnostics;

/// <summary>
/// A range of source text: 1-based line and column of the first character and of the character
/// just past the end (columns count UTF-16 code units, tabs count as one).
/// </summary>
public readonly record struct SourceSpan(string Path, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    /// <summary>A span for diagnostics that concern a whole file or no file at all.</summary>
    public static SourceSpan FileStart(string path) => new(path, 1, 1, 1, 1);

    /// <summary>True when the span has a file path.</summary>
    public bool HasPath => !string.IsNullOrEmpty(Path);

    /// <inheritdoc />
    public override string ToString() => $"{Path}({StartLine},{StartColumn})";
}
