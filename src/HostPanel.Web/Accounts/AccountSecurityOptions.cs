namespace HostPanel.Web.Accounts;

/// <summary>
/// The panel's sign-in rules that a server may change through its configuration only (the
/// data directory's appsettings.json, HOSTPANEL_ variables or the command line), never from the
/// panel itself: a stolen administrator session must not be able to weaken them.
/// </summary>
public sealed class AccountSecurityOptions
{
    /// <summary>
    /// Hoster administrators and organization administrators must set up two-step sign-in before
    /// they can use the panel (HOSTPANEL_REQUIRETWOFACTORFORADMINISTRATORS=false turns it off).
    /// </summary>
    public bool RequireTwoFactorForAdministrators { get; set; } = true;

    /// <summary>
    /// How many sign-in, two-step, password-reset and invitation forms one client address may send
    /// per minute (all together); more is answered 429 until the minute is over.
    /// </summary>
    public int AccountFormsPerMinute { get; set; } = 10;

    /// <summary>How long a password-reset link stays valid.</summary>
    public TimeSpan PasswordResetLinkLifetime { get; set; } = TimeSpan.FromHours(1);
}
