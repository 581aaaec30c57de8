namespace HostPanel.Infrastructure.SingleSignOn;

/// <summary>The single sign-on provider's issuer, made from the panel's public address.</summary>
public static class SsoIssuer
{
    /// <summary>
    /// <paramref name="panelUrl"/> as an issuer: an absolute http or https address without query
    /// or fragment, ending with a slash (<c>https://panel.example.org/</c>). Null when the address is
    /// empty (no single sign-on). Throws <see cref="ArgumentException"/> for anything else.
    /// </summary>
    public static string? Normalize(string? panelUrl)
    {
        if (string.IsNullOrWhiteSpace(panelUrl))
        {
            return null;
        }

        if (!Uri.TryCreate(panelUrl.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new ArgumentException(
                $"PanelUrl '{panelUrl}' is not the panel's public address: give an absolute http(s) address without query or fragment, such as https://panel.example.org.",
                nameof(panelUrl));
        }

        var text = uri.GetLeftPart(UriPartial.Path);
        return text.EndsWith('/') ? text : text + "/";
    }

    /// <summary>
    /// The host name containers must reach the issuer by (for their hosts file), or null when the
    /// issuer is an IP address or the machine itself (nothing to map).
    /// </summary>
    public static string? HostName(string? issuer)
    {
        if (issuer is null || !Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || uri.HostNameType != UriHostNameType.Dns || uri.IsLoopback)
        {
            return null;
        }

        return uri.IdnHost;
    }
}

/// <summary>The provider's own scope, beside OpenID Connect's standard ones.</summary>
public static class SsoScopes
{
    /// <summary>Asks for the person's groups in the app's organization (the <c>groups</c> claim, a JSON array).</summary>
    public const string Groups = "groups";
}
