using HostPanel.Core.Accounts;
using HostPanel.Core.Tests.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Mail;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Tests.Mail;

public sealed class MailServiceTests
{
    private const string Password = "Zèbre correct horse 7f1d";

    private readonly FakeTransport _transport = new();
    private readonly MemoryProfiles _profiles = new();
    private readonly MemorySecrets _secrets = new();
    private readonly MailService _mail;

    public MailServiceTests()
    {
        var organizations = new MemoryOrganizations("default", "atelier", "edition");
        _mail = new MailService(_profiles, _secrets, _transport, organizations, new FixedTime(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero)), new AccessControl(organizations, new MemoryInstances(), new MemoryGroups()));
    }

    private static readonly Caller Root = Caller.Server("test");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MailProfileInput Input(string? org = null, string host = "smtp.example.org", int port = 587, string security = "starttls", string? user = null, string? password = null, string from = "contact@velo.example.org", string? fromName = null) => new()
    {
        OrganizationId = org,
        Host = host,
        Port = port,
        Security = security,
        UserName = user,
        Password = password,
        FromAddress = from,
        FromName = fromName,
    };

    [Fact]
    public async Task AProfileIsTestedThenSavedWithItsPasswordInTheSecretStoreOnly()
    {
        var saved = await _mail.SaveAsync(Root, Input(host: " SMTP.Example.org. ", user: "asso", password: Password, fromName: "Atelier vélo"), Ct);

        Assert.Equal(new MailProfile(null, "smtp.example.org", 587, MailSecurity.StartTls, "asso", "contact@velo.example.org", "Atelier vélo", new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero)), saved);
        var (server, from) = Assert.Single(_transport.Tests);
        Assert.Equal(new MailServer("smtp.example.org", 587, MailSecurity.StartTls, "asso", Password), server);
        Assert.Equal("contact@velo.example.org", from);
        Assert.Equal(saved, _profiles.Rows["(panel)"]);
        Assert.Equal(Password, _secrets.Owners[MailService.PanelSecretOwner][MailService.PasswordName]);
        Assert.DoesNotContain(Password, saved.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, server.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOrganizationsPasswordIsKeptUnderTheOrganization()
    {
        await _mail.SaveAsync(Root, Input(org: "atelier", user: "atelier", password: Password), Ct);

        Assert.Equal(Password, _secrets.Owners["org:atelier"][MailService.PasswordName]);
        Assert.False(_secrets.Owners.ContainsKey(MailService.PanelSecretOwner));
        Assert.Equal("atelier", _profiles.Rows["atelier"].OrganizationId);
    }

    [Theory]
    [InlineData("", "host", "--host")]
    [InlineData("smtp example.org", "host", "--host")]
    [InlineData("smtp..example.org", "host", "--host")]
    [InlineData("-smtp.example.org", "host", "--host")]
    [InlineData("smtp_1.example.org", "host", "--host")]
    [InlineData("10.1", "host", "--host")]
    [InlineData("300.1.2.3", "host", "--host")]
    [InlineData("https://smtp.example.org", "host", "--host")]
    public async Task BadHostsAreRefusedNamingTheField(string host, string field, string option)
    {
        var refused = await Assert.ThrowsAsync<AppRequestException>(() => _mail.SaveAsync(Root, Input(host: host), Ct));

        Assert.Equal(field, refused.Field);
        Assert.Equal(CoreText.Format("MailHostInvalid", host), refused.Message);
        Assert.Contains(option, refused.Message, StringComparison.Ordinal);
        Assert.Empty(_transport.Tests);
        Assert.Empty(_profiles.Rows);
    }

    [Theory]
    [InlineData("localhost", "localhost")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("[::1]", "::1")]
    [InlineData("2001:db8::25", "2001:db8::25")]
    [InlineData("smtp.vélo.example", "smtp.xn--vlo-bma.example")]
    public async Task HostNamesAndAddressesAreAcceptedInTheirPlainForm(string host, string stored)
    {
        var saved = await _mail.SaveAsync(Root, Input(host: host), Ct);

        Assert.Equal(stored, saved.Host);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-25)]
    [InlineData(65536)]
    [InlineData(70000)]
    public async Task PortsOutsideOneTo65535AreRefused(int port)
    {
        var refused = await Assert.ThrowsAsync<AppRequestException>(() => _mail.SaveAsync(Root, Input(port: port), Ct));

        Assert.Equal("port", refused.Field);
        Assert.Contains("--port", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_transport.Tests);
    }

    [Theory]
    [InlineData("ssl")]
    [InlineData("")]
    [InlineData("start-tls")]
    public async Task UnknownSecuritiesAreRefusedWithTheKnownOnes(string security)
    {
        var refused = await Assert.ThrowsAsync<AppRequestException>(() => _mail.SaveAsync(Root, Input(security: security), Ct));

        Assert.Equal("security", refused.Field);
        Assert.Contains("--security", refused.Message, StringComparison.Ordinal);
        Assert.Contains("starttls", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NONE", MailSecurity.None)]
    [InlineData(" StartTLS ", MailSecurity.StartTls)]
    [InlineData("tls", MailSecurity.Tls)]
    public async Task SecuritiesAreReadInAnyCase(string security, MailSecurity expected)
    {
        Assert.Equal(expected, (await _mail.SaveAsync(Root, Input(security: security), Ct)).Security);
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("Atelier <contact@velo.example.org>")]
    [InlineData("contact@velo")]
    [InlineData("contact@[192.0.2.1]")]
    [InlineData("contact@192.0.2.1")]
    [InlineData("con tact@velo.example.org")]
    [InlineData("\"quoted\"@velo.example.org")]
    [InlineData("contact@velo.example.org\r\nBcc: x@example.org")]
    [InlineData("contact..x@velo.example.org")]
    [InlineData("@velo.example.org")]
    public async Task BadSenderAddressesAreRefused(string from)
    {
        var refused = await Assert.ThrowsAsync<AppRequestException>(() => _mail.SaveAsync(Root, Input(from: from), Ct));

        Assert.Equal("from", refused.Field);
        Assert.Equal(CoreText.Format("MailAddressInvalid", from, "--from"), refused.Message);
    }

    [Fact]
    public async Task SenderNamesAndUserNamesAreOneLine()
    {
        var name = await Assert.ThrowsAsync<AppRequestException>(() => _mail.SaveAsync(Root, Input(fromName: "Atelier\r\nBcc: x@example.org"), Ct));
        Assert.Equal("from-name", name.Field);

        var longName = await Assert.ThrowsAsync<AppRequestException>(() => _mail.SaveAsync(Root, Input(fromName: new string('a', 101)), Ct));
        Assert.Equal("from-name", longName.Field);

        var user = await Assert.ThrowsAsync<AppRequestException>(() => _mail.SaveAsync(Root, Input(user: "a\nb", password: Password), Ct));
        Assert.Equal("user", user.Field);

        var password = await Assert.ThrowsAsync<AppRequestException>(() => _mail.SaveAsync(Root, Input(user: "asso", password: "line1\nline2"), Ct));
        Assert.Equal("password", password.Field);
        Assert.DoesNotContain("line1", password.Message, StringComparison.Ordinal);
        Assert.Empty(_transport.Tests);
    }

    [Fact]
    public async Task AUserNeedsAPasswordAndAPasswordNeedsAUser()
    {
        var missing = await Assert.ThrowsAsync<AppRequestException>(() => _mail.SaveAsync(Root, Input(user: "asso"), Ct));
        Assert.Equal("password", missing.Field);
        Assert.Contains("--password-file", missing.Message, StringComparison.Ordinal);

        var orphan = await Assert.ThrowsAsync<AppRequestException>(() => _mail.SaveAsync(Root, Input(password: Password), Ct));
        Assert.Equal("user", orphan.Field);
        Assert.Contains("--user", orphan.Message, StringComparison.Ordinal);
        Assert.Empty(_transport.Tests);
    }

    [Fact]
    public async Task TheStoredPasswordIsKeptWhenTheSameUserSavesAgainWithoutOne()
    {
        await _mail.SaveAsync(Root, Input(user: "asso", password: Password), Ct);

        var saved = await _mail.SaveAsync(Root, Input(user: "asso", fromName: "Nouveau nom"), Ct);

        Assert.Equal("Nouveau nom", saved.FromName);
        Assert.Equal(Password, _transport.Tests[^1].Server.Password);
        await Assert.ThrowsAsync<AppRequestException>(() => _mail.SaveAsync(Root, Input(user: "someone-else"), Ct));
    }

    [Fact]
    public async Task AProfileWithoutLoginEmptiesTheOldPassword()
    {
        await _mail.SaveAsync(Root, Input(user: "asso", password: Password), Ct);

        await _mail.SaveAsync(Root, Input(port: 25, security: "none"), Ct);

        Assert.Equal(string.Empty, _secrets.Owners[MailService.PanelSecretOwner][MailService.PasswordName]);
        Assert.Null(_transport.Tests[^1].Server.Password);
    }

    [Theory]
    [InlineData(MailFailure.Unreachable, "host")]
    [InlineData(MailFailure.HostNotFound, "host")]
    [InlineData(MailFailure.TimedOut, "port")]
    [InlineData(MailFailure.StartTlsUnavailable, "security")]
    [InlineData(MailFailure.TlsFailed, "security")]
    [InlineData(MailFailure.CertificateUntrusted, "security")]
    [InlineData(MailFailure.CertificateNameMismatch, "security")]
    [InlineData(MailFailure.LoginUnavailable, "user")]
    [InlineData(MailFailure.LoginRefused, "user")]
    [InlineData(MailFailure.LoginRequired, "user")]
    [InlineData(MailFailure.SenderRefused, "from")]
    [InlineData(MailFailure.Protocol, "host")]
    public async Task AFailedTestSavesNothingAndSaysWhatFailed(MailFailure failure, string field)
    {
        await _mail.SaveAsync(Root, Input(host: "old.example.org"), Ct);
        _transport.Failure = new MailTransportException(failure, "the server's words");

        var refused = await Assert.ThrowsAsync<AppRequestException>(() => _mail.SaveAsync(Root, Input(host: "smtp.example.org", user: "asso", password: Password), Ct));

        Assert.Equal(field, refused.Field);
        var server = new MailServer("smtp.example.org", 587, MailSecurity.StartTls, "asso", Password);
        Assert.Equal(MailService.Explain(_transport.Failure, server, "contact@velo.example.org") + " " + CoreText.Get("MailNothingSaved"), refused.Message);
        Assert.Contains("smtp.example.org", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, refused.Message, StringComparison.Ordinal);
        Assert.Equal("old.example.org", _profiles.Rows["(panel)"].Host);
        Assert.False(_secrets.Owners.TryGetValue(MailService.PanelSecretOwner, out var stored) && stored.ContainsKey(MailService.PasswordName));
    }

    [Fact]
    public void EveryFailureHasItsOwnExplanationInBothLanguages()
    {
        var server = new MailServer("smtp.example.org", 587, MailSecurity.StartTls, null, null);
        foreach (var culture in new[] { "fr", "en" })
        {
            var previous = System.Globalization.CultureInfo.CurrentUICulture;
            System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo(culture);
            try
            {
                var texts = Enum.GetValues<MailFailure>().Select(f => MailService.Explain(new MailTransportException(f, "x"), server, "a@b.example", "c@d.example")).ToList();
                Assert.Equal(texts.Count, texts.Distinct().Count());
                Assert.All(texts, t => Assert.DoesNotContain("{", t, StringComparison.Ordinal));
            }
            finally
            {
                System.Globalization.CultureInfo.CurrentUICulture = previous;
            }
        }
    }

    [Fact]
    public async Task AnUnknownOrganizationIsRefused()
    {
        var refused = await Assert.ThrowsAsync<AppRequestException>(() => _mail.SaveAsync(Root, Input(org: "nobody"), Ct));

        Assert.Equal("org", refused.Field);
        Assert.Equal(CoreText.Format("UnknownOrganization", "nobody", "default, atelier, edition"), refused.Message);
        await Assert.ThrowsAsync<AppRequestException>(() => _mail.ResolveAsync("nobody", Ct));
    }

    [Fact]
    public async Task AnOrganizationsOwnProfileIsUsedForItAndThePanelsForTheOthers()
    {
        await _mail.SaveAsync(Root, Input(host: "smtp.panel.example", from: "panel@panel.example"), Ct);
        await _mail.SaveAsync(Root, Input(org: "atelier", host: "smtp.atelier.example", user: "atelier", password: Password, from: "contact@atelier.example"), Ct);

        Assert.Equal("smtp.atelier.example", (await _mail.ResolveAsync("atelier", Ct))!.Host);
        Assert.Equal("smtp.panel.example", (await _mail.ResolveAsync("edition", Ct))!.Host);
        Assert.Equal("smtp.panel.example", (await _mail.ResolveAsync(null, Ct))!.Host);
        Assert.Null(await _mail.FindAsync(Root, "edition", Ct));

        var mail = new OutgoingMail("Someone@Example.org", "Invitation", "Bonjour");
        var atelier = await _mail.SendAsync("atelier", mail, Ct);
        var edition = await _mail.SendAsync("edition", mail, Ct);

        Assert.Equal("atelier", atelier.OrganizationId);
        Assert.Null(edition.OrganizationId);
        Assert.Equal(["smtp.atelier.example", "smtp.panel.example"], _transport.Sent.Select(s => s.Server.Host));
        Assert.Equal(Password, _transport.Sent[0].Server.Password);
        Assert.Equal(new MailSender("contact@atelier.example", null), _transport.Sent[0].From);
        Assert.Equal(new MailSender("panel@panel.example", null), _transport.Sent[1].From);
        Assert.Equal("Someone@example.org", _transport.Sent[1].Message.To);
    }

    [Fact]
    public async Task WithoutAnyProfileSendingSaysHowToSetOneUp()
    {
        var refused = await Assert.ThrowsAsync<AppRequestException>(() => _mail.SendAsync("atelier", new OutgoingMail("a@example.org", "Invitation", "Bonjour"), Ct));

        Assert.Equal(CoreText.Get("MailNotConfigured"), refused.Message);
        Assert.Contains("hostpanel mail set", refused.Message, StringComparison.Ordinal);
        Assert.Null(await _mail.SmtpForAppsAsync("atelier", Ct));
    }

    [Fact]
    public async Task ARefusedRecipientIsNamed()
    {
        await _mail.SaveAsync(Root, Input(), Ct);
        _transport.Failure = new MailTransportException(MailFailure.RecipientRefused, "550 5.1.1 no such user");

        var refused = await Assert.ThrowsAsync<AppRequestException>(() => _mail.SendAsync(null, new OutgoingMail("ghost@example.org", "Invitation", "Bonjour"), Ct));

        Assert.Equal("to", refused.Field);
        Assert.Contains("ghost@example.org", refused.Message, StringComparison.Ordinal);
        Assert.Contains("550 5.1.1 no such user", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadRecipientIsRefusedBeforeAnyConnection()
    {
        await _mail.SaveAsync(Root, Input(), Ct);

        var refused = await Assert.ThrowsAsync<AppRequestException>(() => _mail.SendTestAsync(Root, null, "not an address", Ct));

        Assert.Equal("to", refused.Field);
        Assert.Empty(_transport.Sent);
    }

    [Fact]
    public async Task TheTestMessageCarriesItsReferenceInSubjectAndBothBodies()
    {
        await _mail.SaveAsync(Root, Input(fromName: "Atelier"), Ct);

        var result = await _mail.SendTestAsync(Root, null, "someone@example.org", Ct);

        var (_, from, message) = Assert.Single(_transport.Sent);
        Assert.Equal(12, result.Reference.Length);
        Assert.Equal(CoreText.Format("MailTestSubject", result.Reference), message.Subject);
        Assert.Contains(result.Reference, message.Text, StringComparison.Ordinal);
        Assert.Contains(result.Reference, message.Html!, StringComparison.Ordinal);
        Assert.Contains("smtp.example.org:587", message.Text, StringComparison.Ordinal);
        Assert.Equal(new MailSender("contact@velo.example.org", "Atelier"), from);
        Assert.NotEqual(result.Reference, (await _mail.SendTestAsync(Root, null, "someone@example.org", Ct)).Reference);
    }

    [Fact]
    public async Task AppsGetTheProfileOfTheirOrganizationForTheirPlaceholders()
    {
        await _mail.SaveAsync(Root, Input(host: "smtp.panel.example", port: 465, security: "tls", from: "panel@panel.example"), Ct);
        await _mail.SaveAsync(Root, Input(org: "atelier", host: "smtp.atelier.example", user: "atelier", password: Password, from: "contact@atelier.example"), Ct);

        var atelier = await _mail.SmtpForAppsAsync("atelier", Ct);
        var edition = await _mail.SmtpForAppsAsync("edition", Ct);

        Assert.Equal(new HostPanel.Core.Catalog.Planning.SmtpSettings("smtp.atelier.example", 587, "atelier", Password, "contact@atelier.example", "starttls"), atelier);
        Assert.Equal(new HostPanel.Core.Catalog.Planning.SmtpSettings("smtp.panel.example", 465, "", "", "panel@panel.example", "tls"), edition);
    }
}
