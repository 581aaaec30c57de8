using Bunit;
using HostPanel.Core.Backups;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Panel.RecoveryKit;

/// <summary>Issuing a kit while the backup destination cannot be reached.</summary>
public sealed class RecoveryKitStateBackupFailureTests : RecoveryKitPageContext
{
    public RecoveryKitStateBackupFailureTests()
    {
        Services.AddSingleton<IRestic>(new UnreachableRestic());
    }

    [Fact]
    public async Task When_the_state_cannot_be_backed_up_the_kit_stays_valid_and_a_warning_says_so()
    {
        var root = await SignInAsync("root@example.org", hoster: true);
        ConfirmIdentityNow();
        var page = RenderPage();
        page.WaitForElement("#kit-form");

        await FillAsync(page, "Alice\nBob\nCarole", 2);
        await page.InvokeAsync(() => page.Find("#kit-form").Submit());

        page.WaitForElement("#kit-state-backup .hp-problem", TimeSpan.FromSeconds(10));
        var warning = page.Find("#kit-state-backup .hp-problem");
        Assert.Contains("L'état du panneau n'a pas pu être sauvegardé maintenant", warning.TextContent, StringComparison.Ordinal);
        Assert.Contains("Le kit est fait et reste valable.", warning.TextContent, StringComparison.Ordinal);
        Assert.Contains("mud-alert-text-warning", warning.ClassName, StringComparison.Ordinal);
        Assert.Equal(3, page.FindAll("#kit-shares tbody tr").Count);
        Assert.True((await Kits.StatusAsync(root, Ct))!.Summary.IsCurrent);
    }
}
