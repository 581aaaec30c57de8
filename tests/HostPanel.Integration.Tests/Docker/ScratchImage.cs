using System.Formats.Tar;
using System.Net.Http.Headers;
using System.Text;
using HostPanel.Integration.Tests.TestWorld;

namespace HostPanel.Integration.Tests.Docker;

/// <summary>
/// An image of this test's own in the test world's registry and not on the engine, so a pull
/// really downloads and extracts without removing images other tests may be using. Its one layer
/// is a few megabytes of seeded random bytes: the same blob every run, which the registry keeps once.
/// </summary>
internal static class ScratchImage
{
    private const int LayerBytes = 3 * 1024 * 1024;

    /// <summary>Pushes a fresh repository holding the scratch image and removes it from the engine; returns its reference.</summary>
    public static async Task<string> PushAsync(CancellationToken ct)
    {
        var repository = $"{World.Registry}/hostpanel-test/{World.UniqueName("pull")}";
        var reference = $"{repository}:1";
        using var raw = World.RawEngine();
        raw.Timeout = TimeSpan.FromSeconds(60);

        using (var layer = new ByteArrayContent(Layer()))
        {
            layer.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
            using var imported = await raw.PostAsync($"/images/create?fromSrc=-&repo={Uri.EscapeDataString(repository)}&tag=1", layer, ct);
            await EnsureStreamSucceededAsync(imported, "import", ct);
        }

        using (var push = new HttpRequestMessage(HttpMethod.Post, $"/images/{repository}/push?tag=1"))
        {
            push.Headers.Add("X-Registry-Auth", Convert.ToBase64String(Encoding.UTF8.GetBytes("{}")));
            using var pushed = await raw.SendAsync(push, ct);
            await EnsureStreamSucceededAsync(pushed, "push", ct);
        }

        using (var removed = await raw.DeleteAsync($"/images/{reference}", ct))
        {
            Assert.True(removed.IsSuccessStatusCode, $"remove {reference}: {(int)removed.StatusCode}");
        }

        return reference;
    }

    public static async Task RemoveAsync(string reference)
    {
        using var raw = World.RawEngine();
        using var _ = await raw.DeleteAsync($"/images/{reference}?force=true", CancellationToken.None);
    }

    private static byte[] Layer()
    {
        var payload = new byte[LayerBytes];
        new Random(20240501).NextBytes(payload);
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            var entry = new UstarTarEntry(TarEntryType.RegularFile, "payload.bin")
            {
                DataStream = new MemoryStream(payload),
                ModificationTime = new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero),
                Mode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            };
            writer.WriteEntry(entry);
        }

        return tar.ToArray();
    }

    /// <summary>The engine reports import and push failures inside a 200 response's message stream.</summary>
    private static async Task EnsureStreamSucceededAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, $"{what}: {(int)response.StatusCode} {body}");
        Assert.DoesNotContain("\"error\"", body, StringComparison.Ordinal);
    }
}
