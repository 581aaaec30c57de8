using HostPanel.Core.Apps;
using HostPanel.Core.Backups;
using HostPanel.Core.Catalog.Loading;
using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Operations;

namespace HostPanel.Core.Tests.Backups;

public class BackupPlanningTests
{
    private static readonly AppInstance Instance = new()
    {
        Name = "notes-asso",
        OrganizationId = "default",
        AppId = "notes",
        Version = "1",
        Domain = "notes.velo-lyon.fr",
    };

    private static AppManifest Notes() =>
        CatalogLoader.LoadDirectory(RepositoryPaths.TestCatalog(1)).Apps.Single(a => a.Manifest.Id == "notes").Manifest;

    private static BackupRecord Record(params BackedUpVolume[] volumes) => new()
    {
        CreatedAt = DateTimeOffset.UnixEpoch,
        Organization = "default",
        Instance = "notes-asso",
        App = "notes",
        Version = "1",
        ManifestYaml = "",
        Volumes = volumes,
        Databases = [new BackedUpDatabase("main", "db", "abcdef0123456789", "/notes-asso-main.dump")],
    };

    private const string Data = "/var/lib/docker/volumes/hp-notes-asso-data/_data";
    private const string RecordPath = "/var/lib/hostpanel/backups/records/0a1b/hostpanel-backup.json";

    [Fact]
    public void ABackupDumpsEachDatabaseThenTheFileVolumesWithTheRecord()
    {
        var steps = BackupPlanner.Backup(Notes(), Instance);

        Assert.Equal(["dump database main into the backup", "back up volumes data and the app's record"], steps.Select(s => s.Describe()));
    }

    [Fact]
    public void ARestoreStagesBeforeStoppingLoadsTheDatabaseBeforeTheAppAndDropsOldDataLast()
    {
        var steps = BackupPlanner.Restore(Notes(), Instance, Record(new BackedUpVolume("data", Data)), "abcdef", RecordPath, InstanceState.Running);

        Assert.Equal(
            [
                "mark the app Restoring at version 1",
                "fetch backup abcdef into the staging area",
                "stop container hp-notes-asso-web",
                "stop container hp-notes-asso-db",
                "put the backed-up data in place in hp-notes-asso-pgdata, hp-notes-asso-data",
                "start container hp-notes-asso-db",
                "wait until hp-notes-asso-db is healthy (at most 247 s)",
                "load database main from the backup",
                "start container hp-notes-asso-web",
                "wait until hp-notes-asso-web is healthy (at most 154 s)",
                "delete the previous data of hp-notes-asso-pgdata, hp-notes-asso-data and the staging area",
                "mark the app Running at version 1",
            ],
            steps.Select(s => s.Describe()));
        Assert.Equal(Data, steps.OfType<PlaceVolumeDataStep>().Single().Staged!["hp-notes-asso-data"]);
    }

    [Fact]
    public void AFailedRestorePutsTheOldDataBackAndTheAppAsItWas()
    {
        var running = BackupPlanner.UndoRestore(Notes(), Instance, InstanceState.Running, new HashSet<string>());
        var stopped = BackupPlanner.UndoRestore(Notes(), Instance, InstanceState.Stopped, new HashSet<string>());
        var fresh = BackupPlanner.UndoRestore(Notes(), Instance, null, new HashSet<string>());

        Assert.Contains(running, s => s is PutVolumeDataBackStep);
        Assert.Contains(running, s => s is StartContainerStep);
        Assert.Equal(new SetInstanceStateStep(InstanceState.Running), running[^1]);
        Assert.DoesNotContain(stopped, s => s is StartContainerStep);
        Assert.Equal(new SetInstanceStateStep(InstanceState.Stopped), stopped[^1]);
        Assert.IsType<ForgetInstanceStep>(fresh[^1]);
        Assert.True(fresh.ToList().FindIndex(s => s is PutVolumeDataBackStep) < fresh.ToList().FindIndex(s => s is RemoveVolumeStep));
    }

    [Theory]
    [InlineData("/var/lib/docker/volumes/hp-notes-asso-data/_data/a/b.txt", "file", null, null)]
    [InlineData("/var/lib/docker/volumes/hp-notes-asso-data/_data/link", "symlink", "a/b.txt", null)]
    [InlineData("/var/lib/docker/volumes/hp-notes-asso-data/_data/a/up", "symlink", "../b.txt", null)]
    [InlineData("/var/lib/docker/volumes/hp-notes-asso-data/_data/abs", "symlink", "/var/www/html/index.php", null)]
    [InlineData("/var/lib/docker/volumes/hp-notes-asso-data/_data/out", "symlink", "../../../../../../etc/shadow", "leaves its volume")]
    [InlineData("/var/lib/docker/volumes/hp-notes-asso-data/_data/abs-up", "symlink", "/var/../etc/shadow", "link to")]
    [InlineData("/etc/cron.d/evil", "file", null, "outside the app's volumes")]
    [InlineData("/var/lib/docker/volumes/hp-notes-asso-data/_data/../../x", "file", null, "not a clean absolute path")]
    [InlineData("/var/lib/docker/volumes/hp-notes-asso-data/_data2/x", "file", null, "outside the app's volumes")]
    public void OnlyPathsInsideTheVolumesAndLinksThatStayInsideAreRestored(string path, string type, string? link, string? problem)
    {
        ResticNode[] nodes =
        [
            new("/var", "dir", null, 0),
            new("/var/lib/docker/volumes/hp-notes-asso-data", "dir", null, 0),
            new(Data, "dir", null, 0),
            new("/var/lib/hostpanel/backups/records/0a1b", "dir", null, 0),
            new(RecordPath, "file", null, 10),
            new(path, type, link, 1),
        ];

        var found = BackupPaths.FindProblem(nodes, Record(new BackedUpVolume("data", Data)), RecordPath);

        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/srv/backups/asso", "/srv/backups/asso")]
    [InlineData("/srv/backups/asso/", "/srv/backups/asso")]
    [InlineData("sftp://backup@sauvegardes.example.org:2222//srv/restic/asso", null)]
    [InlineData("sftp:backup@sauvegardes.example.org:/srv/restic/asso", null)]
    [InlineData("s3:https://s3.example.org/bucket/asso", null)]
    public void BackupLocationsInTheirThreeForms(string location, string? normalized)
    {
        Assert.Equal(normalized ?? location, BackupRepositories.ValidateLocation(location));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("relative/path")]
    [InlineData("/srv/../etc")]
    [InlineData("ftp://example.org/x")]
    [InlineData("sftp://user@host/relative")]
    [InlineData("/srv/backups\n/etc")]
    public void OtherLocationsAreRefusedNamingTheField(string location)
    {
        var refused = Assert.Throws<AppRequestException>(() => BackupRepositories.ValidateLocation(location));
        Assert.Equal("target", refused.Field);
    }
}
