using System.Collections.ObjectModel;
using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Catalog.Secrets;

namespace HostPanel.Core.Catalog.Planning;

/// <summary>The panel's OIDC provider and this app's client there.</summary>
public sealed record SsoSettings(string Issuer, string ClientId, string ClientSecret)
{
    public string DiscoveryUrl => Issuer.TrimEnd('/') + "/.well-known/openid-configuration";
}

/// <summary>The outgoing mail profile handed to apps.</summary>
public sealed record SmtpSettings(string Host, int Port, string Username, string Password, string From, string Security)
{
    /// <summary>Everything but the password, which never reaches a log or a message.</summary>
    public override string ToString() => $"SmtpSettings {{ Host = {Host}, Port = {Port}, Username = {Username}, From = {From}, Security = {Security} }}";
}

/// <summary>Everything a manifest's placeholders can refer to, for one installed app.</summary>
public sealed record PlaceholderContext
{
    public required string Instance { get; init; }
    public required string Domain { get; init; }
    public string Path { get; init; } = "/";
    public IReadOnlyDictionary<string, GeneratedSecret> Secrets { get; init; } = ReadOnlyDictionary<string, GeneratedSecret>.Empty;
    public IReadOnlyDictionary<string, string> Answers { get; init; } = ReadOnlyDictionary<string, string>.Empty;
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = ReadOnlyDictionary<string, string>.Empty;
    public SsoSettings? Sso { get; init; }
    public SmtpSettings? Smtp { get; init; }

    public string Url => $"https://{Domain}{(Path == "/" ? string.Empty : Path.TrimEnd('/'))}";
}

/// <summary>Turns a manifest's templates into the values a container receives.</summary>
public static class AppEnvironment
{
    /// <summary>
    /// The environment of one service: its env groups in order, then its own env, then the SSO
    /// variables when single sign-on by env is on and the service receives them; each value
    /// rendered. Later keys override earlier ones.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ForService(AppManifest manifest, string service, PlaceholderContext context)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(context);
        var definition = manifest.Services.GetValueOrDefault(service)
            ?? throw new ArgumentException($"{manifest.Id} has no service '{service}'.", nameof(service));
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in definition.EnvFrom ?? [])
        {
            foreach (var (name, value) in manifest.Env![group])
            {
                result[name] = value;
            }
        }

        foreach (var (name, value) in definition.Env ?? [])
        {
            result[name] = value;
        }

        if (manifest.Sso.Mode == SsoMode.OidcEnv && context.Sso is not null && manifest.Sso.Services?.Contains(service) == true)
        {
            foreach (var (name, value) in manifest.Sso.Env ?? [])
            {
                result[name] = value;
            }
        }

        return result.ToDictionary(kv => kv.Key, kv => Render(manifest, kv.Value, context), StringComparer.Ordinal);
    }

    /// <summary>Renders one template string against the context.</summary>
    public static string Render(AppManifest manifest, string template, PlaceholderContext context) =>
        Placeholders.Render(template, expression => Resolve(manifest, expression, context));

    private static string? Resolve(AppManifest manifest, string expression, PlaceholderContext context)
    {
        var parts = expression.Split('.');
        return parts switch
        {
            ["domain"] => context.Domain,
            ["path"] => context.Path,
            ["url"] => context.Url,
            ["instance"] => context.Instance,
            ["secrets", var name] => context.Secrets.GetValueOrDefault(name)?.Part(null),
            ["secrets", var name, var part] => context.Secrets.GetValueOrDefault(name)?.Part(part),
            ["q", var name] => context.Answers.GetValueOrDefault(name)
                ?? manifest.Questions?.FirstOrDefault(q => q.Id == name)?.Default
                ?? (manifest.Questions?.Any(q => q.Id == name && !q.IsRequired) == true ? string.Empty : null),
            ["outputs", var name] => context.Outputs.GetValueOrDefault(name),
            ["service", var name] when manifest.Services.ContainsKey(name) => ServiceAlias(name),
            ["sso", "issuer"] => context.Sso?.Issuer,
            ["sso", "client_id"] => context.Sso?.ClientId,
            ["sso", "client_secret"] => context.Sso?.ClientSecret,
            ["sso", "discovery_url"] => context.Sso?.DiscoveryUrl,
            ["smtp", "host"] => context.Smtp?.Host ?? string.Empty,
            ["smtp", "port"] => context.Smtp?.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
            ["smtp", "username"] => context.Smtp?.Username ?? string.Empty,
            ["smtp", "password"] => context.Smtp?.Password ?? string.Empty,
            ["smtp", "from"] => context.Smtp?.From ?? string.Empty,
            ["smtp", "security"] => context.Smtp?.Security ?? string.Empty,
            _ => null,
        };
    }

    /// <summary>The name a service answers to on its app's network.</summary>
    public static string ServiceAlias(string service) => service;
}
