namespace StreamX.Idl.Semantics;

/// <summary>
/// Where IDL text comes from. The CLI and the MSBuild task use <see cref="FileSystemSourceProvider"/>;
/// tests use <see cref="InMemorySourceProvider"/>.
/// </summary>
public interface IIdlSourceProvider
{
    /// <summary>Normalises a path (makes it absolute for file systems) so one file has one key.</summary>
    string Normalize(string path);

    /// <summary>Combines a directory and a relative path, then normalises.</summary>
    string Combine(string directory, string relativePath);

    /// <summary>The directory that contains a normalised path.</summary>
    string GetDirectory(string path);

    /// <summary>True when a file exists at the normalised path.</summary>
    bool Exists(string path);

    /// <summary>Opens the file for reading. Throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> on failure.</summary>
    Stream OpenRead(string path);
}

/// <summary>Reads IDL files from disk.</summary>
public sealed class FileSystemSourceProvider : IIdlSourceProvider
{
    /// <summary>The shared instance.</summary>
    public static FileSystemSourceProvider Instance { get; } = new();

    /// <inheritdoc />
    public string Normalize(string path) => Path.GetFullPath(path);

    /// <inheritdoc />
    public string Combine(string directory, string relativePath) => Path.GetFullPath(Path.Combine(directory, relativePath));

    /// <inheritdoc />
    public string GetDirectory(string path) => Path.GetDirectoryName(path) ?? string.Empty;

    /// <inheritdoc />
    public bool Exists(string path) => File.Exists(path);

    /// <inheritdoc />
    public Stream OpenRead(string path) => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
}

/// <summary>IDL files held in memory under '/'-separated paths, for tests and tools.</summary>
public sealed class InMemorySourceProvider : IIdlSourceProvider
{
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    /// <summary>Adds or replaces a file.</summary>
    public InMemorySourceProvider Add(string path, string text) => Add(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Adds or replaces a file with raw bytes.</summary>
    public InMemorySourceProvider Add(string path, byte[] bytes)
    {
        _files[Normalize(path)] = bytes;
        return this;
    }

    /// <inheritdoc />
    public string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else
            {
                parts.Add(part);
            }
        }

        return string.Join('/', parts);
    }

    /// <inheritdoc />
    public string Combine(string directory, string relativePath) =>
        relativePath.StartsWith('/') ? Normalize(relativePath) : Normalize(directory.Length == 0 ? relativePath : directory + "/" + relativePath);

    /// <inheritdoc />
    public string GetDirectory(string path)
    {
        var i = path.LastIndexOf('/');
        return i < 0 ? string.Empty : path[..i];
    }

    /// <inheritdoc />
    public bool Exists(string path) => _files.ContainsKey(path);

    /// <inheritdoc />
    public Stream OpenRead(string path) =>
        _files.TryGetValue(path, out var bytes) ? new MemoryStream(bytes, writable: false) : throw new FileNotFoundException($"no in-memory file '{path}'", path);
}
