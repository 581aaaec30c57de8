namespace HostPanel.Core.Engine;

/// <summary>
/// Labels HostPanel puts on every engine object it creates. An object without
/// <see cref="Managed"/> is not HostPanel's: it is never changed, pruned or listed as ours.
/// </summary>
public static class HostPanelLabels
{
    public const string Managed = "hostpanel.managed";
    public const string Organization = "hostpanel.org";
    public const string Instance = "hostpanel.instance";
    public const string Service = "hostpanel.service";
    public const string Version = "hostpanel.version";

    /// <summary>The labels every HostPanel object starts from.</summary>
    public static Dictionary<string, string> Base() => new(StringComparer.Ordinal) { [Managed] = "true" };

    public static bool IsManaged(IReadOnlyDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(Managed, out var v) && v == "true";
}
