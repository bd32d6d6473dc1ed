using System.Net;
using System.Net.Sockets;

namespace StreamX.Transport.TTHeader.Tests;

/// <summary>The client's connections: TCP keep-alive as configured (the OS then fails a vanished peer's connection).</summary>
public sealed class DialerTests
{
    private static async Task<Socket> DialAsync(TTHeaderClientOptions options)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var dialed = await new TcpDialer(listener.LocalEndPoint!, options).DialAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        return dialed.Socket;
    }

    [Fact]
    public async Task KeepAlive_IsOnByDefault_WithGosDialerSettings()
    {
        using var socket = await DialAsync(new TTHeaderClientOptions());

        Assert.Equal(1, (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
        Assert.Equal(15, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)!);
        Assert.Equal(15, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval)!);
        Assert.Equal(9, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount)!);
        Assert.True(socket.NoDelay);
    }

    [Fact]
    public async Task KeepAlive_TakesTheConfiguredValues_OrIsOff()
    {
        using (var socket = await DialAsync(new TTHeaderClientOptions { KeepAlive = new TcpKeepAlive(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), 4) }))
        {
            Assert.Equal(5, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)!);
            Assert.Equal(2, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval)!);
            Assert.Equal(4, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount)!);
        }

        using (var socket = await DialAsync(new TTHeaderClientOptions { KeepAlive = null }))
        {
            Assert.Equal(0, (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
        }
    }

    [Fact]
    public void KeepAlive_BelowOneSecond_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new TTHeaderClientOptions { KeepAlive = new TcpKeepAlive(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), 3) }.Validate());
        Assert.StartsWith("KeepAlive needs Time and Interval of at least 1 s", e.Message);
    }
}
