using HostPanel.Core.Accounts;
using HostPanel.Core.Mail;
using HostPanel.Core.Tests.Mail;

namespace HostPanel.Core.Tests.Accounts;

public sealed class AdministratorAlertsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    private readonly MemoryOrganizations _organizations = new("default", "velo", "edition");
    private readonly MemoryMemberships _memberships = new();
    private readonly MemoryPeople _people = new();
    private readonly FakeTransport _transport = new();
    private readonly MemoryProfiles _profiles = new();
    private readonly AdministratorAlerts _alerts;

    public AdministratorAlertsTests()
    {
        var access = new AccessControl(_organizations, new MemoryInstances(), new MemoryGroups());
        var mail = new MailService(_profiles, new MemorySecrets(), _transport, _organizations, new FixedTime(Now), access);
        _alerts = new AdministratorAlerts(_memberships, _people, mail);
        Join("admin@velo.example.org", "velo", OrganizationRole.Administrator);
        Join("member@velo.example.org", "velo", OrganizationRole.Member);
        Join("away@velo.example.org", "velo", OrganizationRole.Administrator, suspended: true);
        Join("other@edition.example.org", "edition", OrganizationRole.Administrator);
        _people.Add("hoster@hebergeur.example.org", hoster: true);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private void Join(string email, string organization, OrganizationRole role, bool suspended = false) =>
        _memberships.Rows.Add(new Membership(_people.Add(email).Id, organization, role, Now, suspended));

    [Fact]
    public async Task The_organizations_administrators_and_the_hosters_are_told_and_no_one_else()
    {
        await _profiles.SaveAsync(new MailProfile(null, "smtp.example.org", 587, MailSecurity.StartTls, null, "panel@example.org", null, Now), Ct);

        var reached = await _alerts.SendAsync("velo", "Le certificat expire", "Que faire…", Ct);

        Assert.Equal(["admin@velo.example.org", "hoster@hebergeur.example.org"], reached);
        Assert.Equal(reached, _transport.Sent.Select(s => s.Message.To));
        Assert.All(_transport.Sent, s => Assert.Equal("Le certificat expire", s.Message.Subject));
    }

    [Fact]
    public async Task Without_a_mail_profile_nothing_is_sent()
    {
        Assert.Empty(await _alerts.SendAsync("velo", "Sujet", "Texte", Ct));
        Assert.Empty(_transport.Sent);
    }

    [Fact]
    public async Task An_address_the_relay_refuses_does_not_stop_the_others()
    {
        await _profiles.SaveAsync(new MailProfile(null, "smtp.example.org", 587, MailSecurity.StartTls, null, "panel@example.org", null, Now), Ct);
        _transport.RefuseRecipient = "admin@velo.example.org";

        var reached = await _alerts.SendAsync("velo", "Sujet", "Texte", Ct);

        Assert.Equal(["hoster@hebergeur.example.org"], reached);
    }
}
