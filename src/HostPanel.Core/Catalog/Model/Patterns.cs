namespace HostPanel.Core.Catalog.Model;

/// <summary>The shapes of names in a manifest.</summary>
public static class Patterns
{
    public const string AppId = "^[a-z][a-z0-9-]{1,39}$";
    public const string AppIdHint = "lowercase letters, digits and '-', starting with a letter, 2 to 40 characters (for example nextcloud)";
    public const string Name = "^[a-z][a-z0-9_-]{0,39}$";
    public const string NameHint = "lowercase letters, digits, '_' and '-', starting with a letter (for example db_password)";
    public const string EnvVar = "^[A-Za-z_][A-Za-z0-9_]*$";
    public const string EnvVarHint = "letters, digits and '_', not starting with a digit (for example DB_HOST)";
    public const string Owner = "^[0-9]{1,10}:[0-9]{1,10}$";
    public const string OwnerHint = "UID:GID in numbers (for example 33:33)";
    public const string AbsolutePath = "^/[^\\0]*$";
    public const string AbsolutePathHint = "an absolute path inside the container (for example /var/www/html)";
    public const string HttpPath = "^/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$";
    public const string HttpPathHint = "a URL path starting with '/' (for example /status.php)";

    // The same rule as the edge proxy's (EdgeValidation): no '*', '%' or empty segment, which
    // Caddy would read as patterns or escapes, and no trailing '/'.
    public const string RoutePath = "^(/|(/[A-Za-z0-9._~!$&'()+,;=:@-]+)+)$";
    public const string RoutePathHint = "'/' or a URL path of non-empty segments without a trailing '/', '*' or '%' (for example /api/v1/streaming)";
    public const string FileMode = "^0?[0-7]{3}$";
    public const string FileModeHint = "an octal mode such as \"0444\"";
    public const string Version = "^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$";
    public const string VersionHint = "a version such as \"34.0.2\" (quote it)";
    public const string Schema = "^hostpanel/app@1$";
    public const string SchemaHint = "hostpanel/app@1";
    public const string Spdx = "^[A-Za-z0-9.+-]+( (AND|OR|WITH) [A-Za-z0-9.+-]+)*$";
    public const string SpdxHint = "an SPDX licence identifier such as AGPL-3.0-or-later";
    public const string HttpsUrl = "^https://[^\\s/$.?#][^\\s]*$";
    public const string HttpsUrlHint = "an https:// address";
    public const string Signal = "^SIG[A-Z0-9]+$";
    public const string SignalHint = "a signal name such as SIGTERM";
}
