namespace StreamX.Docs.Tests;

/// <summary>
/// The snippet conventions on small pages: what compiles, what must not, and that problems point into
/// the page. These keep <see cref="DocsCodeTests"/> from passing because the checker is lenient.
/// </summary>
public sealed class ConventionTests
{
    private static IReadOnlyList<string> Check(string markdown, int index = 1) => SnippetCompiler.Check("page.md", markdown, index);

    [Fact]
    public void Fragment_WithGivens_Compiles_AndSeesTheEchoCodeAndTheStreamXNamespaces()
    {
        var problems = Check("""
            Text.

            <!-- snippet: given TestService.TestServiceClient client -->
            ```csharp
            var pong = await client.PingPongAsync(new Request { Message = "ping" }, new CallOptions { Timeout = TimeSpan.FromSeconds(1) });
            Console.WriteLine(pong.Message);
            ```
            """);

        Assert.Empty(problems);
    }

    [Fact]
    public void UndeclaredName_Fails_WithThePageLine()
    {
        var problems = Check("""
            # Title

            ```csharp
            var pong = await client.PingPongAsync(new Request());
            ```
            """);

        Assert.Contains(problems, p => p.StartsWith("page.md(4,", StringComparison.Ordinal) && p.Contains("error CS0103: The name 'client' does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void CompleteFile_GetsOnlyTheImplicitUsings()
    {
        // With using directives, the block is a file a reader copies: it must name what it uses.
        var problems = Check("""
            ```csharp
            using System.Net;

            var client = new TestService.TestServiceClient(new StreamX.Transport.TTHeader.TTHeaderClientTransport(new IPEndPoint(IPAddress.Loopback, 1)));
            ```
            """);

        Assert.Contains(problems, p => p.Contains("error CS0246: The type or namespace name 'TestService'", StringComparison.Ordinal));
    }

    [Fact]
    public void Warnings_Count()
    {
        var problems = Check("""
            ```csharp
            try { await Task.Yield(); }
            catch (OperationCanceledException e) { }
            ```
            """);

        Assert.Contains(problems, p => p.Contains("warning CS0168", StringComparison.Ordinal));
    }

    [Fact]
    public void LooseMembers_NeedAMembersMarker_AndCompileInThatClass()
    {
        const string Block = """
            ```csharp
            // client
            await using var call = client.EchoServer(new Request { Message = "hi" });

            // server
            public override async Task EchoServerAsync(Request req, MessageWriter<Response> responses, ServerCallContext context) =>
                await responses.SendAsync(new Response { Message = req.Message });
            ```
            """;

        Assert.Contains(Check("<!-- snippet: given TestService.TestServiceClient client -->\n" + Block), p => p.Contains("members of BASE", StringComparison.Ordinal));
        Assert.Empty(Check("<!-- snippet: given TestService.TestServiceClient client -->\n<!-- snippet: members of TestService.TestServiceBase -->\n" + Block));
    }

    [Fact]
    public void StatementsAfterTypes_AreMovedFirst_InFragmentsOnly()
    {
        const string Block = """
            sealed class Echo : TestService.TestServiceBase
            {
            }

            var definition = TestService.TestServiceBase.BindService(new Echo());
            Console.WriteLine(definition);
            ```
            """;

        Assert.Empty(Check("```csharp\n" + Block));
        Assert.Contains(Check("```csharp\nusing StreamX.Examples.Echo;\n\n" + Block), p => p.Contains("error CS8803", StringComparison.Ordinal));
    }

    [Fact]
    public void EarlierTypeOnlyBlocks_AreInScope_LaterOnesAndStatementBlocksAreNot()
    {
        const string Page = """
            ```csharp
            sealed class Handler : TestService.TestServiceBase { }
            ```

            ```csharp
            var local = 1;
            ```

            ```csharp
            var definition = TestService.TestServiceBase.BindService(new Handler());
            Console.WriteLine(local);
            ```
            """;

        var problems = Check(Page, index: 3);

        Assert.DoesNotContain(problems, p => p.Contains("'Handler'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("error CS0103: The name 'local' does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void IdlBlocks_AreGenerated_ForThePage()
    {
        var problems = Check("""
            <!-- snippet: idl shop.thrift -->
            ```thrift
            namespace csharp Demo.Shop
            struct Order { 1: i64 id }
            ```

            ```csharp
            var bytes = StreamX.Thrift.ThriftSerializer.Serialize(new Order { Id = 7 }, StreamX.Thrift.ThriftProtocol.Compact);
            Console.WriteLine(bytes.Length);
            ```
            """);

        Assert.Empty(problems);
    }

    [Fact]
    public void Excerpt_MustMatchTheGeneratedCode()
    {
        const string Page = """
            <!-- snippet: excerpt -->
            ```csharp
            public static partial class TestService
            {
                public const string ServiceName = "{0}";
                public sealed partial class TestServiceClient : global::StreamX.StreamXClientBase { … }
            ```
            """;

        Assert.Empty(Check(Page.Replace("{0}", "TestService", StringComparison.Ordinal)));
        Assert.Contains(Check(Page.Replace("{0}", "Other", StringComparison.Ordinal)), p => p.Contains("excerpt line 3", StringComparison.Ordinal));
    }

    [Fact]
    public void Markers_Unknown_AreErrors_AndNothingCanBeSkipped()
    {
        Assert.Contains(Check("<!-- snippet: fragment -->\n```csharp\nint x = 1;\n```\n"), p => p.Contains("unknown snippet marker 'fragment'", StringComparison.Ordinal));
        Assert.Contains(Check("<!-- snippet: skip (shows two alternatives) -->\n```csharp\nnot C# at all\n```\n"), p => p.Contains("unknown snippet marker 'skip", StringComparison.Ordinal));
    }
}
