using System.Text;
using System.Text.RegularExpressions;
using HandlebarsDotNet;

namespace StreamX.CodeGen;

/// <summary>
/// Handlebars.Net templates embedded in this assembly, compiled once. <c>NoEscape</c> because the
/// output is C#, not HTML (escaping would turn <c>List&lt;int&gt;</c> into <c>List&amp;lt;int&amp;gt;</c>);
/// unresolved bindings throw so a template typo cannot silently print nothing.
/// </summary>
internal static partial class TemplateEngine
{
    private static readonly Lazy<IHandlebars> Engine = new(CreateEngine);
    private static readonly Lazy<HandlebarsTemplate<object, object>> TypesTemplate = new(() => Engine.Value.Compile(Load("types")));
    private static readonly Lazy<HandlebarsTemplate<object, object>> ServiceTemplate = new(() => Engine.Value.Compile(Load("service")));
    private static readonly Lazy<HandlebarsTemplate<object, object>> StructTemplate = new(() => Engine.Value.Compile(Load("struct")));

    public static string RenderTypes(object view) => Normalize(TypesTemplate.Value(view));

    public static string RenderService(object view) => Normalize(ServiceTemplate.Value(view));

    /// <summary>One struct on its own (wire structs nested in a service class).</summary>
    public static string RenderStruct(object view) => Normalize(StructTemplate.Value(view));

    private static IHandlebars CreateEngine()
    {
        var engine = Handlebars.Create(new HandlebarsConfiguration
        {
            NoEscape = true,
            ThrowOnUnresolvedBindingExpression = true,
        });
        foreach (var partial in new[] { "enum", "struct", "constants" })
        {
            engine.RegisterTemplate(partial, Load(partial));
        }

        return engine;
    }

    private static string Load(string name)
    {
        var assembly = typeof(TemplateEngine).Assembly;
        using var stream = assembly.GetManifestResourceStream($"StreamX.CodeGen.Templates.{name}.hbs")
            ?? throw new InvalidOperationException($"template {name}.hbs is not embedded");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("\r\n", "\n");
    }

    /// <summary>Layout clean-up the templates cannot express simply: no blank line before a closing brace, no double blank lines, one final newline.</summary>
    internal static string Normalize(string text)
    {
        text = text.Replace("\r\n", "\n");
        text = TrailingSpaces().Replace(text, string.Empty);
        text = BlankBeforeBrace().Replace(text, "\n$1}");
        text = MultipleBlankLines().Replace(text, "\n\n");
        return text.TrimEnd('\n') + "\n";
    }

    [GeneratedRegex("[ \\t]+(?=\\n)")]
    private static partial Regex TrailingSpaces();

    [GeneratedRegex("\\n\\n+([ \\t]*)\\}")]
    private static partial Regex BlankBeforeBrace();

    [GeneratedRegex("\\n{3,}")]
    private static partial Regex MultipleBlankLines();
}
