using System.Net;
using System.Net.Sockets;

namespace GameSignals.Core.Tests.Notifications;

/// <summary>An <see cref="HttpListener"/> on a free port of 127.0.0.1, standing in for a push provider.</summary>
internal static class LoopbackListener
{
    public static (HttpListener Listener, Uri Root) Start()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var root = new Uri($"http://127.0.0.1:{port}/");
        var listener = new HttpListener();
        listener.Prefixes.Add(root.ToString());
        listener.Start();
        return (listener, root);
    }
}
