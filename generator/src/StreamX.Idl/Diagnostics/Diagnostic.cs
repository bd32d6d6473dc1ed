using System.Globalization;

namespace StreamX.Idl.Diagnostics;

/// <summary>One problem found in IDL input, with its exact location.</summary>
public sealed record Diagnostic(DiagnosticDescriptor Descriptor, DiagnosticSeverity Severity, string Message, SourceSpan Span)
{
    /// <summary>The stable id, e.g. <c>SX2003</c>.</summary>
    public string Id => Descriptor.Id;

    /// <summary>True for errors.</summary>
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>Creates a diagnostic from a descriptor and its message arguments.</summary>
    public static Diagnostic Create(DiagnosticDescriptor descriptor, SourceSpan span, params object?[] args) =>
        new(descriptor, descriptor.Severity, string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat, args), span);

    /// <summary>
    /// MSBuild canonical form: <c>path(line,col): error SX2003: message</c>, which IDEs and
    /// <c>dotnet build</c> turn into clickable error-list entries.
    /// </summary>
    public override string ToString()
    {
        var severity = Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        };
        var origin = Span.HasPath
            ? string.Create(CultureInfo.InvariantCulture, $"{Span.Path}({Span.StartLine},{Span.StartColumn}): ")
            : "streamx-gen: ";
        return $"{origin}{severity} {Id}: {Message}";
    }
}
