using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace GameSignals.Tests.IpRanges;

/// <summary>A real HTTP server on 127.0.0.1 publishing feeds with ETags, answering conditional requests with 304.</summary>
internal sealed class FeedServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, Feed> _feeds = new(StringComparer.Ordinal);
    private readonly Task _serving;

    public FeedServer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUri.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri BaseUri { get; }

    /// <summary>"path status" of every request answered, in order.</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    public Uri Publish(string path, byte[] body, int failuresFirst = 0)
    {
        var version = _feeds.TryGetValue(path, out var old) ? old.Version + 1 : 1;
        _feeds[path] = new Feed(body, version, failuresFirst);
        return new Uri(BaseUri, path);
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the listener was closed under a pending GetContextAsync
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var response = context.Response;
            var path = context.Request.Url!.AbsolutePath.TrimStart('/');
            if (!_feeds.TryGetValue(path, out var feed))
            {
                response.StatusCode = 404;
            }
            else if (feed.FailuresLeft > 0)
            {
                feed.FailuresLeft--;
                response.StatusCode = 503;
            }
            else if (context.Request.Headers["If-None-Match"] == feed.ETag)
            {
                response.StatusCode = 304;
            }
            else
            {
                response.StatusCode = 200;
                response.Headers["ETag"] = feed.ETag;
                response.ContentLength64 = feed.Body.Length;
                await response.OutputStream.WriteAsync(feed.Body).ConfigureAwait(false);
            }

            Log.Enqueue($"{path} {response.StatusCode}");
        }
    }

    private sealed class Feed(byte[] body, int version, int failuresFirst)
    {
        public byte[] Body { get; } = body;

        public int Version { get; } = version;

        public string ETag => $"\"v{Version}\"";

        public int FailuresLeft { get; set; } = failuresFirst;
    }
}
