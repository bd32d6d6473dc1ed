namespace StreamX.Idl.Semantics;

internal sealed class ModelBuilder
{
    private readonly IdlCompileRequest _request;

    public ModelBuilder(IdlCompileRequest request) => _request = request;

    public IdlCompilation Build() => throw new InvalidOperationException(_request.ToString());
}
