using System.Net;
using Microsoft.Extensions.Hosting;

namespace StreamX.Hosting;

/// <summary>
/// A StreamX listener run by the host (<see cref="StreamXBuilder.ListenTTHeader"/>, <see cref="StreamXBuilder.ListenGrpc"/>):
/// started with the host, stopped with it after the dispatcher's graceful stop. Resolve
/// <c>IEnumerable&lt;StreamXHostedServer&gt;</c> to find where each one listens.
/// </summary>
public sealed class StreamXHostedServer : IHostedService
{
    private readonly Func<StreamXDispatcher, CancellationToken, Task<(IPEndPoint EndPoint, Func<CancellationToken, Task> Stop, Func<ValueTask> Dispose)>> _start;
    private StreamXDispatcher? _dispatcher;
    private Func<CancellationToken, Task>? _stop;
    private Func<ValueTask>? _dispose;

    internal StreamXHostedServer(string name, Func<StreamXDispatcher, CancellationToken, Task<(IPEndPoint EndPoint, Func<CancellationToken, Task> Stop, Func<ValueTask> Dispose)>> start)
    {
        Name = name;
        _start = start;
    }

    /// <summary>What it serves and where it was asked to listen, for logs: <c>ttheader 0.0.0.0:8888</c>, <c>grpc 127.0.0.1:0</c>.</summary>
    public string Name { get; }

    /// <summary>Where it listens (the real port when port 0 was asked for); null until the host has started it.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    internal void Attach(StreamXDispatcher dispatcher) => _dispatcher = dispatcher;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var dispatcher = _dispatcher ?? throw new InvalidOperationException($"StreamX listener {Name} was not created by the host.");
        var (endPoint, stop, dispose) = await _start(dispatcher, cancellationToken).ConfigureAwait(false);
        (LocalEndPoint, _stop, _dispose) = (endPoint, stop, dispose);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop is null || _dispose is null)
        {
            return;
        }

        // The dispatcher has already stopped (StreamXDispatcherLifetime.StoppingAsync): this closes the connections.
        await _stop(cancellationToken).ConfigureAwait(false);
        await _dispose().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => LocalEndPoint is null ? Name : $"{Name} (listening on {LocalEndPoint})";
}
