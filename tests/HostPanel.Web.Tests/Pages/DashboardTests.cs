using System.Globalization;
using Bunit;
using HostPanel.Core.Engine;
using HostPanel.Web.Components.Pages;
using HostPanel.Web.Localization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace HostPanel.Web.Tests.Pages;

public sealed class DashboardTests : BunitContext
{
    private readonly FakeEngine _engine = new();

    public DashboardTests()
    {
        Services.AddLogging();
        Services.AddHostPanelLocalization();
        Services.AddMudServices();
        Services.AddSingleton<IContainerEngine>(_engine);
        AddBunitPersistentComponentState();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static void UseCulture(string name)
    {
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);
    }

    private string EngineText(IRenderedComponent<Home> page) =>
        page.Find("#engine-status").TextContent;

    [Fact]
    public void SaysInFrenchThatTheEngineAnswersWithItsVersion()
    {
        UseCulture("fr");
        _engine.Status = new EngineStatus("unix:///run/docker.sock", true, "20.10.24", "1.41", "linux", null);

        var page = Render<Home>();

        page.WaitForAssertion(() => Assert.Contains("Le moteur Docker répond : version 20.10.24 (API 1.41).", EngineText(page)));
        Assert.Contains($"HostPanel version {PanelVersion.Current}", page.Markup);
    }

    [Fact]
    public void SaysInFrenchThatTheEngineDoesNotAnswerAndWhy()
    {
        UseCulture("fr");
        _engine.Status = EngineStatus.Unreachable("unix:///nowhere.sock", "there is no engine socket at /nowhere.sock");

        var page = Render<Home>();

        page.WaitForAssertion(() => Assert.Contains("Le moteur Docker ne répond pas. Vérifiez qu'il est démarré.", EngineText(page)));
        Assert.Contains("Adresse du moteur : unix:///nowhere.sock", EngineText(page));
        Assert.Contains("Cause : there is no engine socket at /nowhere.sock", EngineText(page));
    }

    [Fact]
    public void SpeaksEnglishWhenAskedTo()
    {
        UseCulture("en");
        _engine.Status = EngineStatus.Unreachable("unix:///nowhere.sock", "refused");

        var page = Render<Home>();

        page.WaitForAssertion(() => Assert.Contains("The Docker engine does not answer. Check that it is running.", EngineText(page)));
        Assert.Equal("Dashboard", page.Find("h1").TextContent.Trim());
    }

    [Fact]
    public void AnEngineErrorIsShownAsNotAnswering()
    {
        UseCulture("fr");
        _engine.Failure = new ContainerEngineException("permission denied on the socket");

        var page = Render<Home>();

        page.WaitForAssertion(() => Assert.Contains("Le moteur Docker ne répond pas.", EngineText(page)));
        Assert.Contains("permission denied on the socket", EngineText(page));
    }

    private sealed class FakeEngine : IContainerEngine, IEngineSystem
    {
        public EngineStatus? Status { get; set; }

        public Exception? Failure { get; set; }

        public IEngineSystem System => this;

        public IEngineImages Images => throw new NotSupportedException();

        public IEngineContainers Containers => throw new NotSupportedException();

        public IEngineNetworks Networks => throw new NotSupportedException();

        public IEngineVolumes Volumes => throw new NotSupportedException();

        public Task<EngineStatus> GetStatusAsync(CancellationToken ct = default) =>
            Failure is not null ? Task.FromException<EngineStatus>(Failure) : Task.FromResult(Status!);
    }
}
