using System.Text;
using HostPanel.Core.Apps;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using HostPanel.Integration.Tests.TestWorld;

namespace HostPanel.Integration.Tests.Apps;

/// <summary>Install, update with rollback, remove — on the test world's engine with the test catalog.</summary>
public sealed class LifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InstallsRemovesKeepingDataReinstallsOnItAndPurges()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("hello");
        await using var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct);

        var install = await life.Apps.InstallAsync(new InstallRequest("hello", Callers.Root) { Name = name, Domain = $"{name}.velo-lyon.fr" }, Ct);

        Assert.Equal(OperationState.Succeeded, install.State);
        Assert.Equal("ok", (await life.GetAsync(name, "/health", Ct)).Trim());
        Assert.Equal(InstanceState.Running, (await life.Instances.FindAsync(name, Ct))!.State);
        var web = await life.Engine.Containers.InspectAsync(ResourceNames.Container(name, "web"), Ct);
        Assert.Equal("default", web!.Labels[HostPanelLabels.Organization]);
        Assert.Equal(name, web.Labels[HostPanelLabels.Instance]);
        Assert.Equal("web", web.Labels[HostPanelLabels.Service]);
        Assert.Equal("1", web.Labels[HostPanelLabels.Version]);
        // HostPanel ran the health check itself; the engine keeps running it on its own schedule.
        Assert.True(web.Health is ContainerHealth.Starting or ContainerHealth.Healthy, $"health {web.Health}");

        var removed = await life.Apps.RemoveAsync(name, Callers.Root, purge: false, confirmed: false, Ct);

        Assert.Equal(OperationState.Succeeded, removed.State);
        Assert.Equal([$"volume hp-{name}-data"], await life.EngineObjectsAsync(name, Ct));
        Assert.Equal(InstanceState.Removed, (await life.Instances.FindAsync(name, Ct))!.State);

        var again = await life.Apps.InstallAsync(new InstallRequest("hello", Callers.Root) { Name = name, Domain = $"{name}.velo-lyon.fr" }, Ct);

        Assert.Equal(OperationState.Succeeded, again.State);
        var starts = (await life.GetAsync(name, "/cgi-bin/read", Ct)).Split('\n').Count(l => l.Contains("start", StringComparison.OrdinalIgnoreCase));
        Assert.True(starts >= 2, $"the kept volume should show both starts, saw {starts}");

        var purged = await life.Apps.RemoveAsync(name, Callers.Root, purge: true, confirmed: true, Ct);

        Assert.Equal(OperationState.Succeeded, purged.State);
        Assert.Empty(await life.EngineObjectsAsync(name, Ct));
        Assert.Null(await life.Instances.FindAsync(name, Ct));
    }

    [Fact]
    public async Task ServicesThatNeedNothingFromEachOtherStartSideBySide()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("gallery");
        await using var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct);

        var install = await life.Apps.InstallAsync(new InstallRequest("gallery", Callers.Root) { Name = name, Domain = $"{name}.velo-lyon.fr" }, Ct);

        Assert.True(install.State == OperationState.Succeeded, install.Outcome);
        Assert.Equal("ok", (await life.GetAsync(name, "/health", Ct)).Trim());
        Assert.Equal("ok", (await life.GetAsync(name, "/health", Ct, service: "media")).Trim());
        var steps = await life.Journal.StepsAsync(install.Id, Ct);
        DateTimeOffset Started(PlanStep step) => steps.Single(s => s.Step == step).StartedAt!.Value;
        DateTimeOffset Finished(PlanStep step) => steps.Single(s => s.Step == step).FinishedAt!.Value;
        var dbHealthy = steps.Single(s => s.Step is WaitHealthyStep { Service: "db" }).Step;
        var mediaStart = steps.Single(s => s.Step is StartContainerStep { Container: var c } && c.EndsWith("-media", StringComparison.Ordinal)).Step;
        var webCreate = steps.Single(s => s.Step is CreateContainerStep { Service: "web" }).Step;
        // The media server did not wait for the database; the web app did.
        Assert.True(Started(mediaStart) < Finished(dbHealthy), $"media started {Started(mediaStart):O}, database healthy {Finished(dbHealthy):O}");
        Assert.True(Started(webCreate) >= Finished(dbHealthy));

        var restart = await life.Apps.RestartAsync(name, Callers.Root, Ct);
        Assert.True(restart.State == OperationState.Succeeded, restart.Outcome);
        Assert.Equal("ok", (await life.GetAsync(name, "/health", Ct, service: "media")).Trim());

        var purged = await life.Apps.RemoveAsync(name, Callers.Root, purge: true, confirmed: true, Ct);
        Assert.Equal(OperationState.Succeeded, purged.State);
        Assert.Empty(await life.EngineObjectsAsync(name, Ct));
    }

    [Fact]
    public async Task UpdatesMigratingDataThenRollsBackABrokenVersionWithDataIntact()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("notes");
        string dumpBefore;
        await using (var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct))
        {
            var install = await life.Apps.InstallAsync(new InstallRequest("notes", Callers.Root) { Name = name, Domain = $"{name}.velo-lyon.fr", Answers = new Dictionary<string, string> { ["first_note"] = "Réunion d'atelier jeudi" } }, Ct);
            Assert.True(install.State == OperationState.Succeeded, install.Outcome + " " + install.Detail);
            Assert.Contains("added", await life.GetAsync(name, "/cgi-bin/add?pneus", Ct), StringComparison.Ordinal);
            Assert.Equal(["Réunion d'atelier jeudi", "pneus"], Notes(await life.GetAsync(name, "/cgi-bin/notes", Ct)).Select(n => n[1]));
        }

        await using (var life = await Lifecycle.StartAsync(scratch.DataDirectory, 2, Ct))
        {
            var update = await life.Apps.UpdateAsync(name, Callers.Root, null, Ct);

            Assert.True(update.State == OperationState.Succeeded, update.Outcome + " " + update.Detail);
            Assert.Equal("2", (await life.GetAsync(name, "/version", Ct)).Trim());
            Assert.Equal(["[v2] Réunion d'atelier jeudi", "[v2] pneus"], Notes(await life.GetAsync(name, "/cgi-bin/notes", Ct)).Select(n => n[^1]));
            dumpBefore = await DumpAsync(life, name);
        }

        await using (var life = await Lifecycle.StartAsync(scratch.DataDirectory, 3, Ct))
        {
            var update = await life.Apps.UpdateAsync(name, Callers.Root, "3", Ct);

            Assert.Equal(OperationState.RolledBack, update.State);
            Assert.Contains("version 2", update.Outcome, StringComparison.Ordinal);
            Assert.Contains("migration 3 failed", update.Outcome, StringComparison.Ordinal);
            var instance = (await life.Instances.FindAsync(name, Ct))!;
            Assert.Equal(("2", InstanceState.Running), (instance.Version, instance.State));
            Assert.Equal("2", (await life.GetAsync(name, "/version", Ct)).Trim());
            Assert.Equal("ok", (await life.GetAsync(name, "/health", Ct)).Trim());
            Assert.Equal(dumpBefore, await DumpAsync(life, name));
            Assert.Equal(
                [$"container hp-{name}-db", $"container hp-{name}-web", $"network hp-{name}-internal", $"volume hp-{name}-data", $"volume hp-{name}-pgdata"],
                (await life.EngineObjectsAsync(name, Ct)).Order(StringComparer.Ordinal));

            // Each update was preceded by a backup of the version it started from.
            var operations = (await life.Journal.ListAsync(name, null, 50, Ct)).OrderBy(o => o.CreatedAt).Select(o => $"{o.Kind} {o.FromVersion} {o.State}").ToList();
            Assert.Equal(["Install  Succeeded", "Backup 1 Succeeded", "Update 1 Succeeded", "Backup 2 Succeeded", "Update 2 RolledBack"], operations);
            Assert.Equal(["1", "2"], (await life.Backups.ListAsync(Callers.Root, "default", name, Ct)).Select(b => b.Version));
        }
    }

    [Fact]
    public async Task RefusesBadRequestsWithoutCreatingAnything()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("bad");
        await using var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct);

        async Task<AppRequestException> Refused(InstallRequest request) =>
            await Assert.ThrowsAsync<AppRequestException>(() => life.Apps.InstallAsync(request, Ct));

        Assert.Equal("app", (await Refused(new InstallRequest("jitsi", Callers.Root) { Name = name })).Field);
        Assert.Equal("name", (await Refused(new InstallRequest("hello", Callers.Root) { Name = "Bad_Name!", Domain = "a.velo-lyon.fr" })).Field);
        Assert.Equal("domain", (await Refused(new InstallRequest("hello", Callers.Root) { Name = name })).Field);
        Assert.Equal("domain", (await Refused(new InstallRequest("hello", Callers.Root) { Name = name, Domain = "https://x.org/path" })).Field);
        Assert.Equal("q.first_note", (await Refused(new InstallRequest("notes", Callers.Root) { Name = name, Domain = "n.velo-lyon.fr", Answers = new Dictionary<string, string> { ["first_note"] = new string('x', 201) } })).Field);
        Assert.Equal("q.colour", (await Refused(new InstallRequest("notes", Callers.Root) { Name = name, Domain = "n.velo-lyon.fr", Answers = new Dictionary<string, string> { ["colour"] = "red" } })).Field);
        Assert.Equal("org", (await Refused(new InstallRequest("hello", Callers.Root) { Name = name, Domain = "h.velo-lyon.fr", OrganizationId = "nowhere" })).Field);

        Assert.Empty(await life.EngineObjectsAsync(name, Ct));
        Assert.Null(await life.Instances.FindAsync(name, Ct));
        Assert.Empty(await life.Journal.ListAsync(name, null, 10, Ct));
    }

    [Fact]
    public async Task ANameOrAnAddressIsNotTakenTwice()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("once");
        await using var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct);
        var first = await life.Apps.InstallAsync(new InstallRequest("hello", Callers.Root) { Name = name, Domain = $"{name}.velo-lyon.fr" }, Ct);
        Assert.Equal(OperationState.Succeeded, first.State);
        var objects = await life.EngineObjectsAsync(name, Ct);

        var clash = await Assert.ThrowsAsync<AppRequestException>(() => life.Apps.InstallAsync(new InstallRequest("hello", Callers.Root) { Name = name, Domain = "other.velo-lyon.fr" }, Ct));
        var other = scratch.Name("other");
        var sameDomain = await Assert.ThrowsAsync<AppRequestException>(() => life.Apps.InstallAsync(new InstallRequest("hello", Callers.Root) { Name = other, Domain = $"{name}.velo-lyon.fr" }, Ct));

        Assert.Equal("name", clash.Field);
        Assert.Equal("domain", sameDomain.Field);
        Assert.Equal(objects, await life.EngineObjectsAsync(name, Ct));
        Assert.Empty(await life.EngineObjectsAsync(other, Ct));
    }

    [Fact]
    public async Task SecretsAreNotInClearInTheDatabaseNorInTheJournal()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("secret");
        await using (var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct))
        {
            var install = await life.Apps.InstallAsync(new InstallRequest("notes", Callers.Root) { Name = name, Domain = $"{name}.velo-lyon.fr" }, Ct);
            Assert.True(install.State == OperationState.Succeeded, install.Outcome);
            var password = (await life.Engine.Containers.ExecAsync(ResourceNames.Container(name, "web"), new ExecRequest { Command = ["printenv", "DB_PASSWORD"] }, Ct)).Stdout.Trim();
            Assert.Equal(24, password.Length);

            var log = string.Join('\n', (await life.Journal.LogAsync(install.Id, Ct)).Select(l => l.Text));
            var steps = string.Join('\n', (await life.Journal.StepsAsync(install.Id, Ct)).Select(s => System.Text.Json.JsonSerializer.Serialize(s.Step)));
            Assert.DoesNotContain(password, log, StringComparison.Ordinal);
            Assert.DoesNotContain(password, steps, StringComparison.Ordinal);

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(scratch.DataDirectory, "hostpanel.db*"))
            {
                var bytes = await File.ReadAllBytesAsync(file, Ct);
                Assert.False(Encoding.UTF8.GetString(bytes).Contains(password, StringComparison.Ordinal), $"{Path.GetFileName(file)} holds the password in clear");
            }
        }
    }

    [Fact]
    public async Task TwoOrganizationsRunTheSameAppOnSeparateNetworks()
    {
        await using var scratch = new Scratch();
        var a = scratch.Name("org-a");
        var b = scratch.Name("org-b");
        await using var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct);
        var hoster = $"asso-{Guid.NewGuid():N}"[..13];
        await life.Organizations.AddAsync(new HostPanel.Core.Organizations.Organization(hoster, hoster, DateTimeOffset.UtcNow), Ct);

        Assert.Equal(OperationState.Succeeded, (await life.Apps.InstallAsync(new InstallRequest("hello", Callers.Root) { Name = a, Domain = $"{a}.velo-lyon.fr" }, Ct)).State);
        Assert.Equal(OperationState.Succeeded, (await life.Apps.InstallAsync(new InstallRequest("hello", Callers.Root) { Name = b, Domain = $"{b}.velo-lyon.fr", OrganizationId = hoster }, Ct)).State);
        Assert.Equal(hoster, (await life.Engine.Containers.InspectAsync(ResourceNames.Container(b, "web"), Ct))!.Labels[HostPanelLabels.Organization]);

        var addressOfB = await life.AddressAsync(b, "web", Ct);
        var addressOfA = await life.AddressAsync(a, "web", Ct);
        var probe = "printf 'GET /health HTTP/1.0\\r\\n\\r\\n' | nc -w 3 \"$0\" 8080";
        var own = await life.Engine.Containers.ExecAsync(ResourceNames.Container(a, "web"), new ExecRequest { Command = ["sh", "-c", probe, addressOfA], Timeout = TimeSpan.FromSeconds(20) }, Ct);
        var other = await life.Engine.Containers.ExecAsync(ResourceNames.Container(a, "web"), new ExecRequest { Command = ["sh", "-c", probe, addressOfB], Timeout = TimeSpan.FromSeconds(20) }, Ct);

        Assert.Contains("200", own.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("200", other.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, other.ExitCode);
        Assert.NotEqual(
            (await life.Engine.Containers.InspectAsync(ResourceNames.Container(a, "web"), Ct))!.Networks,
            (await life.Engine.Containers.InspectAsync(ResourceNames.Container(b, "web"), Ct))!.Networks);
    }

    [Fact]
    public async Task ObjectsWithoutHostPanelLabelsSurviveInstallPurgeAndReconcile()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("wall");
        var foreign = $"not-hostpanel-{Guid.NewGuid():N}"[..26];
        using var raw = World.RawEngine();
        using (var created = await raw.PostAsync($"/containers/create?name={foreign}", System.Net.Http.Json.JsonContent.Create(new { Image = World.WebImage, Labels = new Dictionary<string, string> { ["hostpanel.instance"] = name } }), Ct))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        }

        using (var created = await raw.PostAsync("/volumes/create", System.Net.Http.Json.JsonContent.Create(new { Name = foreign, Labels = new Dictionary<string, string> { ["hostpanel.instance"] = name } }), Ct))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        }

        try
        {
            await using var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct);
            Assert.Equal(OperationState.Succeeded, (await life.Apps.InstallAsync(new InstallRequest("hello", Callers.Root) { Name = name, Domain = $"{name}.velo-lyon.fr" }, Ct)).State);
            Assert.Equal(OperationState.Succeeded, (await life.Apps.RemoveAsync(name, Callers.Root, purge: true, confirmed: true, Ct)).State);
            var report = await life.Reconciler.RunAsync(Ct);

            Assert.NotNull(await life.Engine.Containers.InspectAsync(foreign, Ct));
            using var volume = await raw.GetAsync($"/volumes/{foreign}", Ct);
            Assert.Equal(System.Net.HttpStatusCode.OK, volume.StatusCode);
            Assert.DoesNotContain(report.Drift, d => d.Contains(foreign, StringComparison.Ordinal));
        }
        finally
        {
            (await raw.DeleteAsync($"/containers/{foreign}?force=true", CancellationToken.None)).Dispose();
            (await raw.DeleteAsync($"/volumes/{foreign}", CancellationToken.None)).Dispose();
        }
    }

    private static List<string[]> Notes(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t'))];

    private static async Task<string> DumpAsync(Lifecycle life, string instance)
    {
        var result = await life.Engine.Containers.ExecAsync(
            ResourceNames.Container(instance, "db"),
            new ExecRequest { Command = ["sh", "-c", "pg_dump --no-owner -h 127.0.0.1 -U notes notes"], Environment = new Dictionary<string, string> { ["PGPASSWORD"] = await PasswordAsync(life, instance) } },
            Ct);
        Assert.True(result.ExitCode == 0, result.Stderr);

        // pg_dump marks its output with a random \restrict key each run; the data is what counts.
        return string.Join('\n', result.Stdout.Split('\n').Where(l => !l.StartsWith("\\restrict", StringComparison.Ordinal) && !l.StartsWith("\\unrestrict", StringComparison.Ordinal)));
    }

    private static async Task<string> PasswordAsync(Lifecycle life, string instance) =>
        (await life.Engine.Containers.ExecAsync(ResourceNames.Container(instance, "db"), new ExecRequest { Command = ["printenv", "POSTGRES_PASSWORD"] }, Ct)).Stdout.Trim();
}
