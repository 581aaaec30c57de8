using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;

namespace HostPanel.Core.Mail;

/// <summary>
/// Tells the people who can act that something needs them (a certificate about to expire, a
/// scheduled backup that failed): the organization's administrators and the hosting
/// administrators, by mail through the organization's profile (else the panel's). Without any
/// mail profile nothing is sent and the caller only logs; a person who cannot be reached does
/// not stop the others.
/// </summary>
public sealed class AdministratorAlerts(IMembershipStore memberships, IPeopleDirectory people, MailService mail)
{
    /// <summary>Sends the alert; returns the addresses it reached.</summary>
    public async Task<IReadOnlyList<string>> SendAsync(string organizationId, string subject, string text, CancellationToken ct = default)
    {
        if (await mail.ResolveAsync(organizationId, ct).ConfigureAwait(false) is null)
        {
            return [];
        }

        var administrators = (await memberships.ForOrganizationAsync(organizationId, ct).ConfigureAwait(false))
            .Where(m => m.Role == OrganizationRole.Administrator && !m.Suspended)
            .Select(m => m.UserId)
            .ToList();
        var recipients = (await people.FindManyAsync(administrators, ct).ConfigureAwait(false))
            .Concat(await people.HosterAdministratorsAsync(ct).ConfigureAwait(false))
            .Where(p => !p.Disabled)
            .Select(p => p.Email)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();

        var reached = new List<string>();
        foreach (var to in recipients)
        {
            try
            {
                await mail.SendAsync(organizationId, new OutgoingMail(to, subject, text), ct).ConfigureAwait(false);
                reached.Add(to);
            }
            catch (Exception e) when (e is MailTransportException or AppRequestException)
            {
                // One address refused by the relay: the others are still told.
            }
        }

        return reached;
    }
}
