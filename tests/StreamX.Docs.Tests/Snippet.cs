using System.Text.RegularExpressions;

namespace StreamX.Docs.Tests;

/// <summary>What the test does with a C# block.</summary>
internal enum SnippetKind
{
    /// <summary>Compile it (the default).</summary>
    Compile,

    /// <summary><c>&lt;!-- snippet: excerpt --&gt;</c>: a piece of generated code; its lines must appear, in order, in one generated file.</summary>
    Excerpt,
}

/// <summary>
/// The snippet markers of one block, parsed. Markers are HTML comments (invisible when the page is
/// rendered) on the lines directly above the opening fence, one per line:
/// <list type="bullet">
/// <item><c>&lt;!-- snippet: given TYPE NAME --&gt;</c>: a variable the block uses but does not declare
/// (e.g. <c>given TestService.TestServiceClient client</c>); <c>given class X …{ }</c>: a type it uses.</item>
/// <item><c>&lt;!-- snippet: members of BASE --&gt;</c> (or <c>members</c>): the block's methods, properties
/// and fields outside any class (e.g. a server's <c>public override</c> handlers) belong to a class
/// deriving from BASE.</item>
/// <item><c>&lt;!-- snippet: excerpt --&gt;</c>: the block shows generated code.</item>
/// <item><c>&lt;!-- snippet: idl NAME.thrift --&gt;</c> on a <c>thrift</c> block: generate it; the page's C# uses it.</item>
/// </list>
/// There is no way to skip a block: every C# block is compiled or checked as an excerpt.
/// </summary>
internal sealed partial record Snippet(
    SnippetKind Kind,
    IReadOnlyList<string> Givens,
    bool HasMembersMarker,
    string? MembersBase,
    string? IdlFileName,
    IReadOnlyList<string> Errors)
{
    public static Snippet Parse(CodeBlock block)
    {
        var kind = SnippetKind.Compile;
        var givens = new List<string>();
        var members = false;
        string? membersBase = null;
        string? idl = null;
        var errors = new List<string>();
        foreach (var marker in block.Markers)
        {
            Match m;
            if (marker == "excerpt")
            {
                kind = SnippetKind.Excerpt;
            }
            else if ((m = GivenMarker().Match(marker)).Success)
            {
                givens.Add(m.Groups["decl"].Value.Trim());
            }
            else if ((m = MembersMarker().Match(marker)).Success)
            {
                members = true;
                membersBase = m.Groups["base"].Success ? m.Groups["base"].Value.Trim() : null;
            }
            else if ((m = IdlMarker().Match(marker)).Success)
            {
                idl = m.Groups["name"].Value;
            }
            else
            {
                errors.Add($"{block.Id}: unknown snippet marker '{marker}' (known: given, members [of BASE], excerpt, idl NAME.thrift)");
            }
        }

        var isCSharp = block.Language is "csharp" or "cs" or "c#";
        if (idl is not null && block.Language != "thrift")
        {
            errors.Add($"{block.Id}: 'idl' marks a thrift block, this one is '{block.Language}'");
        }

        if (!isCSharp && block.Language != "thrift" && block.Markers.Count > 0)
        {
            errors.Add($"{block.Id}: snippet markers apply to csharp and thrift blocks, this one is '{block.Language}'");
        }

        if (block.Language == "thrift" && (givens.Count > 0 || members || kind != SnippetKind.Compile))
        {
            errors.Add($"{block.Id}: a thrift block takes only the 'idl NAME.thrift' marker");
        }

        if (kind != SnippetKind.Compile && (givens.Count > 0 || members))
        {
            errors.Add($"{block.Id}: 'given' and 'members' apply to blocks that are compiled, not to '{kind.ToString().ToLowerInvariant()}' ones");
        }

        return new Snippet(kind, givens, members, membersBase, idl, errors);
    }

    [GeneratedRegex(@"^given\s+(?<decl>.+)$")]
    private static partial Regex GivenMarker();

    [GeneratedRegex(@"^members(\s+of\s+(?<base>.+))?$")]
    private static partial Regex MembersMarker();

    [GeneratedRegex(@"^idl\s+(?<name>[A-Za-z0-9_.\-]+\.thrift)$")]
    private static partial Regex IdlMarker();
}
