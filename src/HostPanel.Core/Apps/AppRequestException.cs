namespace HostPanel.Core.Apps;

/// <summary>A request that cannot be carried out as asked; nothing was created or changed.</summary>
/// <param name="field">The input at fault (app, name, domain, q.admin_email, version…).</param>
/// <param name="message">What is wrong and what to do, for a person.</param>
/// <param name="inner">The technical failure behind the refusal, when there is one (for the detail a helper reads).</param>
public sealed class AppRequestException(string field, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Field { get; } = field;
}
