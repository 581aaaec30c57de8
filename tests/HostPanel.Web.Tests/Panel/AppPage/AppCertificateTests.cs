using Bunit;
using HostPanel.Core.Certificates;
using HostPanel.Core.Domains;

namespace HostPanel.Web.Tests.Panel.AppPage;

public sealed class AppCertificateTests : AppPageContext
{
    private async Task AddCertificateAsync(DateTimeOffset notAfter, string? lastError = null)
    {
        var now = DateTimeOffset.UtcNow;
        await Get<IDomainStore>().SaveAsync(new DomainRecord("notes.asso.example", "default", "notes", ChallengeKind.Http01, now.AddDays(-90)), Ct);
        await Get<ICertificateStore>().SaveAsync(new CertificateRecord
        {
            Domain = "notes.asso.example",
            Serial = "0A1B",
            Issuer = "CN=R11, O=Let's Encrypt, C=US",
            NotBefore = notAfter.AddDays(-90),
            NotAfter = notAfter,
            NextRenewal = notAfter.AddDays(-30),
            LastAttempt = now.AddHours(-1),
            LastError = lastError,
        }, Ct);
    }

    [Fact]
    public async Task The_certificate_says_who_issued_it_until_when_and_why_the_last_renewal_failed()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        await AddAppAsync();
        await AddCertificateAsync(DateTimeOffset.UtcNow.AddDays(20), "le nom notes.asso.example ne pointe pas vers ce serveur.");

        var page = RenderApp();

        page.WaitForElement("#app-certificate-issuer");
        Assert.Equal("Let's Encrypt (R11)", page.Find("#app-certificate-issuer").TextContent.Trim());
        Assert.DoesNotContain("expiré", page.Find("#app-certificate-valid-until").TextContent, StringComparison.Ordinal);
        Assert.Contains("a échoué : le nom notes.asso.example ne pointe pas vers ce serveur.", page.Find("#app-certificate-error").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(page.FindAll("#app-certificate-renew"));
    }

    [Fact]
    public async Task An_expired_certificate_is_said_expired_in_english_too()
    {
        UseCulture("en");
        await SignInAsync("alice@asso.example");
        await AddAppAsync();
        await AddCertificateAsync(DateTimeOffset.UtcNow.AddDays(-1));

        var page = RenderApp();

        page.WaitForElement("#app-certificate-valid-until");
        Assert.Contains("expired: visitors see a warning", page.Find("#app-certificate-valid-until").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#app-certificate-error"));
    }

    [Fact]
    public async Task An_app_without_an_address_has_no_certificate()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        await AddAppAsync(domain: null);

        var page = RenderApp();

        Assert.Equal("Cette application n'a pas d'adresse, donc pas de certificat.", page.Find("#app-certificate-none").TextContent.Trim());
        Assert.Empty(page.FindAll("#app-certificate-renew"));
        Assert.Equal("Pas d'adresse : l'application n'est pas ouverte sur le web.", page.Find("#app-address-none").TextContent.Trim());
    }
}
