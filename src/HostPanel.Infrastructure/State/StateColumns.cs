namespace HostPanel.Infrastructure.State;

/// <summary>Column sizes shared by the lifecycle tables. SQLite does not enforce them; they document intent.</summary>
internal static class StateColumns
{
    /// <summary>Organization ids and instance names (their patterns allow 31 characters).</summary>
    public const int SlugLength = 64;

    public const int VersionLength = 100;

    public const int EnumLength = 20;

    /// <summary>The longest domain name DNS allows.</summary>
    public const int DomainLength = 253;
}
