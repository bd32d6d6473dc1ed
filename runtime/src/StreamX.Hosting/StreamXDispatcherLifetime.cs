using Microsoft.Extensions.Hosting;

namespace StreamX.Hosting;

/// <summary>
/// Ties the dispatcher to the host's lifetime: created when the host starts (so a bad binding fails the start), stopped
/// when the host begins to stop. <see cref="IHostedLifecycleService.StoppingAsync"/> runs before any hosted service's
/// <see cref="IHostedService.StopAsync"/>, so handlers are told (12013, "server is shutting down") and given their
/// grace period while Kestrel, whichever host owns it, still has their connections open.
/// </summary>
internal sealed class StreamXDispatcherLifetime(StreamXDispatcher dispatcher) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => dispatcher.StopAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
