namespace HostPanel.Infrastructure.Accounts;

/// <summary>The panel's roles. The first administrator, created on the first-run page, is a hoster administrator.</summary>
public static class HostPanelRoles
{
    /// <summary>Manages the whole server: every organization, every app.</summary>
    public const string HosterAdministrator = "HosterAdministrator";

    public static IReadOnlyList<string> All { get; } = [HosterAdministrator];
}
