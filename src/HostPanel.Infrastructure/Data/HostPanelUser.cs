using Microsoft.AspNetCore.Identity;

namespace HostPanel.Infrastructure.Data;

/// <summary>A person with an account on the panel (a member, in the interface's words).</summary>
public sealed class HostPanelUser : IdentityUser
{
    public const int DisplayNameMaxLength = 100;

    /// <summary>The name shown in the panel, as the person typed it.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>When the account was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When an administrator disabled the account; null while it is enabled.</summary>
    public DateTimeOffset? DisabledAt { get; set; }
}
