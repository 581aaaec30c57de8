using System.Net;
using System.Runtime.Versioning;
using HostPanel.Web.Panel.RecoveryKit;
using HostPanel.Web.Tests.Functional;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Panel.RecoveryKit;

/// <summary>The download of a kit's file on the real panel over HTTP: its issuer only, once, never cached.</summary>
[SupportedOSPlatform("linux")]
public sealed class RecoveryKitDownloadOverHttpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_file_goes_once_to_the_hoster_who_issued_the_kit_and_to_nobody_else()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, "--AccountFormsPerMinute", "1000");
        using var root = await AccountClient.CreateAsync(panel, "root@example.org", hosterAdministrator: true);
        await root.SignInAsync();
        await root.EnrolAsync();
        using var other = await AccountClient.CreateAsync(panel, "other@example.org", hosterAdministrator: true);
        await other.SignInAsync();
        await other.EnrolAsync();

        var content = "HPK1-sheet of Alice"u8.ToArray();
        var id = panel.App.Services.GetRequiredService<RecoveryKitDownloads>()
            .Add((await root.UserAsync()).Id, new KitFile("share-alice.txt", "text/plain; charset=utf-8", content.ToArray()));
        var url = RecoveryKitEndpoints.DownloadUrl(id);

        using (var anonymous = panel.NewClient())
        {
            var refused = await anonymous.GetAsync(url, Ct);
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.StartsWith("/signin", AccountClient.Where(refused), StringComparison.Ordinal);
        }

        var notTheirs = await other.Http.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);
        Assert.DoesNotContain("Alice", await notTheirs.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var taken = await root.Http.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Equal(content, await taken.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("attachment", taken.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("share-alice.txt", taken.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.True(taken.Headers.CacheControl?.NoStore);

        var again = await root.Http.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Contains("une seule fois", await again.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
