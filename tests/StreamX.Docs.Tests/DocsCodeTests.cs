namespace StreamX.Docs.Tests;

/// <summary>
/// Every <c>```csharp</c> block of README.md and docs/**/*.md compiles (or, for an <c>excerpt</c> of
/// generated code, matches the generator's output), with the conventions of <see cref="SnippetCompiler"/>
/// and the markers of <see cref="Snippet"/> (documented for authors in docs/README.md, "Code samples").
/// </summary>
public sealed class DocsCodeTests
{
    /// <summary>One row per C# block: "page#index".</summary>
    public static TheoryData<string> CSharpBlocks()
    {
        var data = new TheoryData<string>();
        foreach (var block in AllBlocks().Where(IsCSharp))
        {
            data.Add($"{block.Page}#{block.Index}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CSharpBlocks))]
    public void CSharpBlock_Compiles(string id)
    {
        var page = id[..id.LastIndexOf('#')];
        var index = int.Parse(id[(id.LastIndexOf('#') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

        var problems = SnippetCompiler.Check(page, index);

        Assert.True(problems.Count == 0, $"{id}: {problems.Count} problem(s):\n{string.Join("\n", problems.Take(30))}");
    }

    [Fact]
    public void EveryPageIsRead_AndThereIsCodeToCheck()
    {
        var pages = Markdown.Pages();
        Assert.Contains("README.md", pages);
        Assert.Contains("docs/getting-started.md", pages);
        Assert.Contains("docs/hosting.md", pages);

        // A parser that misses fences must not make the theory pass vacuously.
        var csharp = AllBlocks().Where(IsCSharp).ToList();
        Assert.True(csharp.Count >= 30, $"expected at least 30 C# blocks, found {csharp.Count}");
        Assert.True(csharp.Count(b => Snippet.Parse(b).Kind == SnippetKind.Compile) >= 25, "most blocks must be compiled");
    }

    [Fact]
    public void Markers_AreKnown()
    {
        var errors = AllBlocks().SelectMany(b => Snippet.Parse(b).Errors).ToList();

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void Fences_AreParsed_WithMarkersAndLines()
    {
        var blocks = Markdown.Parse("page.md", """
            # Title

            <!-- snippet: given int x -->
            <!-- snippet: members of Base -->
            ```csharp
            var y = x;
            ```

              ```cs
              indented();
              ```

            ````markdown
            ```csharp
            not a block of its own
            ```
            ````
            """);

        Assert.Equal(3, blocks.Count);
        Assert.Equal(("csharp", 1, 6, "var y = x;\n"), (blocks[0].Language, blocks[0].Index, blocks[0].Line, blocks[0].Code));
        Assert.Equal(["given int x", "members of Base"], blocks[0].Markers);
        Assert.Equal(("cs", "indented();\n"), (blocks[1].Language, blocks[1].Code));
        Assert.Empty(blocks[1].Markers);
        Assert.Equal("markdown", blocks[2].Language);
        Assert.Contains("not a block of its own", blocks[2].Code, StringComparison.Ordinal);
    }

    private static IEnumerable<CodeBlock> AllBlocks() => Markdown.Pages().SelectMany(Markdown.Blocks);

    private static bool IsCSharp(CodeBlock block) => block.Language is "csharp" or "cs" or "c#";
}
