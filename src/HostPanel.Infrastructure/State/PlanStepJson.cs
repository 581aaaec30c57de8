using System.Text.Json;
using System.Text.Json.Serialization;
using HostPanel.Core.Operations;

namespace HostPanel.Infrastructure.State;

/// <summary>
/// How plan steps are kept in the journal: the polymorphic JSON that <see cref="PlanStep"/>
/// declares (a "kind" discriminator), enums by name so that reordering one never changes what an
/// old record means.
/// </summary>
internal static class PlanStepJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Write(PlanStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return JsonSerializer.Serialize(step, Options);
    }

    public static PlanStep Read(string json, Guid operationId, int index)
    {
        try
        {
            return JsonSerializer.Deserialize<PlanStep>(json, Options)
                ?? throw new JsonException("The step is null.");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            // A record written by a newer version of the panel (after a downgrade), or damaged by hand.
            throw new InvalidOperationException(
                $"Step {index} of operation {operationId} cannot be read by this version of HostPanel: {e.Message}", e);
        }
    }
}
