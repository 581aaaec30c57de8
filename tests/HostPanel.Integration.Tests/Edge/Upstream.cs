using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HostPanel.Integration.Tests.Edge;

/// <summary>
/// A small app behind the edge, on a free loopback port (Kestrel):
/// <list type="bullet">
/// <item><c>/slow</c> answers after 2 s (<see cref="SlowStarted"/> tells when it got the request);</item>
/// <item><c>/upload</c> reads the whole body and says how long it was;</item>
/// <item><c>/stream?gate=NAME</c> sends "first\n", waits for <see cref="Open"/>(NAME), then "second\n", with a Content-Length;</item>
/// <item><c>/ws</c> accepts a WebSocket and echoes every message;</item>
/// <item>anything else: "NAME PATH host=HOST proto=X-Forwarded-Proto".</item>
/// </list>
/// </summary>
internal sealed class Upstream : IAsyncDisposable
{
    public static readonly TimeSpan SlowDelay = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan GateTimeout = TimeSpan.FromSeconds(20);

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();

    private Upstream(string name, WebApplication app)
    {
        Name = name;
        _app = app;
    }

    public string Name { get; }

    /// <summary>"127.0.0.1:PORT", as an edge route's upstream.</summary>
    public string Address { get; private set; } = "";

    /// <summary>Completed when a request for <c>/slow</c> arrived.</summary>
    public TaskCompletionSource SlowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<Upstream> StartAsync(string name, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var upstream = new Upstream(name, app);
        app.UseWebSockets();
        app.Run(upstream.HandleAsync);
        await app.StartAsync(ct);
        upstream.Address = new Uri(app.Urls.Single()).Authority;
        return upstream;
    }

    /// <summary>Lets the <c>/stream</c> request waiting on <paramref name="gate"/> finish.</summary>
    public void Open(string gate) => Gate(gate).TrySetResult();

    public async ValueTask DisposeAsync()
    {
        foreach (var gate in _gates.Values)
        {
            gate.TrySetResult();
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
    }

    private TaskCompletionSource Gate(string name) =>
        _gates.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        var request = context.Request;
        switch (request.Path.Value)
        {
            case "/slow":
                SlowStarted.TrySetResult();
                await Task.Delay(SlowDelay, ct);
                await context.Response.WriteAsync($"slow answer from {Name}", ct);
                return;
            case "/upload":
                var length = 0L;
                var buffer = new byte[16 * 1024];
                int read;
                while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
                {
                    length += read;
                }

                await context.Response.WriteAsync($"received {length.ToString(CultureInfo.InvariantCulture)} bytes", ct);
                return;
            case "/stream":
                var first = Encoding.UTF8.GetBytes("first\n");
                var second = Encoding.UTF8.GetBytes("second\n");
                context.Response.ContentLength = first.Length + second.Length;
                await context.Response.Body.WriteAsync(first, ct);
                await context.Response.Body.FlushAsync(ct);
                await Gate(request.Query["gate"].ToString()).Task.WaitAsync(GateTimeout, ct);
                await context.Response.Body.WriteAsync(second, ct);
                return;
            case "/ws" when context.WebSockets.IsWebSocketRequest:
                using (var socket = await context.WebSockets.AcceptWebSocketAsync())
                {
                    var message = new byte[4096];
                    while (true)
                    {
                        var result = await socket.ReceiveAsync(message, ct);
                        if (result.MessageType == WebSocketMessageType.Close)
                        {
                            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
                            return;
                        }

                        await socket.SendAsync(message.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, ct);
                    }
                }

            default:
                await context.Response.WriteAsync($"{Name} {request.Path} host={request.Host} proto={request.Headers["X-Forwarded-Proto"]}", ct);
                return;
        }
    }
}
