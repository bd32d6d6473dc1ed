namespace StreamX.Cli.Tests;

/// <summary>Small IDL texts whose diagnostics are known.</summary>
internal static class Idl
{
    /// <summary>Valid, no warnings: one unary and one bidirectional streaming method.</summary>
    public const string Valid = """
        namespace csharp StreamX.Cli.Tests.Echo

        struct EchoRequest {
            1: string message
        }

        struct EchoResponse {
            1: string message
        }

        service EchoService {
            EchoResponse Echo(1: EchoRequest req)
            EchoResponse EchoBidi(1: EchoRequest req) (streaming.mode = "bidirectional")
        }
        """;

    /// <summary>Valid with exactly one warning: SX2008 (implicit field id) on line 2.</summary>
    public const string WarningOnly = """
        struct Legacy {
            string name
        }
        """;

    /// <summary>Exactly two errors: SX2003 (duplicate definition) on line 2, SX2004 (unknown type) on line 3.</summary>
    public const string TwoErrors = """
        struct Dup { 1: string a }
        struct Dup { 1: string b }
        struct UsesMissing { 1: Missing m }
        """;

    /// <summary>A syntax error (SX1001): a struct without a name.</summary>
    public const string SyntaxError = """
        struct {
            1: string a
        }
        """;
}
