namespace StreamX.CodeGen.Naming;

/// <summary>
/// Hands out unique member names within one C# type: a wanted name that is taken (by another
/// member, a reserved generated member, or the enclosing type's own name, CS0542) gets
/// <c>_</c> appended until it is free. Deterministic: depends only on the order of requests.
/// </summary>
internal sealed class NameAllocator
{
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    public NameAllocator(IEnumerable<string> reserved)
    {
        foreach (var r in reserved)
        {
            _taken.Add(r);
        }
    }

    public string Allocate(string wanted)
    {
        var name = wanted;
        while (!_taken.Add(name.TrimStart('@')))
        {
            name += "_";
        }

        return name;
    }

    public void Reserve(string name) => _taken.Add(name.TrimStart('@'));
}
