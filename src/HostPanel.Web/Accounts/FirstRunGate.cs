using HostPanel.Infrastructure.Accounts;
using Microsoft.AspNetCore.Components.Endpoints;

namespace HostPanel.Web.Accounts;

/// <summary>When a page may be shown, relative to the first run (the creation of the first administrator).</summary>
public enum FirstRunAccess
{
    /// <summary>Only once an administrator exists (every page, unless it says otherwise).</summary>
    AfterSetup,

    /// <summary>Only while no administrator exists: the first-run page.</summary>
    BeforeSetup,

    /// <summary>Always (error pages).</summary>
    Always,
}

/// <summary>Marks a page that is not an ordinary <see cref="FirstRunAccess.AfterSetup"/> page.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class FirstRunAttribute(FirstRunAccess access) : Attribute
{
    public FirstRunAccess Access { get; } = access;
}

/// <summary>
/// Sends every page request to the first-run page while no administrator exists, and away from
/// it afterwards. Only pages are concerned: the health check, the language switch and static
/// files answer in any case.
/// </summary>
internal sealed class FirstRunGate(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, FirstRunState firstRun)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<ComponentTypeMetadata>() is null)
        {
            await next(context);
            return;
        }

        var access = endpoint.Metadata.GetMetadata<FirstRunAttribute>()?.Access ?? FirstRunAccess.AfterSetup;
        if (access != FirstRunAccess.Always)
        {
            var setUp = await firstRun.AdministratorExistsAsync(context.RequestAborted);
            if (!setUp && access == FirstRunAccess.AfterSetup)
            {
                context.Response.Redirect(AccountsWebExtensions.SetupPath);
                return;
            }

            if (setUp && access == FirstRunAccess.BeforeSetup)
            {
                context.Response.Redirect("/");
                return;
            }
        }

        await next(context);
    }
}
