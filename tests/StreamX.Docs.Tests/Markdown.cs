using System.Text.RegularExpressions;

namespace StreamX.Docs.Tests;

/// <summary>One fenced code block of a Markdown page, with the snippet markers written just above it.</summary>
/// <param name="Page">The page, relative to the repository root, with '/' separators (<c>docs/hosting.md</c>).</param>
/// <param name="Index">1-based position among the page's blocks of the same language.</param>
/// <param name="Line">1-based line of the block's first code line in the page (the line after the opening fence).</param>
/// <param name="Language">The fence's info string, first word, lower case (<c>csharp</c>, <c>thrift</c>, empty).</param>
/// <param name="Code">The block's text, '\n' line ends, ending with '\n' unless empty.</param>
/// <param name="Markers">The text of each <c>&lt;!-- snippet: … --&gt;</c> line directly above the fence, in order (without the comment syntax).</param>
internal sealed record CodeBlock(string Page, int Index, int Line, string Language, string Code, IReadOnlyList<string> Markers)
{
    /// <summary>How tests and messages name the block: <c>docs/hosting.md#3 (line 34)</c>.</summary>
    public string Id => $"{Page}#{Index} (line {Line})";

    public override string ToString() => Id;
}

/// <summary>Finds the fenced code blocks of Markdown pages (CommonMark fences of backticks or tildes).</summary>
internal static partial class Markdown
{
    /// <summary>The pages whose C# must compile: README.md and every docs/**/*.md, in path order.</summary>
    public static IReadOnlyList<string> Pages()
    {
        var docs = Path.Combine(Repo.Root, "docs");
        return Directory.GetFiles(docs, "*.md", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repo.Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Prepend("README.md")
            .ToList();
    }

    /// <summary>Every fenced block of a page (any language).</summary>
    public static IReadOnlyList<CodeBlock> Blocks(string page) => Parse(page, File.ReadAllText(Path.Combine(Repo.Root, page)));

    /// <summary>Every fenced block of a Markdown text; <paramref name="page"/> names it in the blocks.</summary>
    public static IReadOnlyList<CodeBlock> Parse(string page, string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var blocks = new List<CodeBlock>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var open = Fence().Match(lines[i]);
            if (!open.Success)
            {
                continue;
            }

            var indent = open.Groups["indent"].Length;
            var fence = open.Groups["fence"].Value;
            var language = open.Groups["info"].Value.Trim().Split(' ', 2)[0].ToLowerInvariant();
            var body = new List<string>();
            var j = i + 1;
            for (; j < lines.Length; j++)
            {
                var close = Fence().Match(lines[j]);
                if (close.Success && close.Groups["fence"].Value[0] == fence[0] && close.Groups["fence"].Length >= fence.Length && close.Groups["info"].Value.Trim().Length == 0)
                {
                    break;
                }

                // CommonMark: content lines lose up to the opening fence's indentation.
                var line = lines[j];
                var strip = 0;
                while (strip < indent && strip < line.Length && line[strip] == ' ')
                {
                    strip++;
                }

                body.Add(line[strip..]);
            }

            var markers = new List<string>();
            for (var k = i - 1; k >= 0 && Marker().Match(lines[k]) is { Success: true } marker; k--)
            {
                markers.Insert(0, marker.Groups["text"].Value.Trim());
            }

            counts[language] = counts.GetValueOrDefault(language) + 1;
            blocks.Add(new CodeBlock(page, counts[language], i + 2, language, body.Count == 0 ? string.Empty : string.Join('\n', body) + "\n", markers));
            i = j;
        }

        return blocks;
    }

    [GeneratedRegex(@"^(?<indent> {0,3})(?<fence>`{3,}|~{3,})(?<info>[^`]*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^\s*<!--\s*snippet:(?<text>.*?)-->\s*$")]
    private static partial Regex Marker();
}

/// <summary>Locates the repository (the folder with StreamX.sln).</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StreamX.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("StreamX.sln not found above " + AppContext.BaseDirectory);
    }
}
