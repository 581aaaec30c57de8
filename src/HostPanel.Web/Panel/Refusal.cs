using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;

namespace HostPanel.Web.Panel;

/// <summary>
/// A service's refusal as a page shows it: the field at fault (null for the request as a whole),
/// the plain words the service chose, and the technical cause to fold away when there is one.
/// </summary>
public sealed record Refusal(string? Field, string Message, string? Detail)
{
    /// <summary>The refusal <paramref name="e"/> carries, or null when it is not one (a bug, a crash: not for the page to word).</summary>
    public static Refusal? From(Exception e) => e switch
    {
        AppRequestException request => new(request.Field, request.Message, request.InnerException?.Message),
        AccessDeniedException denied => new(null, denied.Message, null),
        _ => null,
    };

    /// <summary>The message when the refusal is about <paramref name="field"/>; null otherwise.</summary>
    public string? For(string field) => Field == field ? Message : null;

    /// <summary>Whether the refusal is about none of <paramref name="fields"/> (shown for the form as a whole).</summary>
    public bool IsNoneOf(params string[] fields) => Field is null || !fields.Contains(Field);
}
