using StreamX.Idl.Tests.Infrastructure;

namespace StreamX.Idl.Tests;

/// <summary>
/// A second judge: the real Apache Thrift compiler 0.17 (Debian's <c>thrift-compiler</c>; build/ci.sh
/// installs it) must accept exactly the files our front end accepts, except for the explicit list
/// of known differences below, where the corpus (what real projects use) wins over 0.17. Every
/// listed difference is also checked to still be a difference, so the list cannot rot.
/// Without <c>thrift</c> on PATH these tests fail; they never skip.
/// See <see cref="ApacheThrift"/> for the command line and why.
/// </summary>
public sealed class ThriftCompilerJudgeTests
{
    private static readonly TimeSpan ThriftTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Files 0.17 never finishes: a short timeout suffices (it takes ~0.1 s on real files).</summary>
    private static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(3);

    private static readonly Lazy<Task> Prefetch = new(() => Task.Run(() =>
        Parallel.ForEach(AllCases(), new ParallelOptions { MaxDegreeOfParallelism = 2 }, id => RunThrift(id))));

    /// <summary>
    /// Where Apache Thrift 0.17 and the expected verdict differ, and why. For "0.17 rejects" the
    /// file is valid (our front end must accept it); for "0.17 accepts" the file is invalid (ours
    /// must reject it); "0.17 crashes"/"0.17 hangs" give no verdict at all.
    /// </summary>
    private static readonly Dictionary<string, (ThriftVerdict Thrift, string Reason)> KnownDifferences = new(StringComparer.Ordinal)
    {
        // ---- idl-corpus/valid: valid IDL that 0.17 rejects ----
        ["idl-corpus/valid/apache-cassandra/interface/cassandra.thrift"] = Rejects(
            "bare enum value as a default (`consistency_level=ONE`, line 342): 0.17 requires `ConsistencyLevel.ONE` ('identifier ONE is unqualified'); older Apache Thrift and Cassandra itself used it"),
        ["idl-corpus/valid/apache-thrift/compiler/cpp/test/keyword-samples/enum2_return.thrift"] = Rejects(
            "`return` as an enum value name: 0.17's generators reserve it ('Cannot use reserved language keyword'); a generator rule, not a grammar one"),
        ["idl-corpus/valid/apache-thrift/compiler/cpp/test/keyword-samples/service3_return.thrift"] = Rejects(
            "`return` as a method name: reserved by 0.17's generators"),
        ["idl-corpus/valid/apache-thrift/compiler/cpp/test/keyword-samples/struct2_return.thrift"] = Rejects(
            "`return` as a field name: reserved by 0.17's generators (THRIFT-4655); C# escapes it as @return"),
        ["idl-corpus/valid/cloudwego-thriftgo/tests/options/cases/param_name_conflict/a.thrift"] = Rejects(
            "`break` (and `goto`) as argument names: reserved by 0.17's generators; thriftgo accepts them"),
        ["idl-corpus/valid/apache-thrift/lib/java/src/test/resources/JavaTypes.thrift"] = Rejects(
            "uses `uuid`, which 0.17 predates ('Type \"uuid\" not defined')"),
        ["idl-corpus/valid/apache-thrift/lib/java/src/test/resources/JavaDeepCopyTest.thrift"] = Rejects(
            "includes JavaTypes.thrift, which uses `uuid` (0.17 predates it; -r makes 0.17 check included files)"),
        ["idl-corpus/valid/apache-thrift/lib/netstd/Tests/Thrift.Compile.Tests/optional_required_default.thrift"] = Rejects(
            "uses `uuid`, which 0.17 predates"),
        ["idl-corpus/valid/apache-thrift/test/ConstantsDemo.thrift"] = Rejects(
            "uses `uuid` (types and consts), which 0.17 predates"),
        ["idl-corpus/valid/apache-thrift/test/DebugProtoTest.thrift"] = Rejects(
            "uses `uuid`, which 0.17 predates"),
        ["idl-corpus/valid/apache-thrift/test/FuzzTest.thrift"] = Rejects(
            "uses `uuid`, which 0.17 predates"),
        ["idl-corpus/valid/apache-thrift/test/ThriftTest.thrift"] = Rejects(
            "uses `uuid`, which 0.17 predates (test/v0.16/ThriftTest.thrift, without uuid, agrees)"),
        ["idl-corpus/valid/apache-thrift/test/NameConflictTest.thrift"] = Rejects(
            "fields named like base types (`1: i8 i8`, line 120, THRIFT-5626): a syntax error in 0.17, accepted by newer Apache Thrift and thriftgo"),
        ["idl-corpus/valid/cloudwego-kitex-examples/bizdemo/kitex_swagger_gen/idl/openapi.thrift"] = Rejects(
            "a field named `string` (`3: string string`, line 93): a syntax error in 0.17, accepted by thriftgo/Kitex"),
        ["idl-corpus/valid/cloudwego-thriftgo/thrift_reflection/reflection_test_idl.thrift"] = Rejects(
            "forward const reference: default `= MY_CONST` on line 43, const defined on line 62; 0.17 resolves consts in source order"),
        ["idl-corpus/valid/cloudwego-thriftgo/tool/trimmer/test_cases/sample1.thrift"] = Rejects(
            "annotation on a const (`const ... const_abc = 1 (b = \"c\")`, line 22): a syntax error in 0.17, accepted by thriftgo"),
        ["idl-corpus/valid/cloudwego-thriftgo/tool/trimmer/test_cases/sample1b.thrift"] = Rejects(
            "forward references: exception UserException used in a throws clause before it is defined, and const DEFAULT_CODE used before it is defined"),
        ["idl-corpus/valid/thriftrw-go/gen/internal/tests/thrift/enum_conflict.thrift"] = Rejects(
            "a local enum RecordType named like the included enums.RecordType: 0.17 says 'Type \"RecordType\" is already defined' (it keys included types by bare name)"),
        ["idl-corpus/valid/thriftrw-go/gen/internal/tests/thrift/containers.thrift"] = Rejects(
            "includes enum_conflict.thrift and uuid_conflict.thrift (local type named like an included one, see those)"),
        ["idl-corpus/valid/thriftrw-go/gen/internal/tests/thrift/constants.thrift"] = Rejects(
            "includes containers.thrift, which includes enum_conflict.thrift (local type named like an included one)"),
        ["idl-corpus/valid/thriftrw-go/gen/internal/tests/thrift/uuid_conflict.thrift"] = Rejects(
            "a local typedef UUID named like the included typedefs.UUID: 0.17 says 'Type \"UUID\" is already defined'"),
        ["idl-corpus/valid/thriftrw-node/test/const.thrift"] = Rejects(
            "forward const reference (`const i32 tenForward = ten` before `ten`): 0.17 resolves consts in source order"),
        ["idl-corpus/valid/thriftrw-node/test/thrift/AnnotationTest.thrift"] = Rejects(
            "`senum`, removed in 0.17 (THRIFT-5588); StreamX accepts it with warning SX1011"),
        ["idl-corpus/valid/thriftrw-node/test/thrift/SmallTest.thrift"] = Rejects(
            "`senum`, removed in 0.17 (THRIFT-5588); StreamX accepts it with warning SX1011"),

        // ---- idl/testdata/valid: our own valid files that 0.17 rejects (each isolates one feature) ----
        ["idl/testdata/valid/uuid.thrift"] = Rejects("uses `uuid`, which 0.17 predates"),
        ["idl/testdata/valid/keywords.thrift"] = Rejects(
            "type keywords and reserved words as names (`1: string string`, `struct class`, `in`): a syntax error / reserved in 0.17"),
        ["idl/testdata/valid/forward_references.thrift"] = Rejects(
            "forward references to a const, to an exception in throws and to a base service: 0.17 resolves those in source order"),
        ["idl/testdata/valid/legacy.thrift"] = Rejects("`senum`, removed in 0.17 (THRIFT-5588)"),

        // ---- idl/testdata/invalid: errors 0.17 does not check (it warns or says nothing) ----
        ["idl/testdata/invalid/const_out_of_range.thrift"] = Accepts("0.17 does not range-check `const i8 SMALL = 200`"),
        ["idl/testdata/invalid/field_id_out_of_range.thrift"] = Accepts("0.17 only warns 'Field key (32768) exceeds allowed range'"),
        ["idl/testdata/invalid/include_not_found.thrift"] = Accepts("0.17 only warns 'Could not find include file' and carries on"),
        ["idl/testdata/invalid/invalid_double.thrift"] = Accepts("0.17 accepts `1e999` (infinity)"),
        ["idl/testdata/invalid/oneway_returns_value.thrift"] = Accepts("0.17 only warns 'Oneway methods should return void'"),
        ["idl/testdata/invalid/typedef_self.thrift"] = Accepts("0.17 accepts `typedef Loop Loop` when nothing uses it"),
        ["idl/testdata/invalid/streaming_base_type_argument.thrift"] = Accepts("0.17 knows nothing of Kitex streaming.mode rules"),
        ["idl/testdata/invalid/streaming_base_type_result.thrift"] = Accepts("0.17 knows nothing of Kitex streaming.mode rules"),
        ["idl/testdata/invalid/streaming_invalid_mode.thrift"] = Accepts("0.17 knows nothing of Kitex streaming.mode rules"),
        ["idl/testdata/invalid/streaming_multiple_modes.thrift"] = Accepts("0.17 knows nothing of Kitex streaming.mode rules"),
        ["idl/testdata/invalid/streaming_oneway.thrift"] = Accepts("0.17 knows nothing of Kitex streaming.mode rules"),
        ["idl/testdata/invalid/streaming_two_arguments.thrift"] = Accepts("0.17 knows nothing of Kitex streaming.mode rules"),
        ["idl/testdata/invalid/streaming_void_result.thrift"] = Accepts("0.17 knows nothing of Kitex streaming.mode rules"),
        ["idl/testdata/invalid/streaming_zero_arguments.thrift"] = Accepts("0.17 knows nothing of Kitex streaming.mode rules"),

        // ---- idl/testdata/invalid: inputs 0.17 cannot judge at all ----
        ["idl/testdata/invalid/include_cycle/a.thrift"] = (ThriftVerdict.Crashed, "0.17 recurses through the include cycle until it segfaults (exit 139)"),
        ["idl/testdata/invalid/include_self.thrift"] = (ThriftVerdict.Crashed, "0.17 recurses through the self-include until it segfaults (exit 139)"),
        ["idl/testdata/invalid/typedef_container_cycle.thrift"] = (ThriftVerdict.Crashed, "0.17 recurses through `typedef list<Loop> Loop` until it segfaults (exit 139)"),
        ["idl/testdata/invalid/typedef_cycle.thrift"] = (ThriftVerdict.TimedOut, "0.17 loops forever resolving `typedef Second First` / `typedef First Second`"),
        ["idl/testdata/invalid/unterminated_comment.thrift"] = (ThriftVerdict.TimedOut, "0.17's lexer loops forever on a block comment that reaches the end of the file"),
    };

    public ThriftCompilerJudgeTests() => _ = Prefetch.Value;

    public static IEnumerable<object[]> Cases => IdlCases.AsData(AllCases());

    [Fact]
    public void ThriftIsApacheThrift017()
    {
        // The difference list is 0.17's: another version disagrees elsewhere (newer ones know uuid).
        Assert.StartsWith("Thrift version 0.17.", ApacheThrift.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryKnownDifferenceNamesAnExistingCase()
    {
        var cases = AllCases().ToHashSet(StringComparer.Ordinal);
        var stale = KnownDifferences.Keys.Where(k => !cases.Contains(k)).ToArray();
        Assert.True(stale.Length == 0, "known differences for files that are no longer test cases:\n  " + string.Join("\n  ", stale));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ThriftAndStreamXAgree(IdlCase @case)
    {
        var file = @case.Id;
        var path = Repo.Resolve(file);
        var thrift = RunThrift(file);
        var run = TestIdl.CompileFile(path);
        var ours = TestIdl.MustReturn(run, file);
        var oursAccepts = !ours.HasErrors;
        var expectedValid = !file.Contains("/invalid/", StringComparison.Ordinal);
        var context =
            $"{file}\n  {thrift.Describe()}\n  StreamX {(oursAccepts ? "accepts" : "rejects")}:\n{TestIdl.Format(ours.Diagnostics)}\n" +
            $"  command: thrift {string.Join(' ', ApacheThrift.ArgumentsFor(path, "<tmp>"))}";

        if (KnownDifferences.TryGetValue(file, out var known))
        {
            Assert.True(
                thrift.Verdict == known.Thrift,
                $"listed difference no longer holds: 0.17 was expected to give {known.Thrift} ({known.Reason}) but gave {thrift.Verdict}. " +
                $"If 0.17 now agrees, remove the entry.\n{context}");
            var oursExpected = known.Thrift switch
            {
                ThriftVerdict.Rejected => true,
                ThriftVerdict.Accepted => false,
                _ => expectedValid,
            };
            Assert.True(
                oursAccepts == oursExpected,
                $"listed difference ({known.Reason}): StreamX must {(oursExpected ? "accept" : "reject")} this file.\n{context}");
            return;
        }

        Assert.True(
            thrift.Verdict is ThriftVerdict.Accepted or ThriftVerdict.Rejected,
            $"0.17 gave no verdict ({thrift.Verdict}) on a file not listed as a known difference.\n{context}");
        var thriftAccepts = thrift.Verdict == ThriftVerdict.Accepted;
        Assert.True(
            thriftAccepts == oursAccepts,
            $"Apache Thrift 0.17 and StreamX disagree. Either StreamX is wrong, or this is a real 0.17 limitation to add " +
            $"to KnownDifferences with its reason.\n{context}");
    }

    /// <summary>0.17's verdict alone (needs no StreamX front end): each listed difference still holds for 0.17's side.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void ThriftVerdictMatchesTheFolderUnlessListed(IdlCase @case)
    {
        var file = @case.Id;
        var thrift = RunThrift(file);
        var expectedValid = !file.Contains("/invalid/", StringComparison.Ordinal);
        if (KnownDifferences.TryGetValue(file, out var known))
        {
            Assert.True(thrift.Verdict == known.Thrift, $"{file}: 0.17 was listed as {known.Thrift} ({known.Reason}) but gave:\n  {thrift.Describe()}");
            return;
        }

        var expected = expectedValid ? ThriftVerdict.Accepted : ThriftVerdict.Rejected;
        Assert.True(
            thrift.Verdict == expected,
            $"{file} is {(expectedValid ? "valid" : "invalid")} but 0.17 says {thrift.Verdict} and it is not a listed difference:\n  {thrift.Describe()}");
    }

    private static IEnumerable<string> AllCases() =>
        IdlCases.CorpusValid
            .Concat(IdlCases.CorpusInvalid)
            .Concat(IdlCases.TestDataValid)
            .Concat(IdlCases.TestDataInvalidEntries)
            .Concat(IdlCases.Examples);

    private static ThriftResult RunThrift(string file)
    {
        var timeout = KnownDifferences.TryGetValue(file, out var known) && known.Thrift == ThriftVerdict.TimedOut ? HangTimeout : ThriftTimeout;
        return ApacheThrift.Check(Repo.Resolve(file), timeout);
    }

    private static (ThriftVerdict, string) Rejects(string reason) => (ThriftVerdict.Rejected, reason);

    private static (ThriftVerdict, string) Accepts(string reason) => (ThriftVerdict.Accepted, reason);
}
