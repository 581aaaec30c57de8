using HostPanel.Core.Configuration;
using HostPanel.Core.Mail;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HostPanel.Infrastructure.Mail;

public static class MailServiceCollectionExtensions
{
    /// <summary>
    /// The panel's outgoing mail: <see cref="MailService"/>, profiles in the SQLite database and
    /// SMTP with MailKit (trusting <see cref="HostPanelOptions.MailExtraTrustedCa"/> besides the
    /// system's authorities). Needs the state stores (AddHostPanelState) for the database, the
    /// secret store and the organizations.
    /// </summary>
    public static IServiceCollection AddHostPanelMail(this IServiceCollection services, HostPanelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMailProfileStore, EfMailProfileStore>();
        services.TryAddSingleton<IMailTransport>(new MailKitTransport(new MailKitTransportOptions
        {
            ExtraTrustedCaFile = string.IsNullOrWhiteSpace(options.MailExtraTrustedCa) ? null : options.MailExtraTrustedCa,
        }));
        services.TryAddSingleton<MailService>();
        return services;
    }
}
