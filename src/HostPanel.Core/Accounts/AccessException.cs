namespace HostPanel.Core.Accounts;

/// <summary>
/// The caller may see the object but not do this to it (a member asking to remove an app of
/// their organization). Objects the caller may not see are answered as if they did not exist,
/// never with this exception.
/// </summary>
public sealed class AccessDeniedException(string message) : Exception(message);
