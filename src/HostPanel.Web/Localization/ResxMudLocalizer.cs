using Microsoft.Extensions.Localization;
using MudBlazor;

namespace HostPanel.Web.Localization;

/// <summary>
/// Gives MudBlazor's own texts (close buttons, pagers…) from the panel's resources, under keys
/// "MudBlazor.{key}". MudBlazor asks only for languages other than English.
/// </summary>
internal sealed class ResxMudLocalizer(IStringLocalizer<SharedResource> text) : MudLocalizer
{
    public override LocalizedString this[string key]
    {
        get
        {
            var found = text["MudBlazor." + key];
            return new LocalizedString(key, found.ResourceNotFound ? key : found.Value, found.ResourceNotFound);
        }
    }

    public override LocalizedString this[string key, params object[] arguments]
    {
        get
        {
            var found = text["MudBlazor." + key, arguments];
            return new LocalizedString(key, found.ResourceNotFound ? key : found.Value, found.ResourceNotFound);
        }
    }
}
