namespace StreamX.Cli;

/// <summary>
/// The process exit codes of <c>streamx-gen</c>. They are a contract with scripts and the MSBuild
/// task: never renumber one.
/// </summary>
internal static class CliExitCodes
{
    /// <summary>The IDL is valid (warnings allowed) and the requested work was done.</summary>
    public const int Success = 0;

    /// <summary>The IDL has at least one error; nothing was written.</summary>
    public const int IdlErrors = 1;

    /// <summary>The command line is wrong: unknown option, no input file, an input file that does not exist.</summary>
    public const int UsageError = 2;

    /// <summary>A bug in streamx-gen itself: an exception escaped the front end. The stack trace is on stderr.</summary>
    public const int InternalError = 3;
}
