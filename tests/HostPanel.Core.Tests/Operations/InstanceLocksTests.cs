using HostPanel.Core.Operations;

namespace HostPanel.Core.Tests.Operations;

/// <summary>
/// The app locks on real lock files. Two <see cref="InstanceLocks"/> on one directory stand for
/// two processes (the panel and a command): the file lock is what keeps them apart.
/// </summary>
public sealed class InstanceLocksTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hp-locks-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task AnotherHolderOfTheSameAppIsRefusedOrWaitsButOtherAppsAreFree()
    {
        var panel = new InstanceLocks(_directory);
        var command = new InstanceLocks(_directory);
        var inside = new TaskCompletionSource();
        var leave = new TaskCompletionSource();
        var holding = panel.RunAsync("notes", LockWait.Wait, async () =>
        {
            inside.SetResult();
            await leave.Task;
        }, Ct);
        await inside.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        await Assert.ThrowsAsync<InstanceBusyException>(() => command.RunAsync("notes", LockWait.Fail, () => Task.CompletedTask, Ct));
        await Assert.ThrowsAsync<InstanceBusyException>(() => panel.RunAsync("notes", LockWait.Fail, () => Task.CompletedTask, Ct));
        Assert.Equal(1, await command.RunAsync("hello", LockWait.Fail, () => Task.FromResult(1), Ct));

        var waiting = command.RunAsync("notes", LockWait.Wait, () => Task.FromResult("after"), Ct);
        await Task.Delay(300, Ct);
        Assert.False(waiting.IsCompleted);
        leave.SetResult();
        await holding;
        Assert.Equal("after", await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct));
    }

    [Fact]
    public async Task TheHolderMayTakeItsOwnLockAgain()
    {
        var locks = new InstanceLocks(_directory);

        var result = await locks.RunAsync("notes", LockWait.Fail, () => locks.RunAsync("notes", LockWait.Fail, () => Task.FromResult(42), Ct), Ct);

        Assert.Equal(42, result);
        // Released at the end: another holder gets it at once.
        Assert.True(await new InstanceLocks(_directory).RunAsync("notes", LockWait.Fail, () => Task.FromResult(true), Ct));
    }

    [Fact]
    public async Task AFailingBodyReleasesTheLock()
    {
        var locks = new InstanceLocks(_directory);

        await Assert.ThrowsAsync<InvalidOperationException>(() => locks.RunAsync("notes", LockWait.Fail, () => throw new InvalidOperationException("boom"), Ct));

        Assert.True(await new InstanceLocks(_directory).RunAsync("notes", LockWait.Fail, () => Task.FromResult(true), Ct));
    }

    [Theory]
    [InlineData("../notes")]
    [InlineData("a/b")]
    [InlineData("..")]
    public async Task NamesThatWouldLeaveTheDirectoryAreRefused(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => new InstanceLocks(_directory).RunAsync(name, LockWait.Fail, () => Task.CompletedTask, Ct));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(_directory)!, "notes.lock"));
    }
}
