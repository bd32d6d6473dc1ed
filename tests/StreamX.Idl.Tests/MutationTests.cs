using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using StreamX.Idl.Diagnostics;
using StreamX.Idl.Semantics;
using StreamX.Idl.Tests.Infrastructure;
using Xunit.Abstractions;

namespace StreamX.Idl.Tests;

/// <summary>
/// Robustness: <see cref="IdlCompiler.Compile"/> must return (never throw, never hang) for any
/// input, and report errors with real locations. Seeded random corruptions of every corpus and
/// testdata file, plus explicit hostile inputs. Every case runs on its own thread with a timeout.
/// Reproduce one case with STREAMX_MUTATION_CASE=&lt;index&gt;; change the amount with
/// STREAMX_MUTATION_CASES=&lt;count&gt;. Failing inputs are written to the temp folder.
/// </summary>
[Trait("Category", "Slow")]
public sealed class MutationTests
{
    private const int Seed = 20_251_121;
    private const int DefaultCaseCount = 10_000;
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(10);
    private static readonly Lazy<IReadOnlyDictionary<string, byte[]>> Sources = new(LoadSources);

    private static readonly string[] Tokens =
    [
        "{", "}", "<", ">", "\"", "'", "/*", "*/", "[", "]", "(", ")", ",", ";", ":", "=", "&", "-", "+", ".", "\\",
        "struct ", "service ", "extends ", "include \"", "typedef ", "enum ", "const ", "oneway ", "throws ",
        "list<", "map<", "set<", "0x", "99999999999999999999", "-", "(streaming.mode=\"server\")", "1:", "\n",
    ];

    private readonly ITestOutputHelper _output;

    public MutationTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void SeededCorruptionsOfRealIdlNeverThrowOrHang()
    {
        var sources = Sources.Value;
        var files = sources.Keys.Order(StringComparer.Ordinal).ToArray();
        Assert.True(files.Length >= 100, $"only {files.Length} seed files found");

        var only = Environment.GetEnvironmentVariable("STREAMX_MUTATION_CASE");
        var count = int.TryParse(Environment.GetEnvironmentVariable("STREAMX_MUTATION_CASES"), out var n) ? n : DefaultCaseCount;
        var indices = only is not null ? new[] { int.Parse(only, System.Globalization.CultureInfo.InvariantCulture) } : Enumerable.Range(0, count).ToArray();

        var failures = new ConcurrentBag<string>();
        var slowest = new ConcurrentBag<(TimeSpan Elapsed, string Case)>();
        var errorsSeen = 0;
        var idsSeen = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        Parallel.ForEach(indices, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var random = new Random(unchecked((Seed * 7919) + (i * 104_729)));
            var file = files[i % files.Length];
            var (bytes, description) = Mutate(sources[file], random, file);
            var caseName = $"case {i} ({file}: {description})";

            var provider = new InMemorySourceProvider();
            foreach (var (path, content) in sources)
            {
                provider.Add(path, content);
            }

            provider.Add(file, bytes);
            var run = TestIdl.Run(new IdlCompileRequest([file], ["idl-corpus/nonstandard/fbthrift"], provider), CaseTimeout);
            slowest.Add((run.Elapsed, caseName));
            var problem = run.Failure ?? CheckContract(run.Compilation!);
            if (run.Compilation?.HasErrors == true)
            {
                Interlocked.Increment(ref errorsSeen);
                foreach (var id in run.Compilation.Diagnostics.Select(d => d.Id).Distinct())
                {
                    idsSeen.AddOrUpdate(id, 1, (_, c) => c + 1);
                }
            }

            if (problem is not null)
            {
                var saved = Path.Combine(Path.GetTempPath(), "streamx-mutations", $"case-{i}.thrift");
                Directory.CreateDirectory(Path.GetDirectoryName(saved)!);
                File.WriteAllBytes(saved, bytes);
                failures.Add($"{caseName}: {problem}\n    input saved to {saved}");
            }
        });

        _output.WriteLine($"{indices.Length} cases in {watch.Elapsed.TotalSeconds:0.0} s, {errorsSeen} with errors");
        _output.WriteLine("cases reporting each diagnostic: " + string.Join(", ", idsSeen.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));
        _output.WriteLine("slowest:");
        foreach (var (elapsed, name) in slowest.OrderByDescending(s => s.Elapsed).Take(5))
        {
            _output.WriteLine($"  {elapsed.TotalMilliseconds:0} ms {name}");
        }

        Assert.True(failures.IsEmpty, $"{failures.Count} of {indices.Length} mutated inputs broke the contract (seed {Seed}); first ones:\n" + string.Join("\n", failures.Take(20)));
        Assert.True(only is not null || errorsSeen > indices.Length / 4, $"only {errorsSeen} of {indices.Length} mutations were rejected: the mutator is too gentle");
    }

    [Fact]
    public void TenThousandNestedListTypes()
    {
        var text = "struct S {\n  1: " + string.Concat(Enumerable.Repeat("list<", 10_000)) + "i32" + new string('>', 10_000) + " deep\n}\n";
        var compilation = MustHoldContract(TestIdl.CompileText(text, timeout: CaseTimeout), "10,000 nested list<");
        AssertHasError(compilation, "SX1008");
    }

    [Fact]
    public void TenThousandNestedListTypesUnclosed()
    {
        var text = "struct S {\n  1: " + string.Concat(Enumerable.Repeat("list<", 10_000));
        var compilation = MustHoldContract(TestIdl.CompileText(text, timeout: CaseTimeout), "10,000 unclosed list<");
        Assert.True(compilation.HasErrors);
    }

    [Fact]
    public void TenThousandNestedListConstants()
    {
        var text = "const list<i32> DEEP = " + new string('[', 10_000) + new string(']', 10_000) + "\n";
        var compilation = MustHoldContract(TestIdl.CompileText(text, timeout: CaseTimeout), "10,000 nested [ in a const");
        AssertHasError(compilation, "SX1008");
    }

    [Fact]
    public void TenThousandNestedMapConstantsUnclosed()
    {
        var text = "const map<i32,i32> DEEP = " + string.Concat(Enumerable.Repeat("{1:", 10_000));
        var compilation = MustHoldContract(TestIdl.CompileText(text, timeout: CaseTimeout), "10,000 unclosed {1:");
        Assert.True(compilation.HasErrors);
    }

    [Fact]
    public void HundredMegabyteFileIsRejectedWithoutReadingItAll()
    {
        var block = Encoding.UTF8.GetBytes("struct Repeated { 1: i32 a, 2: string b }\n");
        var bytes = Repeat(block, 100 * 1024 * 1024);
        var run = TestIdl.Run(new IdlCompileRequest(["huge.thrift"], null, new InMemorySourceProvider().Add("huge.thrift", bytes)), TimeSpan.FromSeconds(20));
        var compilation = MustHoldContract(run, "100 MB of struct definitions");
        AssertHasError(compilation, "SX9002");
        _output.WriteLine($"100 MB file: {run.Elapsed.TotalMilliseconds:0} ms, {run.AllocatedBytes / 1024 / 1024} MB allocated by the compiling thread");
        Assert.True(run.AllocatedBytes < 48L * 1024 * 1024, $"compiling a 100 MB file (limit 16 MiB) allocated {run.AllocatedBytes / 1024 / 1024} MB");
    }

    [Fact]
    public void HundredMegabytesOfGarbageIsRejectedWithoutReadingItAll()
    {
        var bytes = new byte[100 * 1024 * 1024];
        new Random(Seed).NextBytes(bytes);
        var run = TestIdl.Run(new IdlCompileRequest(["garbage.bin"], null, new InMemorySourceProvider().Add("garbage.bin", bytes)), TimeSpan.FromSeconds(20));
        var compilation = MustHoldContract(run, "100 MB of random bytes");
        Assert.True(compilation.HasErrors);
        Assert.True(run.AllocatedBytes < 48L * 1024 * 1024, $"compiling a 100 MB file (limit 16 MiB) allocated {run.AllocatedBytes / 1024 / 1024} MB");
    }

    [Fact]
    public void FileJustOverTheLimitIsTooLarge()
    {
        var request = new IdlCompileRequest(["big.thrift"], null, new InMemorySourceProvider().Add("big.thrift", new string(' ', 4097)))
        {
            MaxFileBytes = 4096,
        };
        AssertHasError(MustHoldContract(TestIdl.Run(request, CaseTimeout), "4097 bytes with a 4096-byte limit"), "SX9002");
    }

    [Fact]
    public void BinaryGarbageIsNotText()
    {
        var bytes = new byte[64 * 1024];
        new Random(Seed + 1).NextBytes(bytes);
        bytes[10] = 0;
        var compilation = MustHoldContract(Run("garbage.thrift", bytes), "64 KB of random bytes");
        AssertHasError(compilation, "SX9004");
    }

    [Fact]
    public void NulByteInOtherwiseValidIdlIsNotText()
    {
        var bytes = Encoding.UTF8.GetBytes("struct S {\n  1: i32 a\u0000\n}\n");
        AssertHasError(MustHoldContract(Run("nul.thrift", bytes), "a NUL byte"), "SX9004");
    }

    [Fact]
    public void InvalidUtf8IsNotText()
    {
        var bytes = Encoding.UTF8.GetBytes("struct S {\n  1: i32 a // caf").Concat(new byte[] { 0xC3, 0x28, 0xFF, 0xFE }).Concat(Encoding.UTF8.GetBytes("\n}\n")).ToArray();
        AssertHasError(MustHoldContract(Run("latin.thrift", bytes), "invalid UTF-8"), "SX9004");
    }

    [Fact]
    public void Utf16IsNotText()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("struct S {\n  1: i32 a\n}\n")).ToArray();
        AssertHasError(MustHoldContract(Run("utf16.thrift", bytes), "UTF-16 text"), "SX9004");
    }

    [Fact]
    public void Utf8ByteOrderMarkIsAccepted()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("struct S {\n  1: i32 a\n}\n")).ToArray();
        var compilation = MustHoldContract(Run("bom.thrift", bytes), "a UTF-8 BOM");
        Assert.False(compilation.HasErrors, TestIdl.Format(compilation.Diagnostics));
    }

    [Fact]
    public void EmptyFileIsValid()
    {
        var compilation = MustHoldContract(Run("empty.thrift", []), "an empty file");
        Assert.False(compilation.HasErrors, TestIdl.Format(compilation.Diagnostics));
    }

    [Fact]
    public void MissingFileIsADiagnostic()
    {
        var run = TestIdl.Run(new IdlCompileRequest(["no/such/file.thrift"], null, new InMemorySourceProvider()), CaseTimeout);
        AssertHasError(MustHoldContract(run, "a missing root file"), "SX9001");
    }

    [Fact]
    public void IncludeLoopIsReported()
    {
        var provider = new InMemorySourceProvider()
            .Add("a.thrift", "include \"b.thrift\"\nstruct A { 1: b.B b }\n")
            .Add("b.thrift", "include \"a.thrift\"\nstruct B { 1: i32 x }\n");
        var compilation = MustHoldContract(TestIdl.Run(new IdlCompileRequest(["a.thrift"], null, provider), CaseTimeout), "a includes b includes a");
        AssertHasError(compilation, "SX2002");
    }

    [Fact]
    public void SelfIncludeIsReported()
    {
        var provider = new InMemorySourceProvider().Add("self.thrift", "include \"self.thrift\"\nstruct S { 1: i32 x }\n");
        var compilation = MustHoldContract(TestIdl.Run(new IdlCompileRequest(["self.thrift"], null, provider), CaseTimeout), "self-include");
        AssertHasError(compilation, "SX2002");
    }

    [Fact]
    public void IncludeChainFiveHundredDeepCompiles()
    {
        const int depth = 500;
        var provider = new InMemorySourceProvider();
        for (var i = 0; i < depth; i++)
        {
            var text = i == depth - 1
                ? $"struct S{i} {{ 1: i32 leaf }}\n"
                : $"include \"f{i + 1}.thrift\"\nstruct S{i} {{ 1: f{i + 1}.S{i + 1} next }}\n";
            provider.Add($"f{i}.thrift", text);
        }

        var compilation = MustHoldContract(TestIdl.Run(new IdlCompileRequest(["f0.thrift"], null, provider), TimeSpan.FromSeconds(30)), "an include chain 500 deep");
        Assert.False(compilation.HasErrors, TestIdl.Format(compilation.Diagnostics));
        Assert.Equal(depth, compilation.Model!.Files.Length);
    }

    [Fact]
    public void IncludeLoopThroughALongChainIsReported()
    {
        const int depth = 200;
        var provider = new InMemorySourceProvider();
        for (var i = 0; i < depth; i++)
        {
            provider.Add($"f{i}.thrift", $"include \"f{(i + 1) % depth}.thrift\"\nstruct S{i} {{ 1: i32 x }}\n");
        }

        var compilation = MustHoldContract(TestIdl.Run(new IdlCompileRequest(["f0.thrift"], null, provider), TimeSpan.FromSeconds(30)), "a 200-file include ring");
        AssertHasError(compilation, "SX2002");
    }

    [Fact]
    public void TooManyIncludedFilesIsReported()
    {
        var provider = new InMemorySourceProvider();
        var root = new StringBuilder();
        for (var i = 0; i < 40; i++)
        {
            root.Append(CultureInvariant($"include \"f{i}.thrift\"\n"));
            provider.Add($"f{i}.thrift", $"struct S{i} {{ 1: i32 x }}\n");
        }

        provider.Add("root.thrift", root.ToString());
        var request = new IdlCompileRequest(["root.thrift"], null, provider) { MaxFiles = 20 };
        AssertHasError(MustHoldContract(TestIdl.Run(request, CaseTimeout), "40 includes with a 20-file limit"), "SX9005");
    }

    [Fact]
    public void TwoHundredThousandSemicolons()
    {
        var compilation = MustHoldContract(TestIdl.CompileText(new string(';', 200_000), timeout: CaseTimeout), "200k ';'");
        Assert.True(compilation.HasErrors);
        var perFile = compilation.Diagnostics.Count(d => d.IsError);
        Assert.True(perFile <= 101, $"{perFile} errors reported for one file; the limit is 100 (+1 'too many errors')");
    }

    [Fact]
    public void TooManyErrorsAreCapped()
    {
        // 300 fields of unknown types: 300 independent semantic errors in one file.
        var sb = new StringBuilder("struct S {\n");
        for (var i = 1; i <= 300; i++)
        {
            sb.Append(CultureInvariant($"  {i}: Unknown{i} f{i}\n"));
        }

        sb.Append("}\n");
        var compilation = MustHoldContract(TestIdl.CompileText(sb.ToString(), timeout: CaseTimeout), "300 unknown types");
        var errors = compilation.Diagnostics.Count(d => d.IsError);
        Assert.True(errors <= 101, $"{errors} errors reported for one file; the limit is 100 (+1 'too many errors')");
        AssertHasError(compilation, "SX9003");
    }

    [Fact]
    public void OneMegabyteIdentifierAndString()
    {
        var name = "A" + new string('b', 1024 * 1024);
        var text = $"struct {name} {{ 1: i32 x }}\nconst string LONG = \"{new string('x', 1024 * 1024)}\"\nconst string OPEN = \"{new string('y', 1024 * 1024)}\n";
        var compilation = MustHoldContract(TestIdl.CompileText(text, timeout: CaseTimeout), "1 MB identifier and strings");
        AssertHasError(compilation, "SX1003");
    }

    [Fact]
    public void ManyDistinctDefinitionsCompile()
    {
        // 1 MB of distinct structs, enums and a service using them: guards against quadratic binding.
        var sb = new StringBuilder();
        var i = 0;
        while (sb.Length < 1024 * 1024)
        {
            sb.Append(CultureInvariant($"enum E{i} {{ A = 1, B = 2 }}\nstruct S{i} {{ 1: E{i} e = E{i}.B, 2: list<S{i}> children, 3: optional string name }}\n"));
            i++;
        }

        sb.Append("service Big {\n");
        for (var j = 0; j < 2000; j++)
        {
            sb.Append(CultureInvariant($"  S{j % i} m{j}(1: S{j % i} s)\n"));
        }

        sb.Append("}\n");
        var compilation = MustHoldContract(TestIdl.CompileText(sb.ToString(), timeout: TimeSpan.FromSeconds(60)), $"{i} structs and enums in 1 MB");
        Assert.False(compilation.HasErrors, TestIdl.Format(compilation.Diagnostics.Take(20)));
    }

    /// <summary>
    /// The contract every returned compilation must keep: Model is null exactly when there are
    /// errors; a compilation with errors has an error at a real line; every location is 1-based;
    /// diagnostics are grouped by file and ordered by line and column within it; no file reports
    /// more than MaxErrorsPerFile errors plus the one that says so.
    /// </summary>
    private static string? CheckContract(IdlCompilation compilation)
    {
        var diagnostics = compilation.Diagnostics;
        if (compilation.HasErrors != (compilation.Model is null))
        {
            return $"HasErrors={compilation.HasErrors} but Model is {(compilation.Model is null ? "null" : "set")}\n{TestIdl.Format(diagnostics)}";
        }

        if (compilation.HasErrors && !diagnostics.Any(d => d.IsError && d.Span.StartLine >= 1))
        {
            return "has errors, but none with a line >= 1:\n" + TestIdl.Format(diagnostics);
        }

        var bad = diagnostics.FirstOrDefault(d => d.Span.StartLine < 1 || d.Span.StartColumn < 1);
        if (bad is not null)
        {
            return $"diagnostic with a location that is not 1-based: line {bad.Span.StartLine}, column {bad.Span.StartColumn}: {bad}";
        }

        var seenPaths = new HashSet<string>(StringComparer.Ordinal);
        for (var k = 0; k < diagnostics.Length; k++)
        {
            var d = diagnostics[k];
            if (k > 0 && diagnostics[k - 1].Span.Path == d.Span.Path)
            {
                var p = diagnostics[k - 1].Span;
                if (p.StartLine > d.Span.StartLine || (p.StartLine == d.Span.StartLine && p.StartColumn > d.Span.StartColumn))
                {
                    return $"diagnostics not ordered by line and column: '{diagnostics[k - 1]}' before '{d}'";
                }
            }
            else if (!seenPaths.Add(d.Span.Path ?? string.Empty))
            {
                return $"diagnostics of '{d.Span.Path}' are not grouped together:\n{TestIdl.Format(diagnostics)}";
            }
        }

        var flooded = diagnostics.Where(d => d.IsError).GroupBy(d => d.Span.Path).FirstOrDefault(g => g.Count() > 101);
        if (flooded is not null)
        {
            return $"{flooded.Count()} errors reported for '{flooded.Key}' (limit 100 plus SX9003)";
        }

        return null;
    }

    private static IdlCompilation MustHoldContract(CompileRun run, string what)
    {
        var compilation = TestIdl.MustReturn(run, what);
        var problem = CheckContract(compilation);
        Assert.True(problem is null, $"{what}: {problem}");
        return compilation;
    }

    private static void AssertHasError(IdlCompilation compilation, string id) =>
        Assert.True(
            compilation.Diagnostics.Any(d => d.IsError && d.Id == id),
            $"expected an error {id}; got:\n{TestIdl.Format(compilation.Diagnostics.Take(30))}");

    private static CompileRun Run(string path, byte[] bytes) =>
        TestIdl.Run(new IdlCompileRequest([path], null, new InMemorySourceProvider().Add(path, bytes)), CaseTimeout);

    private static string CultureInvariant(FormattableString s) => FormattableString.Invariant(s);

    private static byte[] Repeat(byte[] block, int length)
    {
        var bytes = new byte[length];
        var filled = Math.Min(block.Length, length);
        Buffer.BlockCopy(block, 0, bytes, 0, filled);
        while (filled < length)
        {
            var n = Math.Min(filled, length - filled);
            Buffer.BlockCopy(bytes, 0, bytes, filled, n);
            filled += n;
        }

        return bytes;
    }

    /// <summary>Every corpus file (all folders, nonstandard too), testdata and example, by id.</summary>
    private static IReadOnlyDictionary<string, byte[]> LoadSources()
    {
        var ids = IdlCases.CorpusFolder("valid")
            .Concat(IdlCases.CorpusFolder("streaming"))
            .Concat(IdlCases.CorpusFolder("invalid"))
            .Concat(IdlCases.CorpusFolder("nonstandard"))
            .Concat(IdlCases.TestDataValid)
            .Concat(IdlCases.TestDataInvalidAll)
            .Concat(IdlCases.Examples);
        return ids.ToDictionary(id => id, id => File.ReadAllBytes(Repo.Resolve(id)), StringComparer.Ordinal);
    }

    /// <summary>Applies one to three random corruptions; returns the bytes and a description.</summary>
    private static (byte[] Bytes, string Description) Mutate(byte[] original, Random random, string file)
    {
        var bytes = new List<byte>(original);
        var steps = new List<string>();
        var count = random.Next(1, 4);
        for (var s = 0; s < count; s++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            // Weights: most corruptions keep the text valid UTF-8, so that they reach the parser and
            // the binder; a few make it binary (NUL, invalid UTF-8), which the front end rejects early.
            var kind = random.Next(20) switch
            {
                < 3 => 0,   // bit flip
                < 6 => 1,   // delete a span
                < 9 => 2,   // duplicate a span
                9 => 3,     // truncate
                < 15 => 4,  // insert tokens
                < 17 => 6,  // swap lines
                17 => random.Next(2) == 0 ? 7 : 8, // garbage bytes / invalid UTF-8
                18 => 9,    // self-include
                _ => 10,    // unusual Unicode
            };
            switch (kind)
            {
                case 0 when bytes.Count > 0:
                    // Mostly flips that keep ASCII ASCII; one in eight may set the high bit.
                    var bit = (byte)(1 << random.Next(random.Next(8) == 0 ? 8 : 7));
                    bytes[at] ^= bit;
                    steps.Add($"flip bit {bit:x2} at {at}");
                    break;
                case 1 when bytes.Count > 0:
                    var del = Math.Min(random.Next(1, 65), bytes.Count - at);
                    bytes.RemoveRange(at, del);
                    steps.Add($"delete {del} at {at}");
                    break;
                case 2 when bytes.Count > 0:
                    var len = Math.Min(random.Next(1, 201), bytes.Count - at);
                    var span = bytes.GetRange(at, len);
                    var to = random.Next(bytes.Count + 1);
                    bytes.InsertRange(to, span);
                    steps.Add($"duplicate {len} from {at} to {to}");
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    steps.Add($"truncate at {at}");
                    break;
                case 4:
                    var reps = random.Next(1, 6);
                    var token = Tokens[random.Next(Tokens.Length)];
                    for (var r = 0; r < reps; r++)
                    {
                        bytes.InsertRange(bytes.Count == 0 ? 0 : random.Next(bytes.Count + 1), Encoding.UTF8.GetBytes(token));
                    }

                    steps.Add($"insert '{token.Replace("\n", "\\n", StringComparison.Ordinal)}' x{reps}");
                    break;
                case 6:
                    var lines = Encoding.UTF8.GetString(bytes.ToArray()).Split('\n');
                    if (lines.Length > 1)
                    {
                        var a = random.Next(lines.Length);
                        var b = random.Next(lines.Length);
                        (lines[a], lines[b]) = (lines[b], lines[a]);
                        bytes = new List<byte>(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
                        steps.Add($"swap lines {a + 1} and {b + 1}");
                    }

                    break;
                case 7:
                    var garbage = new byte[random.Next(1, 17)];
                    random.NextBytes(garbage);
                    if (random.Next(2) == 0)
                    {
                        garbage[random.Next(garbage.Length)] = 0;
                    }

                    bytes.InsertRange(at, garbage);
                    steps.Add($"insert {garbage.Length} garbage bytes at {at}");
                    break;
                case 8:
                    var invalid = new[] { new byte[] { 0xC0 }, new byte[] { 0xFF }, new byte[] { 0xED, 0xA0, 0x80 }, new byte[] { 0xE2, 0x82 } }[random.Next(4)];
                    bytes.InsertRange(at, invalid);
                    steps.Add($"insert invalid UTF-8 at {at}");
                    break;
                case 9:
                    var self = Path.GetFileName(file);
                    var include = Encoding.UTF8.GetBytes($"include \"{self}\"\n");
                    bytes.InsertRange(0, include);
                    steps.Add("prepend a self-include");
                    break;
                default:
                    var unicode = new[] { "é", "\u2028", "\uFEFF", "𝔘", "\t", "\r", "\r\n", "\u00A0" }[random.Next(8)];
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(unicode));
                    steps.Add($"insert U+{char.ConvertToUtf32(unicode, 0):X4} at {at}");
                    break;
            }
        }

        return (bytes.ToArray(), string.Join("; ", steps));
    }
}
