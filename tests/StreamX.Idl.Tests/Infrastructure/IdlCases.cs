using System.Text.RegularExpressions;

namespace StreamX.Idl.Tests.Infrastructure;

/// <summary>
/// The IDL files the tests walk, as case ids: <c>idl-corpus/...</c> (relative to shared/) and
/// <c>idl/...</c> (relative to the repository). Each list is read from disk at test time.
/// </summary>
public static class IdlCases
{
    /// <summary>Corpus files that must compile: valid/ and streaming/.</summary>
    public static IReadOnlyList<string> CorpusValid => CorpusFolder("valid").Concat(CorpusFolder("streaming")).ToArray();

    /// <summary>Corpus files that use Kitex streaming annotations.</summary>
    public static IReadOnlyList<string> CorpusStreaming => CorpusFolder("streaming");

    /// <summary>Corpus files that must be rejected.</summary>
    public static IReadOnlyList<string> CorpusInvalid => CorpusFolder("invalid");

    /// <summary>Hand-written valid files under idl/testdata/valid (every file, included ones too).</summary>
    public static IReadOnlyList<string> TestDataValid => RepoFolder(Path.Combine("idl", "testdata", "valid"));

    /// <summary>
    /// Hand-written invalid entry files under idl/testdata/invalid: files whose first line is a
    /// <c># expect:</c> line. Other files there are only included by an entry.
    /// </summary>
    public static IReadOnlyList<string> TestDataInvalidEntries =>
        TestDataInvalidAll.Where(id => File.ReadLines(Repo.Resolve(id)).FirstOrDefault()?.StartsWith(Expectation.Marker, StringComparison.Ordinal) == true).ToArray();

    /// <summary>Every file under idl/testdata/invalid.</summary>
    public static IReadOnlyList<string> TestDataInvalidAll => RepoFolder(Path.Combine("idl", "testdata", "invalid"));

    /// <summary>The example IDL files.</summary>
    public static IReadOnlyList<string> Examples => RepoFolder(Path.Combine("idl", "examples"));

    /// <summary>Wraps ids for <c>[MemberData]</c>.</summary>
    public static IEnumerable<object[]> AsData(IEnumerable<string> ids) => ids.Select(id => new object[] { new IdlCase(id) });

    /// <summary>Files of one corpus folder, as <c>idl-corpus/&lt;folder&gt;/...</c>.</summary>
    public static IReadOnlyList<string> CorpusFolder(string folder) =>
        Repo.Files(Path.Combine(Repo.Corpus, folder), Repo.Shared);

    private static IReadOnlyList<string> RepoFolder(string relative) =>
        Repo.Files(Path.Combine(Repo.Root, relative), Repo.Root);
}

/// <summary>A place where an error is expected: a file (null = the entry itself) and a 1-based line.</summary>
public sealed record ExpectedLocation(string? File, int Line)
{
    /// <inheritdoc />
    public override string ToString() => File is null ? $"line {Line}" : $"{File}:{Line}";
}

/// <summary>
/// One <c># expect: SXnnnn[|SXnnnn] at [file:]LINE[ or [file:]LINE]</c> header line of an invalid
/// testdata file: an error with one of <see cref="Ids"/> must be reported at one of <see cref="Locations"/>
/// (a file name is relative to the entry's folder; without one the entry itself is meant).
/// </summary>
public sealed partial record Expectation(IReadOnlyList<string> Ids, IReadOnlyList<ExpectedLocation> Locations, string Text)
{
    /// <summary>The prefix of an expectation line.</summary>
    public const string Marker = "# expect:";

    /// <summary>Reads the leading <c># expect:</c> lines of a file.</summary>
    public static IReadOnlyList<Expectation> Read(string path)
    {
        var result = new List<Expectation>();
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith(Marker, StringComparison.Ordinal))
            {
                break;
            }

            result.Add(Parse(line));
        }

        return result;
    }

    /// <summary>Parses one header line; throws with a clear message when it is malformed.</summary>
    public static Expectation Parse(string line)
    {
        var m = HeaderRegex().Match(line);
        if (!m.Success)
        {
            throw new FormatException($"malformed expectation '{line}': expected '# expect: SXnnnn[|SXnnnn] at [file:]LINE[ or [file:]LINE]'");
        }

        var ids = m.Groups["ids"].Value.Split('|');
        var locations = m.Groups["locs"].Value.Split(" or ", StringSplitOptions.TrimEntries)
            .Select(loc =>
            {
                var colon = loc.LastIndexOf(':');
                return colon < 0
                    ? new ExpectedLocation(null, int.Parse(loc, System.Globalization.CultureInfo.InvariantCulture))
                    : new ExpectedLocation(loc[..colon], int.Parse(loc[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            })
            .ToArray();
        return new Expectation(ids, locations, line);
    }

    [GeneratedRegex(@"^# expect: (?<ids>SX\d{4}(\|SX\d{4})*) at (?<locs>([\w.\-/]+:)?\d+( or ([\w.\-/]+:)?\d+)*)\s*$")]
    private static partial Regex HeaderRegex();
}

/// <summary>
/// A case id as a theory argument. xunit 2 cuts string arguments after 50 characters in test
/// names, which would give many corpus files the same name; this type shows the whole id and is
/// serializable, so each file is its own, fully named test case.
/// </summary>
public sealed class IdlCase : Xunit.Abstractions.IXunitSerializable
{
    /// <summary>For the xunit deserializer.</summary>
    public IdlCase()
    {
    }

    /// <summary>Wraps a case id.</summary>
    public IdlCase(string id) => Id = id;

    /// <summary>The case id (see <see cref="Repo.Resolve"/>).</summary>
    public string Id { get; private set; } = string.Empty;

    /// <summary>The absolute path of the file.</summary>
    public string Path => Repo.Resolve(Id);

    /// <inheritdoc />
    public void Deserialize(Xunit.Abstractions.IXunitSerializationInfo info) => Id = info.GetValue<string>("id");

    /// <inheritdoc />
    public void Serialize(Xunit.Abstractions.IXunitSerializationInfo info) => info.AddValue("id", Id);

    /// <inheritdoc />
    public override string ToString() => Id;
}
