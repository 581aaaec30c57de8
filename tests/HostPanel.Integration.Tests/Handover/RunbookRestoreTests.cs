using System.Diagnostics;
using System.Text;
using System.Text.Json;
using HostPanel.Cli;
using HostPanel.Core.Apps;
using HostPanel.Core.Backups;
using HostPanel.Core.Configuration;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using HostPanel.Infrastructure.Accounts;
using HostPanel.Integration.Tests.Apps;
using HostPanel.Integration.Tests.TestWorld;
using HostPanel.Tests;

namespace HostPanel.Integration.Tests.Handover;

/// <summary>
/// The runbook's plain-restic steps, followed to the letter in bash on the test world, get an
/// app's lost files and database back from its backup on the SFTP server — with no HostPanel.
/// </summary>
public sealed class RunbookRestoreTests : IAsyncDisposable
{
    private readonly Scratch _scratch = new();
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("hp-runbook-home-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        _home.Delete(recursive: true);
        await _scratch.DisposeAsync();
    }

    [Fact]
    public async Task ThePlainResticStepsOfTheRunbookBringBackTheFilesAndTheDatabase()
    {
        var app = _scratch.Name("book");
        await WorldApps.WriteSettingsAsync(_scratch.DataDirectory, Ct);
        await using var life = await Lifecycle.StartAsync(_scratch.DataDirectory, 1, Ct, null, services => services.AddHostPanelAccounts(new HostPanelOptions { DataDirectory = _scratch.DataDirectory }));
        var root = Callers.Root;
        var location = $"sftp://{World.SftpUser}@{World.SftpHost}:{World.SftpPort}/{World.SftpPath}/{app}";
        await life.Backups.SetTargetAsync(root, "default", location, World.SftpKey, World.SftpKnownHosts, Ct);
        var install = await life.Apps.InstallAsync(new InstallRequest("notes", root) { Name = app, Domain = $"{app}.velo-lyon.fr", Answers = new Dictionary<string, string> { ["first_note"] = "compte rendu de l'AG" } }, Ct);
        Assert.True(install.State == OperationState.Succeeded, $"{install.State}: {install.Outcome} {install.Detail}");
        Assert.Equal(0, (await WorldApps.ExecAsync(life, app, "web", "head -c 200000 /dev/urandom > /data/adhesions.bin && mkdir -p /data/2026 && echo 'bilan' > /data/2026/bilan.txt", Ct)).ExitCode);
        var files = await WorldApps.DataChecksumsAsync(life, app, "adhesions.bin", Ct);
        var notes = await life.GetAsync(app, "/cgi-bin/notes", Ct);
        Assert.Equal(OperationState.Succeeded, (await life.Backups.BackupAsync(app, root, Ct)).State);
        var password = (await life.Get<BackupRepositories>().DescribeAsync("default", Ct)).Password;

        // The runbook as a person reads it (Markdown), in French.
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await HostPanelCli.RunAsync(["--data-dir", _scratch.DataDirectory, "runbook", "--org", "default"], output, error, Ct);
        Assert.True(code == 0, error.ToString());
        var markdown = output.ToString();

        // What the runbook says of the app: its address, the DNS record it needs, where its backups
        // are, when it was last backed up and that no restore was proven yet.
        Assert.Contains($"https://{app}.velo-lyon.fr/", markdown, StringComparison.Ordinal);
        Assert.Contains($"A {app}.velo-lyon.fr → 127.0.0.1", markdown, StringComparison.Ordinal);
        Assert.Contains(location, markdown, StringComparison.Ordinal);
        Assert.Matches($@"\| {app} \| [^\n]*20\d\d[^\n]*jamais", markdown);
        Assert.Contains($"hostpanel backup list --org default --instance {app}", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(password, markdown, StringComparison.Ordinal);
        var script = PlainResticScript(markdown);

        // The loss: the app's files and its notes are gone.
        Assert.Equal(0, (await WorldApps.ExecAsync(life, app, "web", "rm -rf /data/adhesions.bin /data/2026", Ct)).ExitCode);
        Assert.Equal(0, (await WorldApps.ExecAsync(life, app, "db", "psql -U notes -d notes -v ON_ERROR_STOP=1 -c 'delete from notes'", Ct)).ExitCode);
        Assert.DoesNotContain("compte rendu", await life.GetAsync(app, "/cgi-bin/notes", Ct), StringComparison.Ordinal);

        // The steps, in order, in one bash; the only thing added is the password the text says to put in the file.
        var run = await BashAsync(script, password);
        Assert.True(run.ExitCode == 0, $"the runbook's steps failed ({run.ExitCode}):\n{script}\n--- output ---\n{run.Output}");

        Assert.Equal(files, await WorldApps.DataChecksumsAsync(life, app, "adhesions.bin", Ct));
        Assert.Equal(notes, await WaitForNotesAsync(life, app, notes));
    }

    /// <summary>
    /// The command blocks of the "with restic alone" part of the restore section, in order; right
    /// after the block that creates the password file, the password is written into it.
    /// </summary>
    private static string PlainResticScript(string markdown)
    {
        var lines = markdown.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("### ", StringComparison.Ordinal) && l.Contains("restic seul", StringComparison.Ordinal));
        Assert.True(start > 0, "the runbook has no plain-restic part");
        var script = new StringBuilder("set -euo pipefail\n");
        var inBlock = false;
        var block = new List<string>();
        for (var i = start + 1; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            if (lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                if (inBlock)
                {
                    script.AppendJoin('\n', block).Append('\n');
                    if (block.Any(l => l.StartsWith("install -m 600 /dev/null", StringComparison.Ordinal)))
                    {
                        script.Append("printf '%s' \"$RUNBOOK_TEST_PASSWORD\" > \"$HOME/restic-password\"\n");
                    }

                    block.Clear();
                }

                inBlock = !inBlock;
                continue;
            }

            if (inBlock)
            {
                block.Add(lines[i]);
            }
        }

        Assert.Contains("restic restore", script.ToString(), StringComparison.Ordinal);
        return script.ToString();
    }

    private async Task<(int ExitCode, string Output)> BashAsync(string script, string password)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["HOME"] = _home.FullName;
        start.Environment["RUNBOOK_TEST_PASSWORD"] = password;
        start.Environment["DOCKER_HOST"] = World.DockerHost;
        start.Environment["RESTIC_CACHE_DIR"] = Path.Combine(_home.FullName, ".cache");
        using var bash = Process.Start(start)!;
        var stdout = bash.StandardOutput.ReadToEndAsync(Ct);
        var stderr = bash.StandardError.ReadToEndAsync(Ct);
        await bash.StandardInput.WriteAsync(script);
        bash.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(4));
        try
        {
            await bash.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            bash.Kill(entireProcessTree: true);
            throw;
        }

        return (bash.ExitCode, await stdout + await stderr);
    }

    private static async Task<string> WaitForNotesAsync(Lifecycle life, string app, string expected)
    {
        var said = string.Empty;
        for (var i = 0; i < 30 && said != expected; i++)
        {
            try
            {
                said = await life.GetAsync(app, "/cgi-bin/notes", Ct);
            }
            catch (HttpRequestException)
            {
                // The app is still starting again after the steps.
            }

            if (said != expected)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), Ct);
            }
        }

        return said;
    }
}
