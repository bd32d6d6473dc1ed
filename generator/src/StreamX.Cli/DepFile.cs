using System.Text;
using StreamX.Idl.Semantics;

namespace StreamX.Cli;

/// <summary>
/// The dependency file of <c>--depfile</c>: the absolute path of every IDL file a compilation read,
/// one a line, in the order first read. Build tools (StreamX.Build's targets) add these files to
/// the generation target's inputs, so editing an included file regenerates.
/// </summary>
internal static class DepFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes the file (creating its directory) unless it already has exactly this content.</summary>
    public static void Write(string path, IEnumerable<string> files)
    {
        var full = Path.GetFullPath(path);
        var text = new StringBuilder();
        foreach (var file in files)
        {
            text.Append(file).Append('\n');
        }

        var bytes = Utf8NoBom.GetBytes(text.ToString());
        if (File.Exists(full) && File.ReadAllBytes(full).AsSpan().SequenceEqual(bytes))
        {
            return;
        }

        if (Path.GetDirectoryName(full) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllBytes(full, bytes);
    }
}

/// <summary>An <see cref="IIdlSourceProvider"/> that remembers every file opened, for <see cref="DepFile"/>.</summary>
internal sealed class RecordingSourceProvider(IIdlSourceProvider inner) : IIdlSourceProvider
{
    private readonly List<string> _read = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The normalised paths opened so far, first-read order, without duplicates.</summary>
    public IReadOnlyList<string> FilesRead
    {
        get
        {
            lock (_lock)
            {
                return _read.ToArray();
            }
        }
    }

    public string Normalize(string path) => inner.Normalize(path);

    public string Combine(string directory, string relativePath) => inner.Combine(directory, relativePath);

    public string GetDirectory(string path) => inner.GetDirectory(path);

    public bool Exists(string path) => inner.Exists(path);

    public Stream OpenRead(string path)
    {
        lock (_lock)
        {
            if (_seen.Add(path))
            {
                _read.Add(path);
            }
        }

        return inner.OpenRead(path);
    }
}
