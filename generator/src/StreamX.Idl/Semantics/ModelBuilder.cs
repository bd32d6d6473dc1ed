using System.Collections.Immutable;
using System.Text;
using StreamX.Idl.Diagnostics;
using StreamX.Idl.Model;
using StreamX.Idl.Syntax;
using StreamX.Idl.Syntax.Ast;

namespace StreamX.Idl.Semantics;

/// <summary>
/// The binder: loads every file reached through includes, then declares, resolves and checks in
/// phases so forward references work and every error in every file is reported in one run.
/// </summary>
internal sealed partial class ModelBuilder
{
    private readonly IdlCompileRequest _request;
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, FileState> _files = new(StringComparer.Ordinal);
    private readonly List<FileState> _loadOrder = new();

    public ModelBuilder(IdlCompileRequest request)
    {
        _request = request;
        _diagnostics = new DiagnosticBag(request.MaxErrorsPerFile);
    }

    public IdlCompilation Build()
    {
        var roots = new List<FileState>();
        foreach (var file in _request.Files)
        {
            string path;
            try
            {
                path = _request.Sources.Normalize(file);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
            {
                _diagnostics.Add(DiagnosticDescriptors.FileNotFound, new SourceSpan(file, 0, 0, 0, 0), file, e.Message);
                continue;
            }

            var state = Load(path, null);
            if (state is not null && !roots.Contains(state))
            {
                roots.Add(state);
            }
        }

        ResolveIncludes();
        if (_diagnostics.HasErrors)
        {
            // Syntax or include errors: binding half-parsed input would only add noise.
            return new IdlCompilation(null, _diagnostics.ToSortedArray());
        }

        var ordered = TopologicalOrder();
        foreach (var file in ordered)
        {
            Declare(file);
        }

        foreach (var file in ordered)
        {
            BindTypes(file);
        }

        foreach (var file in ordered)
        {
            BindValues(file);
        }

        foreach (var file in ordered)
        {
            BindServices(file);
        }

        if (_diagnostics.HasErrors)
        {
            return new IdlCompilation(null, _diagnostics.ToSortedArray());
        }

        var model = new IdlModel(roots.Select(r => r.Model).ToImmutableArray(), ordered.Select(f => f.Model).ToImmutableArray());
        return new IdlCompilation(model, _diagnostics.ToSortedArray());
    }

    /// <summary>Reads and parses one file (once), queueing its includes.</summary>
    private FileState? Load(string path, IncludeSyntax? from)
    {
        if (_files.TryGetValue(path, out var existing))
        {
            return existing;
        }

        if (_files.Count >= _request.MaxFiles)
        {
            _diagnostics.Add(DiagnosticDescriptors.TooManyFiles, from?.Span ?? SourceSpan.FileStart(path), _request.MaxFiles);
            return null;
        }

        var text = ReadText(path, from);
        if (text is null)
        {
            return null;
        }

        var syntax = ThriftSyntaxParser.Parse(path, text, _diagnostics, _request.MaxNestingDepth);
        var state = new FileState(path, ProgramNameOf(path), syntax);
        _files.Add(path, state);
        _loadOrder.Add(state);
        return state;
    }

    private string? ReadText(string path, IncludeSyntax? from)
    {
        var span = from?.Span ?? SourceSpan.FileStart(path);
        try
        {
            if (!_request.Sources.Exists(path))
            {
                _diagnostics.Add(DiagnosticDescriptors.FileNotFound, span, path, "no such file");
                return null;
            }

            using var stream = _request.Sources.OpenRead(path);
            if (stream.CanSeek && stream.Length > _request.MaxFileBytes)
            {
                _diagnostics.Add(DiagnosticDescriptors.FileTooLarge, SourceSpan.FileStart(path), stream.Length, _request.MaxFileBytes);
                return null;
            }

            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > _request.MaxFileBytes)
                {
                    var total = stream.CanSeek ? stream.Length : buffer.Length + read;
                    _diagnostics.Add(DiagnosticDescriptors.FileTooLarge, SourceSpan.FileStart(path), total, _request.MaxFileBytes);
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            if (bytes.IndexOf((byte)0) >= 0)
            {
                _diagnostics.Add(DiagnosticDescriptors.BinaryFile, SourceSpan.FileStart(path));
                return null;
            }

            try
            {
                var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
                return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
            }
            catch (DecoderFallbackException)
            {
                _diagnostics.Add(DiagnosticDescriptors.BinaryFile, SourceSpan.FileStart(path));
                return null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _diagnostics.Add(DiagnosticDescriptors.FileNotFound, span, path, e.Message);
            return null;
        }
    }

    private static string ProgramNameOf(string path)
    {
        var name = path.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        return name.EndsWith(".thrift", StringComparison.OrdinalIgnoreCase) ? name[..^".thrift".Length] : name;
    }

    /// <summary>Resolves include literals breadth-first (loading new files as found) and reports cycles.</summary>
    private void ResolveIncludes()
    {
        for (var i = 0; i < _loadOrder.Count; i++)
        {
            var file = _loadOrder[i];
            if (file.Syntax is null)
            {
                continue;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var include in file.Syntax.Includes)
            {
                var target = FindInclude(file, include);
                if (target is null)
                {
                    continue;
                }

                var loaded = Load(target, include);
                if (loaded is null)
                {
                    continue;
                }

                if (!seen.Add(loaded.Path))
                {
                    _diagnostics.Add(DiagnosticDescriptors.DuplicateInclude, include.Span, include.Literal);
                    continue;
                }

                file.Includes.Add((include, loaded));
            }
        }

        ReportIncludeCycles();
    }

    private string? FindInclude(FileState file, IncludeSyntax include)
    {
        var tried = new List<string>();
        var candidates = new List<string>();
        try
        {
            candidates.Add(_request.Sources.Combine(_request.Sources.GetDirectory(file.Path), include.Literal));
            foreach (var dir in _request.IncludePaths)
            {
                candidates.Add(_request.Sources.Combine(_request.Sources.Normalize(dir), include.Literal));
            }
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            _diagnostics.Add(DiagnosticDescriptors.IncludeNotFound, include.Span, include.Literal, e.Message);
            return null;
        }

        foreach (var candidate in candidates)
        {
            tried.Add(_request.Sources.GetDirectory(candidate));
            if (_request.Sources.Exists(candidate))
            {
                return candidate;
            }
        }

        _diagnostics.Add(DiagnosticDescriptors.IncludeNotFound, include.Span, include.Literal, string.Join(", ", tried.Distinct().Select(d => d.Length == 0 ? "." : d)));
        return null;
    }

    private void ReportIncludeCycles()
    {
        var color = new Dictionary<FileState, int>();
        var stack = new List<FileState>();
        foreach (var file in _loadOrder)
        {
            Visit(file);
        }

        // Iterative DFS: include chains can be thousands deep in hostile input.
        void Visit(FileState start)
        {
            if (color.ContainsKey(start))
            {
                return;
            }

            var work = new Stack<(FileState File, int Next)>();
            work.Push((start, 0));
            color[start] = 1;
            stack.Add(start);
            while (work.Count > 0)
            {
                var (file, next) = work.Pop();
                if (next < file.Includes.Count)
                {
                    work.Push((file, next + 1));
                    var (include, target) = file.Includes[next];
                    color.TryGetValue(target, out var c);
                    if (c == 0)
                    {
                        color[target] = 1;
                        stack.Add(target);
                        work.Push((target, 0));
                    }
                    else if (c == 1)
                    {
                        var cycle = stack.Skip(stack.IndexOf(target)).Append(target).Select(f => f.ProgramName + ".thrift");
                        _diagnostics.Add(DiagnosticDescriptors.IncludeCycle, include.Span, string.Join(" -> ", cycle));
                    }
                }
                else
                {
                    color[file] = 2;
                    stack.RemoveAt(stack.Count - 1);
                }
            }
        }
    }

    /// <summary>Included files before includers (the include graph is acyclic by now).</summary>
    private List<FileState> TopologicalOrder()
    {
        var result = new List<FileState>();
        var done = new HashSet<FileState>();
        foreach (var file in _loadOrder)
        {
            var work = new Stack<(FileState File, int Next)>();
            if (!done.Add(file))
            {
                continue;
            }

            work.Push((file, 0));
            while (work.Count > 0)
            {
                var (f, next) = work.Pop();
                if (next < f.Includes.Count)
                {
                    work.Push((f, next + 1));
                    var target = f.Includes[next].Target;
                    if (done.Add(target))
                    {
                        work.Push((target, 0));
                    }
                }
                else
                {
                    result.Add(f);
                }
            }
        }

        foreach (var f in result)
        {
            f.Model.Includes = f.Includes.Select(i => new IncludeModel(i.Syntax.Literal, i.Target.Model, i.Syntax.Span)).ToImmutableArray();
        }

        return result;
    }

    private void Report(DiagnosticDescriptor descriptor, SourceSpan span, params object?[] args) => _diagnostics.Add(descriptor, span, args);

    /// <summary>Per-file binding state.</summary>
    private sealed class FileState
    {
        public FileState(string path, string programName, DocumentSyntax? syntax)
        {
            Path = path;
            ProgramName = programName;
            Syntax = syntax;
            Model = new IdlFile(path, programName);
        }

        public string Path { get; }

        public string ProgramName { get; }

        public DocumentSyntax? Syntax { get; }

        public IdlFile Model { get; }

        public List<(IncludeSyntax Syntax, FileState Target)> Includes { get; } = new();

        public Dictionary<string, NamedDefinition> Types { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, ConstModel> Consts { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, ServiceModel> Services { get; } = new(StringComparer.Ordinal);

        public Dictionary<NamedDefinition, DefinitionSyntax> SyntaxOf { get; } = new(ReferenceEqualityComparer.Instance);
    }
}
