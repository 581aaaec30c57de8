using System.Runtime.Versioning;
using HostPanel.Core.Configuration;
using HostPanel.Infrastructure.Accounts;
using HostPanel.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Accounts;

[SupportedOSPlatform("linux")]
public sealed class DatabaseTests : IDisposable
{
    private readonly TempDataDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ServiceProvider Services(string dataDirectory)
    {
        var options = new HostPanelOptions { DataDirectory = dataDirectory };
        var services = new ServiceCollection().AddLogging();
        services.AddHostPanelData(options);
        services.AddHostPanelAccounts(options);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task MigratingCreatesAnOwnerOnlyDataDirectoryAndAWriteAheadLogDatabase()
    {
        var dataDirectory = Path.Combine(_root.Path, "data");
        await using var services = Services(dataDirectory);

        await services.GetRequiredService<HostPanelDatabase>().MigrateAsync(Ct);

        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(dataDirectory));
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "hostpanel.db")}");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(Ct));
        command.CommandText = "SELECT COUNT(*) FROM \"__EFMigrationsHistory\";";
        Assert.True((long)(await command.ExecuteScalarAsync(Ct))! >= 1);
    }

    [Fact]
    public async Task PreparingTheFirstRunCreatesTheRoleAndTheTokenThenDropsTheTokenOnceAnAdministratorExists()
    {
        var dataDirectory = Path.Combine(_root.Path, "data");
        await using (var services = Services(dataDirectory))
        {
            await services.GetRequiredService<HostPanelDatabase>().MigrateAsync(Ct);
            await services.GetRequiredService<FirstRunState>().PrepareAsync(Ct);

            await using var scope = services.CreateAsyncScope();
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            Assert.NotNull(await roles.FindByNameAsync(HostPanelRoles.HosterAdministrator));
            Assert.True(File.Exists(Path.Combine(dataDirectory, SetupTokenStore.FileName)));

            // An administrator made some other way (say, from the command line) while the token stays behind.
            var users = scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>();
            var admin = new HostPanelUser { UserName = "root@example.org", Email = "root@example.org", DisplayName = "Root" };
            Assert.True((await users.CreateAsync(admin, "une phrase assez longue")).Succeeded);
            Assert.True((await users.AddToRoleAsync(admin, HostPanelRoles.HosterAdministrator)).Succeeded);
        }

        // At the next start the leftover token is removed.
        await using (var services = Services(dataDirectory))
        {
            await services.GetRequiredService<HostPanelDatabase>().MigrateAsync(Ct);
            await services.GetRequiredService<FirstRunState>().PrepareAsync(Ct);

            Assert.False(File.Exists(Path.Combine(dataDirectory, SetupTokenStore.FileName)));
            Assert.True(await services.GetRequiredService<FirstRunState>().AdministratorExistsAsync(Ct));
        }
    }
}
