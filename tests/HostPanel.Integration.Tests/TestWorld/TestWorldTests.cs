using System.Security.Cryptography.X509Certificates;

namespace HostPanel.Integration.Tests.TestWorld;

/// <summary>The pieces of the test world the later tests lean on answer as expected.</summary>
public class TestWorldTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PebbleServesItsAcmeDirectoryOverItsOwnTls()
    {
        using var http = World.TrustingOnly(World.AcmeTlsCa);

        var directory = await World.GetJsonAsync(http, World.AcmeDirectory, Ct);

        foreach (var member in new[] { "newNonce", "newAccount", "newOrder" })
        {
            Assert.StartsWith("https://127.0.0.1:14000/", directory.GetProperty(member).GetString());
        }
    }

    [Fact]
    public async Task PebbleTlsIsNotTrustedWithoutItsCa()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(World.AcmeDirectory, Ct));
    }

    [Fact]
    public void IssuerRootIsASelfSignedCaCertificate()
    {
        using var root = X509Certificate2.CreateFromPem(File.ReadAllText(World.IssuerRoot));

        Assert.Equal(root.Subject, root.Issuer);
        var constraints = root.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints.CertificateAuthority);
    }

    [Fact]
    public async Task CaddyAdminApiAnswersOnItsSocket()
    {
        const string scheme = "unix://";
        Assert.StartsWith(scheme, World.CaddyAdmin);
        using var admin = World.UnixSocketClient(World.CaddyAdmin[scheme.Length..]);

        var config = await World.GetJsonAsync(admin, "/config/", Ct);

        Assert.True(config.TryGetProperty("apps", out _));
    }

    [Fact]
    public async Task RegistryHoldsTheTestImages()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        foreach (var image in new[] { World.WebImage, World.PostgresImage, World.AppImage + ":1", World.AppImage + ":2", World.AppImage + ":3" })
        {
            var reference = HostPanel.Core.Engine.ImageReference.Parse(image);
            var repository = reference.Repository[(World.Registry.Length + 1)..];
            using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{World.Registry}/v2/{repository}/manifests/{reference.Tag}");
            request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");

            using var response = await http.SendAsync(request, Ct);

            Assert.True(response.IsSuccessStatusCode, $"{image}: registry answered {(int)response.StatusCode}");
        }
    }
}
