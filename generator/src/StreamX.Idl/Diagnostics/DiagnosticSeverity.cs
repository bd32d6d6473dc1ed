namespace StreamX.Idl.Diagnostics;

/// <summary>How serious a diagnostic is. Only <see cref="Error"/> fails a compilation.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Something worth knowing; never fails the build.</summary>
    Info = 0,

    /// <summary>Legacy or suspicious input that is still accepted.</summary>
    Warning = 1,

    /// <summary>The IDL is invalid; no code is generated.</summary>
    Error = 2,
}
