namespace HostPanel.Core.Apps;

/// <summary>A request that cannot be carried out as asked; nothing was created or changed.</summary>
/// <param name="field">The input at fault (app, name, domain, q.admin_email, version…).</param>
/// <param name="message">What is wrong and what to do, for a person.</param>
public sealed class AppRequestException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
