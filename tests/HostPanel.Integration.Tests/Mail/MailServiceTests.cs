using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HostPanel.Core.Apps;
using HostPanel.Core.Configuration;
using HostPanel.Core.Mail;
using HostPanel.Core.Organizations;
using HostPanel.Infrastructure.Mail;
using HostPanel.Integration.Tests.Apps;
using HostPanel.Integration.Tests.TestWorld;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Integration.Tests.Mail;

/// <summary>The mail service on the real SQLite store, secret store and MailKit transport.</summary>
public sealed class MailServiceTests : IAsyncDisposable
{
    private readonly Scratch _scratch = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _scratch.DisposeAsync();

    private Task<Lifecycle> StartAsync(string? extraCa = null) =>
        Lifecycle.StartAsync(_scratch.DataDirectory, 1, Ct, o => o.MailExtraTrustedCa = extraCa, s => s.AddHostPanelMail(new HostPanelOptions { MailExtraTrustedCa = extraCa }));

    private static MailProfileInput ToSink(string? org, string from, string? user = null, string? password = null, int? port = null) => new()
    {
        OrganizationId = org,
        Host = World.SmtpHost,
        Port = port ?? World.SmtpPort,
        Security = "none",
        UserName = user,
        Password = password,
        FromAddress = from,
    };

    [Fact]
    public async Task AnOrganizationsProfileIsUsedForItAndThePanelsForTheOthers()
    {
        const string password = "Org-secret-51d0 très long";
        await using var server = await PrivateSmtpServer.WithLoginAsync("atelier", password, Ct);
        await using (var life = await StartAsync())
        {
            await life.Organizations.AddAsync(new Organization("atelier", "Atelier vélo", DateTimeOffset.UtcNow), Ct);
            await life.Organizations.AddAsync(new Organization("edition", "Éditions", DateTimeOffset.UtcNow), Ct);
            var mail = life.Get<MailService>();
            await mail.SaveAsync(Callers.Root, ToSink(null, "panel@panel.example.org"), Ct);
            await mail.SaveAsync(Callers.Root, new MailProfileInput
            {
                OrganizationId = "atelier",
                Host = "127.0.0.1",
                Port = server.Port,
                Security = "none",
                UserName = "atelier",
                Password = password,
                FromAddress = "contact@atelier.example.org",
                FromName = "Atelier vélo",
            }, Ct);
        }

        // Another process on the same data directory: what it finds is what was stored.
        await using var next = await StartAsync();
        var service = next.Get<MailService>();
        var own = await service.FindAsync(Callers.Root, "atelier", Ct);
        Assert.NotNull(own);
        Assert.Equal(("127.0.0.1", server.Port, MailSecurity.None, "atelier", "contact@atelier.example.org", "Atelier vélo"), (own.Host, own.Port, own.Security, own.UserName, own.FromAddress, own.FromName));
        Assert.Null(await service.FindAsync(Callers.Root, "edition", Ct));

        var forAtelier = await service.SendTestAsync(Callers.Root, "atelier", "someone@example.org", Ct);
        var forEdition = await service.SendTestAsync(Callers.Root, "edition", "someone@example.org", Ct);
        var forPanel = await service.SendTestAsync(Callers.Root, null, "someone@example.org", Ct);

        Assert.Equal("atelier", forAtelier.Profile.OrganizationId);
        Assert.Null(forEdition.Profile.OrganizationId);
        var atelierMessage = await server.WaitForAsync(forAtelier.Reference, Ct);
        Assert.Contains("contact@atelier.example.org", atelierMessage, StringComparison.Ordinal);
        var editionMessage = await SmtpSink.WaitForAsync(forEdition.Reference, Ct);
        Assert.Contains("From: panel@panel.example.org", editionMessage, StringComparison.Ordinal);
        await SmtpSink.WaitForAsync(forPanel.Reference, Ct);
        Assert.False(SmtpSink.Holds(forAtelier.Reference));
        Assert.DoesNotContain(forEdition.Reference, server.Output, StringComparison.Ordinal);

        var smtp = await service.SmtpForAppsAsync("atelier", Ct);
        Assert.Equal(new HostPanel.Core.Catalog.Planning.SmtpSettings("127.0.0.1", server.Port, "atelier", password, "contact@atelier.example.org", "none"), smtp);
        Assert.Equal("panel@panel.example.org", (await service.SmtpForAppsAsync("edition", Ct))!.From);
        MailCommandTests.AssertNotInDatabaseFiles(_scratch.DataDirectory, password);
    }

    [Fact]
    public async Task AFailedTestLeavesTheStoredProfileAsItWas()
    {
        await using var life = await StartAsync();
        var mail = life.Get<MailService>();
        await mail.SaveAsync(Callers.Root, ToSink(null, "panel@panel.example.org"), Ct);

        var refused = await Assert.ThrowsAsync<AppRequestException>(() => mail.SaveAsync(Callers.Root, ToSink(null, "other@panel.example.org", port: 9), Ct));

        Assert.Equal("host", refused.Field);
        var stored = await mail.FindAsync(Callers.Root, null, Ct);
        Assert.Equal(World.SmtpPort, stored!.Port);
        Assert.Equal("panel@panel.example.org", stored.FromAddress);
    }

    [Fact]
    public async Task ImplicitTlsWorksWithThePrivateAuthorityAndAWrongNameIsRefused()
    {
        using var certificates = new TestCertificates();
        await using var server = await PrivateSmtpServer.WithTlsAsync("tls", certificates.ServerCertificateFile, certificates.ServerKeyFile, Ct);
        await using var life = await StartAsync(certificates.AuthorityFile);
        var mail = life.Get<MailService>();
        var input = new MailProfileInput { Host = "localhost", Port = server.Port, Security = "tls", FromAddress = "panel@panel.example.org" };

        var saved = await mail.SaveAsync(Callers.Root, input, Ct);
        Assert.Equal(MailSecurity.Tls, saved.Security);
        var sent = await mail.SendTestAsync(Callers.Root, null, "someone@example.org", Ct);
        await server.WaitForAsync(sent.Reference, Ct);

        // The certificate is for "localhost": the same server by its address is refused.
        var byAddress = await Assert.ThrowsAsync<AppRequestException>(() => mail.SaveAsync(Callers.Root, new MailProfileInput { Host = "127.0.0.1", Port = server.Port, Security = "tls", FromAddress = "panel@panel.example.org" }, Ct));
        Assert.Equal("security", byAddress.Field);
        Assert.Contains(Explained(MailFailure.CertificateNameMismatch, server.Port), byAddress.Message, StringComparison.Ordinal);
        Assert.Equal("localhost", (await mail.FindAsync(Callers.Root, null, Ct))!.Host);
    }

    [Fact]
    public async Task ASilentServerIsGivenUpOnInTimeAndSaysWhatToCheck()
    {
        // The kernel completes the connection (backlog) but nothing ever answers: the wrong security on port 465 looks like this.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var life = await Lifecycle.StartAsync(_scratch.DataDirectory, 1, Ct, null, s =>
        {
            s.AddSingleton<IMailTransport>(new MailKitTransport(new MailKitTransportOptions { CommandTimeout = TimeSpan.FromSeconds(2) }));
            s.AddHostPanelMail(new HostPanelOptions());
        });
        var mail = life.Get<MailService>();
        var watch = Stopwatch.StartNew();

        var refused = await Assert.ThrowsAsync<AppRequestException>(() => mail.SaveAsync(Callers.Root, new MailProfileInput { Host = "127.0.0.1", Port = port, Security = "none", FromAddress = "panel@panel.example.org" }, Ct));

        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));
        Assert.Equal("port", refused.Field);
        Assert.StartsWith(Explained(MailFailure.TimedOut, port).Split(port.ToString(System.Globalization.CultureInfo.InvariantCulture))[0], refused.Message, StringComparison.Ordinal);
        Assert.Null(await mail.FindAsync(Callers.Root, null, Ct));
    }

    /// <summary>The start of the explanation of <paramref name="failure"/>, up to its details.</summary>
    private static string Explained(MailFailure failure, int port) =>
        MailService.Explain(new MailTransportException(failure, "\u0001"), new MailServer("127.0.0.1", port, MailSecurity.Tls, null, null)).Split('\u0001')[0];
}
