using HostPanel.Core.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HostPanel.Infrastructure.Data;

/// <summary>Brings the database file up to the current schema before anything else uses it.</summary>
public sealed class HostPanelDatabase(HostPanelOptions options, IServiceScopeFactory scopes, ILogger<HostPanelDatabase> logger)
{
    /// <summary>The data directory holds the database, the key ring and the setup token: its owner only.</summary>
    internal const UnixFileMode DataDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public string DatabasePath => options.DatabasePath;

    /// <summary>Creates the data directory if needed, then applies every pending migration.</summary>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        EnsureDataDirectory(options.DataDirectory);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HostPanelDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count == 0)
        {
            // Already current: every command-line call passes here, and the migrator's own
            // lock and checks would cost it a noticeable part of a second.
            return;
        }

        logger.LogInformation("Applying {Count} database migration(s) to {Path}: {Migrations}",
            pending.Count, options.DatabasePath, string.Join(", ", pending));
        await db.Database.MigrateAsync(ct);
    }

    /// <summary>Creates <paramref name="directory"/> (owner-only on Unix) when it does not exist yet.</summary>
    public static void EnsureDataDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, DataDirectoryMode);
        }
    }
}
