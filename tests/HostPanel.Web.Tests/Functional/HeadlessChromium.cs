using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HostPanel.Web.Tests.Functional;

/// <summary>
/// Debian's Chromium, headless, driven through its DevTools protocol (one page): enough to load
/// the panel's pages, run their scripts, click, and give the browser a virtual WebAuthn
/// authenticator. Null from <see cref="StartAsync"/> when the machine has no Chromium.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static async Task<HeadlessChromium?> StartAsync(CancellationToken ct)
    {
        var executable = Candidates.FirstOrDefault(File.Exists);
        if (executable is null)
        {
            return null;
        }

        var profile = Directory.CreateTempSubdirectory("hostpanel-chromium-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
            "--remote-debugging-port=0", "--user-data-dir=" + profile, "--window-size=1000,900", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new HeadlessChromium(process, profile);
        try
        {
            var portFile = Path.Combine(profile, "DevToolsActivePort");
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!File.Exists(portFile) || File.ReadAllLines(portFile).Length < 1)
            {
                Assert.True(DateTime.UtcNow < deadline, "Chromium did not open its DevTools port");
                await Task.Delay(100, ct);
            }

            var port = File.ReadAllLines(portFile)[0].Trim();
            using var http = new HttpClient();
            var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list", ct))!.AsArray();
            var page = targets.First(t => (string?)t!["type"] == "page")!;
            await browser._socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), ct);
            await browser.SendAsync("Page.enable", null, ct);
            await browser.SendAsync("Runtime.enable", null, ct);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends one DevTools command and returns its result (events in between are skipped).</summary>
    public async Task<JsonNode?> SendAsync(string method, object? parameters, CancellationToken ct)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
        await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, ct);
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var received = new MemoryStream();
            WebSocketReceiveResult part;
            do
            {
                part = await _socket.ReceiveAsync(buffer, ct);
                received.Write(buffer, 0, part.Count);
            }
            while (!part.EndOfMessage);

            var answer = JsonNode.Parse(Encoding.UTF8.GetString(received.ToArray()))!;
            if ((int?)answer["id"] != id)
            {
                continue;
            }

            Assert.True(answer["error"] is null, $"{method}: {answer["error"]?.ToJsonString()}");
            return answer["result"];
        }
    }

    /// <summary>Runs <paramref name="expression"/> in the page (awaiting a promise) and returns its value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, CancellationToken ct)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, awaitPromise = true, returnByValue = true }, ct);
        Assert.True(result?["exceptionDetails"] is null, $"{expression}: {result?["exceptionDetails"]?.ToJsonString()}");
        return result?["result"]?["value"];
    }

    public async Task NavigateAsync(string url, CancellationToken ct)
    {
        await SendAsync("Page.navigate", new { url }, ct);
        await WaitForAsync($"location.href === {JsonSerializer.Serialize(url)} && document.readyState === 'complete'", ct);
    }

    /// <summary>Waits until <paramref name="condition"/> (JavaScript) is true in the page, for up to 20 seconds.</summary>
    public async Task WaitForAsync(string condition, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            JsonNode? value = null;
            try
            {
                value = await EvaluateAsync($"(() => {{ try {{ return !!({condition}); }} catch {{ return false; }} }})()", ct);
            }
            catch (Xunit.Sdk.XunitException)
            {
                // The page is changing (a navigation destroyed the context): try again.
            }

            if (value?.GetValue<bool>() == true)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"still not true after 20 s: {condition}; the page is {await EvaluateAsync("location.href", ct)}");
            await Task.Delay(100, ct);
        }
    }

    /// <summary>The page as a PNG.</summary>
    public async Task<byte[]> ScreenshotAsync(CancellationToken ct) =>
        Convert.FromBase64String((string)(await SendAsync("Page.captureScreenshot", new { format = "png" }, ct))!["data"]!);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await SendAsync("Browser.close", null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException or Xunit.Sdk.XunitException or OperationCanceledException)
        {
            // Closing anyway below.
        }

        _socket.Dispose();
        if (!_process.WaitForExit(5000))
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be writing its profile; the temporary folder is not worth failing for.
        }
    }
}
