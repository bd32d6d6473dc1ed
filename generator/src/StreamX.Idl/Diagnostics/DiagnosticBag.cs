using System.Collections.Immutable;

namespace StreamX.Idl.Diagnostics;

/// <summary>
/// Collects diagnostics, caps errors per file (so a 16 MiB garbage file yields a readable report,
/// not millions of lines) and returns them sorted and de-duplicated.
/// </summary>
internal sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = new();
    private readonly Dictionary<string, int> _errorsPerFile = new(StringComparer.Ordinal);
    private readonly int _maxErrorsPerFile;

    public DiagnosticBag(int maxErrorsPerFile) => _maxErrorsPerFile = Math.Max(1, maxErrorsPerFile);

    public bool HasErrors { get; private set; }

    /// <summary>How many diagnostics were added so far (a mark for <see cref="Since"/>).</summary>
    public int Count => _items.Count;

    /// <summary>The diagnostics added after a mark.</summary>
    public IReadOnlyList<Diagnostic> Since(int mark) => _items.Skip(mark).ToList();

    public void Add(DiagnosticDescriptor descriptor, SourceSpan span, params object?[] args) => Add(Diagnostic.Create(descriptor, span, args));

    public void Add(Diagnostic diagnostic)
    {
        if (diagnostic.IsError)
        {
            HasErrors = true;
            var key = diagnostic.Span.Path ?? string.Empty;
            _errorsPerFile.TryGetValue(key, out var count);
            _errorsPerFile[key] = count + 1;
            if (count == _maxErrorsPerFile)
            {
                _items.Add(Diagnostic.Create(DiagnosticDescriptors.TooManyErrors, diagnostic.Span, _maxErrorsPerFile));
                return;
            }

            if (count > _maxErrorsPerFile)
            {
                return;
            }
        }

        _items.Add(diagnostic);
    }

    /// <summary>True when the file has reached its error cap (callers may stop early).</summary>
    public bool IsSaturated(string path) => _errorsPerFile.TryGetValue(path, out var c) && c > _maxErrorsPerFile;

    public ImmutableArray<Diagnostic> ToSortedArray() => _items
        .Distinct()
        .OrderBy(d => d.Span.Path, StringComparer.Ordinal)
        .ThenBy(d => d.Span.StartLine)
        .ThenBy(d => d.Span.StartColumn)
        .ThenBy(d => d.Id, StringComparer.Ordinal)
        .ToImmutableArray();
}
