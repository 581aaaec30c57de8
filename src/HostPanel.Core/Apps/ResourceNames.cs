namespace HostPanel.Core.Apps;

/// <summary>
/// How an installed app's engine objects are named. Names are for people reading `docker ps`;
/// HostPanel itself finds its objects by their labels.
/// </summary>
public static class ResourceNames
{
    public static string Container(string instance, string service) => $"hp-{instance}-{service}";

    /// <summary>Where the previous version's container waits during an update.</summary>
    public static string PreviousContainer(string instance, string service) => $"hp-{instance}-{service}-previous";

    public static string InternalNetwork(string instance) => $"hp-{instance}-internal";

    public static string EgressNetwork(string instance) => $"hp-{instance}-egress";

    public static string Volume(string instance, string volume) => $"hp-{instance}-{volume}";

    public static string Job(string instance, string service, string moment, int index) => $"hp-{instance}-{service}-{moment.Replace('_', '-')}-{index + 1}";
}
