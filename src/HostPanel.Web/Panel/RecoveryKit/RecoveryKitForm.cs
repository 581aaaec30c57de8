using HostPanel.Core.Handover;
using Microsoft.Extensions.Localization;

namespace HostPanel.Web.Panel.RecoveryKit;

/// <summary>What the issue form asks for once read: how many shares open the kit, and who holds one.</summary>
public sealed record RecoveryKitRequest(int Threshold, IReadOnlyList<string> Holders);

/// <summary>
/// Reads the recovery kit's issue form in the panel's words, before the service is asked: one
/// holder per line, 2 to <see cref="Shamir.MaxShares"/> distinct names, and a threshold from 2
/// to the number of holders. The service checks the same again; its refusals name
/// <see cref="HoldersField"/> or <see cref="ThresholdField"/> too (<see cref="FieldOf"/>).
/// </summary>
public static class RecoveryKitForm
{
    public const string HoldersField = "holders";
    public const string ThresholdField = "threshold";
    public const int DefaultThreshold = 2;

    /// <summary>The names typed, one per line, trimmed; blank lines are skipped.</summary>
    public static IReadOnlyList<string> SplitHolders(string? typed) =>
        [.. (typed ?? string.Empty).Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>The request, or the refusal of the first field at fault in <paramref name="text"/>'s words.</summary>
    public static (RecoveryKitRequest? Request, Refusal? Refused) Read(string? holdersTyped, int? threshold, IStringLocalizer<RecoveryKitPageText> text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var holders = SplitHolders(holdersTyped);
        if (holders.Count < 2)
        {
            return Refuse(HoldersField, text["Issue.HoldersTooFew", holders.Count]);
        }

        if (holders.Count > Shamir.MaxShares)
        {
            return Refuse(HoldersField, text["Issue.HoldersTooMany", holders.Count, Shamir.MaxShares]);
        }

        for (var i = 0; i < holders.Count; i++)
        {
            var name = holders[i];
            if (name.Length > RecoveryKitService.MaxHolderLength || name.Any(char.IsControl))
            {
                return Refuse(HoldersField, text["Issue.HolderInvalid", i + 1, RecoveryKitService.MaxHolderLength]);
            }

            var first = holders.ToList().FindIndex(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
            if (first < i)
            {
                return Refuse(HoldersField, text["Issue.HolderTwice", name, first + 1, i + 1]);
            }
        }

        if (threshold is not { } k)
        {
            return Refuse(ThresholdField, text["Issue.ThresholdMissing"]);
        }

        if (k < 2)
        {
            return Refuse(ThresholdField, text["Issue.ThresholdTooLow", k]);
        }

        if (k > holders.Count)
        {
            return Refuse(ThresholdField, text["Issue.ThresholdTooHigh", k, holders.Count]);
        }

        return (new RecoveryKitRequest(k, holders), null);
    }

    /// <summary>The form's field that a service refusal is about: the service names holders "holder" or "holders".</summary>
    public static string? FieldOf(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return refusal.Field switch
        {
            "holder" or HoldersField => HoldersField,
            ThresholdField => ThresholdField,
            _ => null,
        };
    }

    private static (RecoveryKitRequest?, Refusal?) Refuse(string field, string message) => (null, new Refusal(field, message, null));
}
