namespace HostPanel.Web.Hosting;

/// <summary>Keeps redirects on this site, so that a crafted link cannot send anyone elsewhere.</summary>
public static class LocalUrl
{
    /// <summary>Returns <paramref name="url"/> when it is a path of this site, else "/".</summary>
    public static string OrRoot(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
            ? url
            : "/";
}
