using System.Collections.Concurrent;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StreamX.CodeGen;
using StreamX.Idl;
using StreamX.Idl.Semantics;

namespace StreamX.Docs.Tests;

/// <summary>
/// Compiles one C# block of a page, in memory, the way a reader would use it:
/// <list type="bullet">
/// <item>A block with <c>using</c> directives is a complete file and compiles as it is, with only the
/// SDK's implicit usings added.</item>
/// <item>Any other block is a fragment: it also gets the StreamX namespaces, <c>System.Net</c>, the ASP.NET
/// Core implicit usings and the namespaces of the generated code; its statements may follow the types they
/// use (they are moved first); its loose members go into the class its <c>members</c> marker names; the
/// variables and types its <c>given</c> markers declare are in scope.</item>
/// <item>Every block compiles with the echo code (<c>idl/examples/echo.thrift</c>), the page's
/// <c>idl</c> blocks, and the page's earlier blocks that only declare types (no statements).</item>
/// </list>
/// Nullable is enabled and warnings count: the docs should compile cleanly in a project with
/// <c>TreatWarningsAsErrors</c>, as this repository's do. Diagnostics point into the page
/// (<c>docs/hosting.md(42,9): error CS0103: …</c>).
/// </summary>
internal static class SnippetCompiler
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(CreateReferences);

    private static readonly Lazy<IReadOnlyList<GeneratedFile>> Echo = new(() =>
        Generate(new[] { Path.Combine(Repo.Root, "idl", "examples", "echo.thrift") }, FileSystemSourceProvider.Instance, "idl/examples/echo.thrift"));

    private static readonly ConcurrentDictionary<string, PageContext> Pages = new(StringComparer.Ordinal);

    /// <summary>Compiles or checks one C# block of a page of the repository; returns the problems (empty when it is fine).</summary>
    public static IReadOnlyList<string> Check(string page, int index) =>
        Check(Pages.GetOrAdd(page, p => new PageContext(p, Markdown.Blocks(p))), index);

    /// <summary>The same for a page given as text (tests of the conventions).</summary>
    public static IReadOnlyList<string> Check(string page, string markdown, int index) =>
        Check(new PageContext(page, Markdown.Parse(page, markdown)), index);

    private static IReadOnlyList<string> Check(PageContext context, int index)
    {
        var block = context.CSharpBlocks.Single(b => b.Block.Index == index);
        if (block.Snippet.Errors.Count > 0)
        {
            return block.Snippet.Errors;
        }

        return block.Snippet.Kind switch
        {
            SnippetKind.Excerpt => CheckExcerpt(block.Block, context.Generated),
            _ => Compile(context, block),
        };
    }

    private static IReadOnlyList<string> Compile(PageContext context, PageBlock block)
    {
        var problems = new List<string>();
        var trees = new List<SyntaxTree>
        {
            Parse(string.Concat(DocsReferences.ImplicitUsings.Select(u => $"global using global::{u};\n")), "ImplicitUsings.g.cs"),
        };
        trees.AddRange(context.Generated.Select(f => Parse(f.Content, f.FileName)));
        foreach (var earlier in context.CSharpBlocks.TakeWhile(b => b.Block.Index < block.Block.Index).Where(b => b.Snippet.Kind == SnippetKind.Compile && b.Snippet.Errors.Count == 0))
        {
            var prepared = Prepare(context, earlier, problems: null);
            if (!prepared.HasStatements)
            {
                trees.AddRange(prepared.Trees);
            }
        }

        var own = Prepare(context, block, problems);
        trees.AddRange(own.Trees);
        if (problems.Count > 0)
        {
            return problems;
        }

        var options = new CSharpCompilationOptions(own.HasStatements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary)
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>
            {
                ["CS1701"] = ReportDiagnostic.Suppress, // assembly unification noise from implementation references
                ["CS1702"] = ReportDiagnostic.Suppress,
            });
        var compilation = CSharpCompilation.Create("DocsSnippet", trees, References.Value, options);
        return compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => d.ToString())
            .ToList();
    }

    /// <summary>The syntax trees of one block: its <c>given</c> declarations and its code, rearranged as its kind asks.</summary>
    private static PreparedBlock Prepare(PageContext context, PageBlock pageBlock, List<string>? problems)
    {
        var (block, snippet) = (pageBlock.Block, pageBlock.Snippet);
        var root = CSharpSyntaxTree.ParseText(block.Code, ParseOptions).GetCompilationUnitRoot();
        var isFile = root.Usings.Count > 0;
        var header = new StringBuilder();
        if (!isFile)
        {
            foreach (var ns in context.FragmentUsings)
            {
                header.Append("using ").Append(ns).Append(";\n");
            }
        }

        var trees = new List<SyntaxTree>();
        var givenClass = $"__Given{block.Index}";
        if (snippet.Givens.Count > 0)
        {
            var givens = new StringBuilder();
            foreach (var ns in context.FragmentUsings)
            {
                givens.Append("using ").Append(ns).Append(";\n");
            }

            var types = snippet.Givens.Where(IsTypeDeclaration).ToList();
            givens.Append($"internal static class {givenClass}\n{{\n");
            foreach (var variable in snippet.Givens.Except(types))
            {
                givens.Append($"    public static {variable} = default!;\n");
            }

            givens.Append("}\n");
            foreach (var type in types)
            {
                givens.Append(type).Append('\n');
            }

            trees.Add(Parse(givens.ToString(), $"{block.Page} #{block.Index} given"));
            header.Append($"using static {givenClass};\n");
        }

        var statements = root.Members.OfType<GlobalStatementSyntax>().ToList();
        var declarations = root.Members.Where(m => m is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax or BaseNamespaceDeclarationSyntax).ToList();
        var loose = root.Members.Except(statements).Except(declarations).ToList();
        var body = new StringBuilder();
        if (isFile || (loose.Count == 0 && InOrder(root, statements)))
        {
            if (!isFile && snippet.HasMembersMarker)
            {
                problems?.Add($"{block.Id}: 'members' marker, but the block has no methods, properties or fields outside a type");
            }

            body.Append(LineDirective(block, 0)).Append(block.Code);
        }
        else
        {
            if (loose.Count > 0 && !snippet.HasMembersMarker)
            {
                problems?.Add($"{block.Id}: methods, properties or fields outside a type ({string.Join(", ", loose.Select(Describe))}); say which class they belong to with <!-- snippet: members of BASE --> above the fence");
            }

            // Top-level statements must precede type declarations in a file; a fragment may show them after.
            foreach (var member in statements.Concat(declarations))
            {
                AppendMember(body, root, block, member);
            }

            if (loose.Count > 0)
            {
                var baseList = snippet.MembersBase is { } baseType ? " : " + baseType : string.Empty;
                body.Append($"#line hidden\ninternal sealed class __Snippet{block.Index}{baseList}\n{{\n");
                foreach (var member in loose)
                {
                    AppendMember(body, root, block, member);
                }

                body.Append("#line hidden\n}\n");
            }
        }

        trees.Add(Parse(header + body.ToString(), $"{block.Page} #{block.Index}"));
        return new PreparedBlock(trees, statements.Count > 0);
    }

    private static bool InOrder(CompilationUnitSyntax root, List<GlobalStatementSyntax> statements) =>
        statements.Count == 0 || root.Members.TakeWhile(m => m is GlobalStatementSyntax).Count() == statements.Count;

    private static void AppendMember(StringBuilder body, CompilationUnitSyntax root, CodeBlock block, MemberDeclarationSyntax member)
    {
        var line = root.SyntaxTree.GetLineSpan(new Microsoft.CodeAnalysis.Text.TextSpan(member.FullSpan.Start, 0)).StartLinePosition.Line;
        var text = member.ToFullString();
        body.Append(LineDirective(block, line)).Append(text);
        if (!text.EndsWith('\n'))
        {
            body.Append('\n');
        }
    }

    private static string LineDirective(CodeBlock block, int lineInBlock) => $"#line {block.Line + lineInBlock} \"{block.Page}\"\n";

    private static string Describe(MemberDeclarationSyntax member) => member switch
    {
        MethodDeclarationSyntax m => m.Identifier.Text + "()",
        PropertyDeclarationSyntax p => p.Identifier.Text,
        FieldDeclarationSyntax f => string.Join(", ", f.Declaration.Variables.Select(v => v.Identifier.Text)),
        _ => member.Kind().ToString(),
    };

    private static bool IsTypeDeclaration(string given)
    {
        var words = given.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.SkipWhile(w => w is "public" or "internal" or "sealed" or "abstract" or "static" or "partial" or "readonly")
            .FirstOrDefault() is "class" or "record" or "struct" or "interface" or "enum";
    }

    private static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, ParseOptions, path, Encoding.UTF8);

    /// <summary>Every line of the excerpt (trimmed; blank lines and lines with '…' ignored) appears, in order, in one generated file.</summary>
    private static IReadOnlyList<string> CheckExcerpt(CodeBlock block, IReadOnlyList<GeneratedFile> generated)
    {
        var wanted = block.Code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.Contains('…', StringComparison.Ordinal)).ToList();
        if (wanted.Count == 0)
        {
            return [$"{block.Id}: an excerpt with nothing to check"];
        }

        var best = (File: "", Matched: -1);
        foreach (var file in generated)
        {
            var lines = file.Content.Split('\n').Select(l => l.Trim()).ToList();
            var matched = 0;
            var at = 0;
            while (matched < wanted.Count)
            {
                var next = lines.IndexOf(wanted[matched], at);
                if (next < 0)
                {
                    break;
                }

                at = next + 1;
                matched++;
            }

            if (matched == wanted.Count)
            {
                return [];
            }

            if (matched > best.Matched)
            {
                best = (file.FileName, matched);
            }
        }

        return [$"{block.Id}: excerpt line {best.Matched + 1} is not in the generated code (closest: {best.File}, which matches up to it): {wanted[best.Matched]}"];
    }

    private static IReadOnlyList<GeneratedFile> Generate(IReadOnlyList<string> roots, IIdlSourceProvider sources, string what)
    {
        var compilation = IdlCompiler.Compile(new IdlCompileRequest(roots, null, sources));
        var errors = compilation.Diagnostics.Where(d => d.IsError).ToList();
        Assert.True(compilation.Model is not null && errors.Count == 0, $"{what}: IDL errors:\n{string.Join("\n", errors)}");
        var result = new CSharpGenerator(new CodeGenOptions()).Generate(compilation.Model!);
        Assert.False(result.HasErrors, $"{what}: generator errors:\n{string.Join("\n", result.Diagnostics)}");
        return result.Files;
    }

    private static IReadOnlyList<MetadataReference> CreateReferences()
    {
        // The shared frameworks (Microsoft.NETCore.App, Microsoft.AspNetCore.App) as the test host loads
        // them, the StreamX assemblies, and what those reference from the test's own output (packages).
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var frameworkDirs = new[] { typeof(object), typeof(Microsoft.AspNetCore.Builder.WebApplication) }
            .Select(t => Path.GetDirectoryName(t.Assembly.Location)!)
            .ToHashSet(StringComparer.Ordinal);
        var paths = tpa.Where(p => frameworkDirs.Contains(Path.GetDirectoryName(p)!)).ToHashSet(StringComparer.Ordinal);
        var byName = tpa.GroupBy(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        foreach (var assembly in DocsReferences.StreamXAssemblies)
        {
            paths.Add(assembly.Location);
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (reference.Name is { } name && byName.TryGetValue(name, out var path))
                {
                    paths.Add(path);
                }
            }
        }

        // One file per simple name: a package copy and a framework copy of one assembly would be ambiguous.
        return paths.GroupBy(p => Path.GetFileName(p), StringComparer.OrdinalIgnoreCase)
            .Select(g => (MetadataReference)MetadataReference.CreateFromFile(g.First()))
            .ToList();
    }

    private sealed record PageBlock(CodeBlock Block, Snippet Snippet);

    private sealed record PreparedBlock(IReadOnlyList<SyntaxTree> Trees, bool HasStatements);

    /// <summary>A page's blocks and what its C# compiles with (generated code, fragment usings).</summary>
    private sealed class PageContext
    {
        public PageContext(string page, IReadOnlyList<CodeBlock> markdownBlocks)
        {
            var blocks = markdownBlocks.Select(b => new PageBlock(b, Snippet.Parse(b))).ToList();
            CSharpBlocks = blocks.Where(b => b.Block.Language is "csharp" or "cs" or "c#").ToList();

            var idl = blocks.Where(b => b.Snippet.IdlFileName is not null).ToList();
            var generated = new List<GeneratedFile>(Echo.Value);
            if (idl.Count > 0)
            {
                var sources = new InMemorySourceProvider();
                foreach (var b in idl)
                {
                    sources.Add(b.Snippet.IdlFileName!, b.Block.Code);
                }

                generated.AddRange(Generate(idl.Select(b => b.Snippet.IdlFileName!).ToList(), sources, $"{page}: idl blocks"));
            }

            Generated = generated;
            var generatedNamespaces = generated
                .SelectMany(f => f.Content.Split('\n'))
                .Where(l => l.StartsWith("namespace ", StringComparison.Ordinal))
                .Select(l => l["namespace ".Length..].TrimEnd(';', ' '));
            FragmentUsings = DocsReferences.StreamXNamespaces
                .Concat(DocsReferences.FragmentUsings)
                .Concat(generatedNamespaces)
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }

        public IReadOnlyList<PageBlock> CSharpBlocks { get; }

        public IReadOnlyList<GeneratedFile> Generated { get; }

        public IReadOnlyList<string> FragmentUsings { get; }
    }
}
