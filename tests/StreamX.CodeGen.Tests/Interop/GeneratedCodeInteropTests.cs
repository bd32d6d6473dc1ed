using System.Reflection;
using System.Text;
using StreamX.CodeGen.Tests.Infrastructure;
using StreamX.Thrift;

namespace StreamX.CodeGen.Tests.Interop;

/// <summary>
/// Generated code against a second implementation: the C# that <see cref="CSharpGenerator"/> makes from
/// Interop/crosscheck.thrift and the Python that Apache Thrift 0.17 makes from the same file encode and
/// decode the same fixed instances (Interop/crosscheck.py and Interop/CrossCheckFixtures.cs.txt) in the
/// Binary and Compact protocols.
/// <list type="bullet">
/// <item>our decoder reads Python's bytes as our fixture;</item>
/// <item>our encoder writes exactly Python's bytes, except for fixtures with sets or maps, whose element
/// order on the wire is each implementation's own (Python's string sets even change order per process);</item>
/// <item>Python decodes our bytes as its fixture; its re-encoding of them is read back by us as our fixture and,
/// without sets or maps, is byte for byte what we wrote.</item>
/// </list>
/// </summary>
public sealed class GeneratedCodeInteropTests : IClassFixture<PythonCrossCheckPeer>
{
    private static readonly (string Name, ThriftProtocol Protocol)[] Protocols =
        [("binary", ThriftProtocol.Binary), ("compact", ThriftProtocol.Compact)];

    private static readonly Lazy<Type> FixturesType = new(CompileFixtures);

    private readonly PythonCrossCheckPeer _python;

    public GeneratedCodeInteropTests(PythonCrossCheckPeer python) => _python = python;

    [Fact]
    public void BothSidesBuildTheSameFixtures()
    {
        Assert.Equal(Names(), _python.Names);
        Assert.Equal(Names().Length * Protocols.Length, _python.Encodings.Count);
        Assert.Contains(Names(), HasUnorderedContainers);
        Assert.Contains(Names(), n => !HasUnorderedContainers(n));
    }

    [Fact]
    public void OurDecoderReadsPythonsBytesAsOurFixture()
    {
        var failures = new List<string>();
        foreach (var name in Names())
        {
            foreach (var (protocolName, protocol) in Protocols)
            {
                var python = _python.Encodings[(name, protocolName)];
                if (!DecodeAndCompare(name, python, protocol))
                {
                    failures.Add($"{name} {protocolName}: {Describe(name, python, protocol)}\n  Python's bytes: {Hex(python)}");
                }
            }
        }

        Assert.True(failures.Count == 0, "Python's bytes do not decode to our fixture:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void OurEncoderWritesPythonsBytes()
    {
        var failures = new List<string>();
        var compared = 0;
        foreach (var name in Names().Where(n => !HasUnorderedContainers(n)))
        {
            foreach (var (protocolName, protocol) in Protocols)
            {
                var ours = Encode(name, protocol);
                var python = _python.Encodings[(name, protocolName)];
                compared++;
                if (!ours.AsSpan().SequenceEqual(python))
                {
                    failures.Add($"{name} {protocolName}: {FirstDifference(ours, python)}");
                }
            }
        }

        Assert.True(compared >= 20, $"only {compared} encodings compared");
        Assert.True(failures.Count == 0, "our bytes differ from Python's:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task PythonDecodesOurBytesAsItsFixture()
    {
        var ours = Names()
            .SelectMany(name => Protocols.Select(p => (Name: name, Protocol: p.Name, Data: Encode(name, p.Protocol))))
            .ToList();
        var answers = await _python.DecodeAsync(ours);
        Assert.Equal(ours.Select(o => (o.Name, o.Protocol)), answers.Select(a => (a.Name, a.Protocol)));

        var failures = new List<string>();
        foreach (var (sent, answer) in ours.Zip(answers))
        {
            var what = $"{sent.Name} {sent.Protocol}";
            var protocol = Protocols.Single(p => p.Name == sent.Protocol).Protocol;
            if (answer.Verdict != "OK")
            {
                failures.Add($"{what}: Python: {answer.Verdict}\n  our bytes: {Hex(sent.Data)}");
                continue;
            }

            // Python decoded our bytes and wrote them again: we must read that back as our fixture …
            if (!DecodeAndCompare(sent.Name, answer.Reencoded!, protocol))
            {
                failures.Add($"{what}: Python's re-encoding of our bytes does not decode to our fixture: {Describe(sent.Name, answer.Reencoded!, protocol)}");
            }

            // … and, where the order on the wire is fixed, it must be what we wrote.
            if (!HasUnorderedContainers(sent.Name) && !answer.Reencoded!.AsSpan().SequenceEqual(sent.Data))
            {
                failures.Add($"{what}: Python's re-encoding differs from our bytes: {FirstDifference(sent.Data, answer.Reencoded!)}");
            }
        }

        Assert.True(failures.Count == 0, "Python does not read our bytes back as its fixture:\n" + string.Join("\n", failures));
    }

    private static string[] Names() => (string[])Call("Names");

    private static bool HasUnorderedContainers(string name) => (bool)Call(nameof(HasUnorderedContainers), name);

    private static byte[] Encode(string name, ThriftProtocol protocol) => (byte[])Call(nameof(Encode), name, protocol);

    private static bool DecodeAndCompare(string name, byte[] data, ThriftProtocol protocol)
    {
        try
        {
            return (bool)Call(nameof(DecodeAndCompare), name, data, protocol);
        }
        catch (Exception e) when (e is ThriftProtocolException or ThriftValidationException)
        {
            return false;
        }
    }

    private static string Describe(string name, byte[] data, ThriftProtocol protocol) => (string)Call(nameof(Describe), name, data, protocol);

    private static object Call(string method, params object[] args)
    {
        var info = FixturesType.Value.GetMethod(method, BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"CrossCheckFixtures.{method} not found");
        try
        {
            return info.Invoke(null, args)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>Generated C# for crosscheck.thrift plus CrossCheckFixtures.cs.txt, compiled warning-free and loaded.</summary>
    private static Type CompileFixtures()
    {
        var sources = Generation.Generate(PythonCrossCheckPeer.IdlPath)
            .Select(f => (f.FileName, f.Content))
            .Append(("CrossCheckFixtures.cs", File.ReadAllText(Path.Combine(PythonCrossCheckPeer.InteropDir, "CrossCheckFixtures.cs.txt"))))
            .ToList();
        var compilation = RoslynCompiler.Create(sources, "CrossCheck");
        var problems = RoslynCompiler.Problems(compilation);
        Assert.True(problems.Count == 0, "the generated code or the fixtures do not compile cleanly:\n" + string.Join("\n", problems));
        return RoslynCompiler.Load(compilation).GetType("StreamX.CrossCheck.CrossCheckFixtures", throwOnError: true)!;
    }

    private static string Hex(byte[] data) =>
        data.Length <= 256 ? Convert.ToHexString(data) : Convert.ToHexString(data, 0, 256) + $"… ({data.Length} bytes)";

    private static string FirstDifference(byte[] ours, byte[] theirs)
    {
        var at = ours.AsSpan().CommonPrefixLength(theirs);
        var from = Math.Max(0, at - 8);
        string Window(byte[] b) => Convert.ToHexString(b, from, Math.Min(b.Length, at + 16) - from);
        var text = new StringBuilder()
            .Append($"lengths {ours.Length} (ours) and {theirs.Length} (Python), first difference at byte {at}")
            .Append($"\n  ours   [{from}..]: {Window(ours)}")
            .Append($"\n  Python [{from}..]: {Window(theirs)}");
        if (Math.Max(ours.Length, theirs.Length) <= 256)
        {
            text.Append($"\n  ours:   {Convert.ToHexString(ours)}").Append($"\n  Python: {Convert.ToHexString(theirs)}");
        }

        return text.ToString();
    }
}
