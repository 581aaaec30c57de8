using System.Text.RegularExpressions;
using HostPanel.Core.Operations;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Apps;

/// <summary>
/// The way into an app for a new operation, shared by every service that starts one: the app's
/// lock is taken (refused at once when another operation holds it, in this process or another),
/// which makes "is the app free?" and "record the new operation" one step; an app with an
/// unfinished operation — interrupted and waiting for the reconciler — is refused too.
/// </summary>
public static partial class AppGate
{
    public static async Task<T> RunAsync<T>(InstanceLocks locks, IOperationJournal journal, string name, Func<Task<T>> body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(locks);
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(body);
        if (name is null || !NameRegex().IsMatch(name))
        {
            throw new AppRequestException("name", CoreText.Format("BadInstanceName", name ?? string.Empty));
        }

        try
        {
            return await locks.RunAsync(name, LockWait.Fail, async () =>
            {
                // Under the lock nobody runs this app's operations: an unfinished one was interrupted.
                if ((await journal.UnfinishedAsync(ct).ConfigureAwait(false)).Any(o => o.Instance == name))
                {
                    throw new AppRequestException("instance", CoreText.Format("InstanceInterrupted", name));
                }

                return await body().ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        }
        catch (InstanceBusyException e) when (e.Instance == name)
        {
            throw new AppRequestException("instance", CoreText.Format("InstanceBusy", name));
        }
    }

    [GeneratedRegex(AppInstance.NamePattern)]
    private static partial Regex NameRegex();
}
