using StreamX.Transport;

namespace StreamX;

/// <summary>One bound method of a <see cref="ServiceDefinition"/>.</summary>
public abstract class ServerMethod
{
    private protected ServerMethod(string name, StreamingMode mode)
    {
        Name = name;
        Mode = mode;
    }

    /// <summary>The IDL method name.</summary>
    public string Name { get; }

    /// <summary>How it streams.</summary>
    public StreamingMode Mode { get; }
}

/// <summary>A bound client-, server- or bidirectional-streaming method.</summary>
public sealed class StreamingServerMethod : ServerMethod
{
    internal StreamingServerMethod(string name, StreamingMode mode, Func<ServerStreamCore, ServerCallContext, StreamCallInfo, StreamXServerOptions, Task> invoke)
        : base(name, mode) => Invoke = invoke;

    internal Func<ServerStreamCore, ServerCallContext, StreamCallInfo, StreamXServerOptions, Task> Invoke { get; }
}

/// <summary>A bound unary (PingPong) method, taking and returning Kitex's argument and result structs.</summary>
public sealed class UnaryServerMethod : ServerMethod
{
    internal UnaryServerMethod(string name, bool oneway, Func<ReadOnlyMemory<byte>, ServerCallContext, StreamCallInfo, StreamXServerOptions, CancellationToken, Task<ReadOnlyMemory<byte>>> invoke)
        : base(name, StreamingMode.Unary)
    {
        IsOneway = oneway;
        Invoke = invoke;
    }

    /// <summary>True for oneway methods (no reply).</summary>
    public bool IsOneway { get; }

    internal Func<ReadOnlyMemory<byte>, ServerCallContext, StreamCallInfo, StreamXServerOptions, CancellationToken, Task<ReadOnlyMemory<byte>>> Invoke { get; }
}
