using System.Globalization;
using Bunit;
using HostPanel.Core.Configuration;
using HostPanel.Infrastructure.Accounts;
using HostPanel.Infrastructure.Data;
using HostPanel.Infrastructure.Secrets;
using HostPanel.Web.Accounts;
using HostPanel.Web.Hosting;
using HostPanel.Web.Localization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace HostPanel.Web.Tests.Pages;

/// <summary>
/// A bUnit context wired like the panel: real Identity on a real SQLite file in a temporary data
/// directory, real setup token, real resources. Only the HTTP request is a stand-in.
/// </summary>
public abstract class PanelTestContext : BunitContext, IAsyncLifetime
{
    protected PanelTestContext()
    {
        Options = new HostPanelOptions { DataDirectory = Data.Path };
        Services.AddLogging();
        Services.AddHostPanelLocalization();
        Services.AddHostPanelDataProtection(Options);
        Services.AddHostPanelData(Options);
        Services.AddHostPanelWebAccounts(Options);
        Services.AddMudServices();

        // Sign-in writes its cookie to the current request; here a request made up for the test.
        HttpContext = new DefaultHttpContext { RequestServices = Services };
        Services.AddSingleton<IHttpContextAccessor>(new FixedHttpContextAccessor(HttpContext));
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    protected TempDataDirectory Data { get; } = new();

    protected HostPanelOptions Options { get; }

    protected DefaultHttpContext HttpContext { get; }

    public virtual async ValueTask InitializeAsync()
    {
        await Services.GetRequiredService<HostPanelDatabase>().MigrateAsync();
        await Services.GetRequiredService<FirstRunState>().PrepareAsync();
    }

    protected static void UseCulture(string name)
    {
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);
    }

    protected async Task<List<HostPanelUser>> UsersAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>();
        return [.. users.Users];
    }

    protected async Task<bool> IsHosterAdministratorAsync(HostPanelUser user)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>();
        return await users.IsInRoleAsync(user, HostPanelRoles.HosterAdministrator);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        Data.Dispose();
    }

    private sealed class FixedHttpContextAccessor(HttpContext context) : IHttpContextAccessor
    {
        public HttpContext? HttpContext
        {
            get => context;
            set { }
        }
    }
}
