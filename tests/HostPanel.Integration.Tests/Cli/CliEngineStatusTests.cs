using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HostPanel.Cli;
using HostPanel.Integration.Tests.TestWorld;

namespace HostPanel.Integration.Tests.Cli;

/// <summary>`hostpanel engine status` against the test world's engine.</summary>
public sealed class CliEngineStatusTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("hp-cli-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task JsonSaysTheEngineIsReachable()
    {
        var (code, output, _) = await RunInProcess("--data-dir", _dataDir, "engine", "status", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.True(json.RootElement.GetProperty("reachable").GetBoolean());
        Assert.Equal(World.DockerHost, json.RootElement.GetProperty("endpoint").GetString());
        Assert.Matches(@"^\d+\.\d+", json.RootElement.GetProperty("version").GetString());
    }

    [Fact]
    public async Task SettingsFileInTheDataDirectoryChoosesTheEngine()
    {
        var missing = $"unix:///tmp/{Guid.NewGuid():N}.sock";
        await File.WriteAllTextAsync(Path.Combine(_dataDir, "appsettings.json"), JsonSerializer.Serialize(new { DockerEndpoint = missing }), Ct);
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fr-FR");
        try
        {
            var (code, output, _) = await RunInProcess("engine", "status", "--data-dir", _dataDir);

            Assert.Equal(HostPanelCli.ExitUnhealthy, code);
            Assert.Contains("Le moteur Docker ne répond pas", output);
            Assert.Contains(missing, output);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public async Task TheBuiltProgramSpeaksEnglishWhenAskedAndHonoursEnvironmentOverrides()
    {
        var program = Path.Combine(AppContext.BaseDirectory, "hostpanel.dll");
        Assert.True(File.Exists(program), $"{program} should be copied next to the tests");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { program, "--data-dir", _dataDir, "engine", "status" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["LANG"] = "en_US.UTF-8";
        start.Environment["LC_ALL"] = "en_US.UTF-8";

        using (var reachable = Process.Start(start)!)
        {
            var text = await reachable.StandardOutput.ReadToEndAsync(Ct);
            await reachable.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);
            Assert.Equal(0, reachable.ExitCode);
            Assert.StartsWith("The Docker engine answers", text);
        }

        start.Environment["HOSTPANEL_DOCKERENDPOINT"] = "unix:///nonexistent/docker.sock";
        using var unreachable = Process.Start(start)!;
        var said = await unreachable.StandardOutput.ReadToEndAsync(Ct);
        await unreachable.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        Assert.Equal(HostPanelCli.ExitUnhealthy, unreachable.ExitCode);
        Assert.Contains("does not answer (unix:///nonexistent/docker.sock)", said);
    }

    [Fact]
    public async Task UnknownCommandIsRefusedWithUsage()
    {
        var (code, _, error) = await RunInProcess("engine", "explode");

        Assert.NotEqual(0, code);
        Assert.Contains("explode", error);
    }

    private static async Task<(int Code, string Output, string Error)> RunInProcess(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await HostPanelCli.RunAsync(args, output, error, Ct);
        return (code, output.ToString(), error.ToString());
    }

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);
}
