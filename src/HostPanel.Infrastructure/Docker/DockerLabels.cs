using System.Collections.ObjectModel;
using HostPanel.Core.Engine;

namespace HostPanel.Infrastructure.Docker;

internal static class DockerLabels
{
    public static IDictionary<string, IDictionary<string, bool>> Filters(LabelFilter filter) =>
        new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = filter.Selectors.ToDictionary(s => s, _ => true),
        };

    public static IReadOnlyDictionary<string, string> Copy(IDictionary<string, string>? labels) =>
        labels is null
            ? ReadOnlyDictionary<string, string>.Empty
            : new Dictionary<string, string>(labels, StringComparer.Ordinal);

    /// <summary>HostPanel only creates objects that say they are its own.</summary>
    public static Dictionary<string, string> RequireManaged(string kind, string name, IReadOnlyDictionary<string, string> labels)
    {
        if (!HostPanelLabels.IsManaged(labels))
        {
            throw new ArgumentException($"The {kind} '{name}' must carry the label {HostPanelLabels.Managed}=true.", nameof(labels));
        }

        return new Dictionary<string, string>(labels, StringComparer.Ordinal);
    }
}
