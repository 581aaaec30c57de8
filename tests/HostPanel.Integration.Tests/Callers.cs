using HostPanel.Core.Accounts;

namespace HostPanel.Integration.Tests;

/// <summary>Who the tests act as: root on the server, unless a test is about someone else.</summary>
internal static class Callers
{
    public static readonly Caller Root = Caller.Server("test");
}
