using System.Threading.RateLimiting;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Backups;
using HostPanel.Core.Certificates;
using HostPanel.Core.Domains;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace HostPanel.Web.Api;

/// <summary>
/// The HTTP API, beside the panel and the CLI, over the same application services: every request
/// carries a personal access token (<c>Authorization: Bearer hpt_…</c>), limited to one
/// organization and one role, and every decision is the services' own (<see cref="AccessControl"/>).
/// Refusals are RFC 9457 problems naming the field; an object of another organization is
/// answered exactly like one that does not exist. The OpenAPI document is served at
/// <see cref="OpenApiPath"/>.
/// </summary>
public static class ApiEndpoints
{
    public const string Prefix = "/api/v1";
    public const string OpenApiPath = "/api/openapi/v1.json";
    public const string RateLimitPolicy = "api";

    /// <summary>Requests per token (or per address without one) per minute.</summary>
    public const int RequestsPerMinute = 120;

    private const string CallerItem = "hostpanel.caller";

    public static IServiceCollection AddHostPanelApi(this IServiceCollection services)
    {
        services.AddOpenApi("v1", options => options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true);
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                PartitionKey(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = RequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limiter.OnRejected = async (context, ct) =>
            {
                if (!context.HttpContext.Request.Path.StartsWithSegments(Prefix, StringComparison.Ordinal))
                {
                    return;
                }

                context.HttpContext.Response.Headers.RetryAfter = "60";
                await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: Localized(context.HttpContext, "ApiTooManyRequests"))
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    public static WebApplication MapHostPanelApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi(OpenApiPath.Replace("v1.json", "{documentName}.json", StringComparison.Ordinal)).AllowAnonymous();

        var api = app.MapGroup(Prefix)
            .AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimitPolicy)
            .AddEndpointFilter(AuthenticateAsync)
            .WithTags("HostPanel");

        api.MapGet("/organizations", async (HttpContext http, OrganizationService organizations, CancellationToken ct) =>
            Ok((await organizations.ListAsync(Caller(http), ct)).Select(o => new OrganizationDto(o.Id, o.Name))));
        api.MapGet("/organizations/{id}/quota", (HttpContext http, string id, OrganizationService organizations, CancellationToken ct) =>
            Run(async () =>
            {
                var quota = await organizations.QuotaAsync(Caller(http), id, ct);
                var usage = await organizations.UsageAsync(Caller(http), id, ct);
                return new QuotaDto(quota.MaxApps, quota.MaxMemoryBytes, quota.MaxStorageBytes, usage.Apps, usage.MemoryBytes, usage.StorageBytes);
            }));

        api.MapGet("/apps", (HttpContext http, string? org, AccessControl access, CancellationToken ct) =>
            Run(async () => (await access.AppsAsync(Caller(http), org, includeRemoved: false, ct)).Select(AppDto.From)));
        api.MapGet("/apps/{name}", (HttpContext http, string name, AccessControl access, CancellationToken ct) =>
            Run(async () => AppDto.From(await access.AppAsync(Caller(http), name, OrganizationRole.Member, ct))));
        api.MapPost("/apps", (HttpContext http, InstallBody body, AppService apps, CancellationToken ct) =>
            Run(async () => OperationDto.From(await apps.InstallAsync(new InstallRequest(body.App ?? string.Empty, Caller(http))
            {
                OrganizationId = body.Organization,
                Name = body.Name,
                Domain = body.Domain,
                Answers = body.Answers ?? [],
            }, ct))));
        api.MapPost("/apps/{name}/start", (HttpContext http, string name, AppService apps, CancellationToken ct) => Run(async () => OperationDto.From(await apps.StartAsync(name, Caller(http), ct))));
        api.MapPost("/apps/{name}/stop", (HttpContext http, string name, AppService apps, CancellationToken ct) => Run(async () => OperationDto.From(await apps.StopAsync(name, Caller(http), ct))));
        api.MapPost("/apps/{name}/restart", (HttpContext http, string name, AppService apps, CancellationToken ct) => Run(async () => OperationDto.From(await apps.RestartAsync(name, Caller(http), ct))));
        api.MapPost("/apps/{name}/update", (HttpContext http, string name, string? to, AppService apps, CancellationToken ct) => Run(async () => OperationDto.From(await apps.UpdateAsync(name, Caller(http), to, ct))));
        api.MapPut("/apps/{name}/domain", (HttpContext http, string name, DomainBody body, AppService apps, CancellationToken ct) => Run(async () => OperationDto.From(await apps.ChangeDomainAsync(name, body.Domain, Caller(http), ct))));
        api.MapDelete("/apps/{name}", (HttpContext http, string name, bool? purge, bool? confirm, AppService apps, CancellationToken ct) =>
            Run(async () => OperationDto.From(await apps.RemoveAsync(name, Caller(http), purge ?? false, confirm ?? false, ct))));
        api.MapGet("/apps/{name}/access", (HttpContext http, string name, MemberService members, CancellationToken ct) =>
            Run(async () => new AccessDto(await members.AppAccessAsync(Caller(http), name, ct))));
        api.MapPut("/apps/{name}/access", (HttpContext http, string name, AccessDto body, MemberService members, CancellationToken ct) =>
            Run(async () =>
            {
                await members.SetAppAccessAsync(Caller(http), name, body.Groups, ct);
                return new AccessDto(await members.AppAccessAsync(Caller(http), name, ct));
            }));

        api.MapPost("/apps/{name}/backups", (HttpContext http, string name, BackupService backups, CancellationToken ct) => Run(async () => OperationDto.From(await backups.BackupAsync(name, Caller(http), ct))));
        api.MapPost("/apps/{name}/drill", (HttpContext http, string name, BackupService backups, CancellationToken ct) => Run(async () => OperationDto.From(await backups.DrillAsync(name, Caller(http), ct))));
        api.MapGet("/backups", (HttpContext http, string? org, string? app, BackupService backups, CancellationToken ct) =>
            Run(async () => (await backups.ListAsync(Caller(http), org, app, ct)).Select(b => new BackupDto(b.SnapshotId, b.Time, b.Organization, b.Instance, b.App, b.Version))));
        api.MapPost("/backups/{snapshot}/restore", (HttpContext http, string snapshot, RestoreBody body, BackupService backups, CancellationToken ct) =>
            Run(async () => OperationDto.From(await backups.RestoreAsync(snapshot, Caller(http), body.To, body.Organization, body.Domain, ct))));

        api.MapGet("/operations", (HttpContext http, string? app, OperationHistory history, CancellationToken ct) =>
            Run(async () => (await history.ListAsync(Caller(http), app, 200, ct)).Select(OperationDto.From)));

        api.MapGet("/domains", (HttpContext http, string? org, DomainService domains, CancellationToken ct) =>
            Run(async () => (await domains.ListAsync(Caller(http), org, ct)).Select(d => new DomainDto(DomainName.Display(d.Name), d.OrganizationId, d.Instance))));
        api.MapPost("/domains", (HttpContext http, DomainBody body, DomainService domains, CancellationToken ct) =>
            Run(async () =>
            {
                var d = await domains.AddAsync(Caller(http), body.Domain, body.Organization, ChallengeKind.Http01, ct);
                return new DomainDto(DomainName.Display(d.Name), d.OrganizationId, d.Instance);
            }));
        api.MapGet("/certificates", (HttpContext http, CertificateService certificates, CancellationToken ct) =>
            Run(async () => (await certificates.ListAsync(Caller(http), ct)).Select(c => new CertificateDto(c.Domain, c.NotAfter, c.NextRenewal, c.LastError))));

        api.MapGet("/members", (HttpContext http, string? org, MemberService members, CancellationToken ct) =>
            Run(async () => (await members.ListAsync(Caller(http), org, ct)).Select(m => new MemberDto(m.Person.Email, m.Person.DisplayName, OrganizationRoles.Word(m.Role), m.Suspended, m.Person.TwoFactorEnabled, m.Groups))));
        api.MapPost("/members/invitations", (HttpContext http, InvitationBody body, MemberService members, CancellationToken ct) =>
            Run(async () =>
            {
                var sent = await members.InviteAsync(Caller(http), body.Organization, body.Email, OrganizationRoles.Parse(body.Role), body.Groups, ct);
                return new InvitationDto(sent.Invitation.Email, sent.Invitation.OrganizationId, OrganizationRoles.Word(sent.Invitation.Role), sent.Invitation.ExpiresAt, sent.Mailed, sent.Mailed ? null : sent.Link);
            }));
        api.MapPost("/members/{email}/suspend", (HttpContext http, string email, string? org, MemberService members, CancellationToken ct) =>
            Run(async () => { await members.SuspendAsync(Caller(http), org, email, true, ct); return new DoneDto(true); }));
        api.MapPost("/members/{email}/resume", (HttpContext http, string email, string? org, MemberService members, CancellationToken ct) =>
            Run(async () => { await members.SuspendAsync(Caller(http), org, email, false, ct); return new DoneDto(true); }));
        api.MapPut("/members/{email}/role", (HttpContext http, string email, string? org, RoleBody body, MemberService members, CancellationToken ct) =>
            Run(async () => { await members.SetRoleAsync(Caller(http), org, email, OrganizationRoles.Parse(body.Role), ct); return new DoneDto(true); }));
        api.MapDelete("/members/{email}", (HttpContext http, string email, string? org, MemberService members, CancellationToken ct) =>
            Run(async () => { await members.RemoveAsync(Caller(http), org, email, ct); return new DoneDto(true); }));

        api.MapGet("/groups", (HttpContext http, string? org, MemberService members, CancellationToken ct) =>
            Run(async () => (await members.GroupsAsync(Caller(http), org, ct)).Select(g => new GroupDto(g.Group.Name, g.Group.Description, g.Members))));
        api.MapPost("/groups", (HttpContext http, GroupBody body, MemberService members, CancellationToken ct) =>
            Run(async () =>
            {
                var g = await members.AddGroupAsync(Caller(http), body.Organization, body.Name, body.Description, ct);
                return new GroupDto(g.Name, g.Description, []);
            }));
        api.MapDelete("/groups/{name}", (HttpContext http, string name, string? org, MemberService members, CancellationToken ct) =>
            Run(async () => { await members.RemoveGroupAsync(Caller(http), org, name, ct); return new DoneDto(true); }));
        api.MapPost("/groups/{name}/members", (HttpContext http, string name, string? org, GroupMembersBody body, MemberService members, CancellationToken ct) =>
            Run(async () => new GroupDto(name, string.Empty, await members.ChangeGroupMembersAsync(Caller(http), org, name, body.Add ?? [], body.Remove ?? [], ct))));

        return app;
    }

    private static string PartitionKey(HttpContext context) =>
        AccessTokenFormat.TryParse(Bearer(context), out var id) ? "token:" + id : "address:" + context.Connection.RemoteIpAddress;

    private static string? Bearer(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    private static async ValueTask<object?> AuthenticateAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var resolver = http.RequestServices.GetRequiredService<CallerResolver>();
        var caller = await resolver.ForTokenAsync(Bearer(http), http.RequestAborted);
        if (caller is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: Localized(http, "ApiTokenInvalid"));
        }

        http.Items[CallerItem] = caller;
        return await next(context);
    }

    private static Caller Caller(HttpContext http) => (Caller)http.Items[CallerItem]!;

    private static async Task<Results<Ok<T>, ProblemHttpResult>> Run<T>(Func<Task<T>> body)
    {
        try
        {
            return TypedResults.Ok(await body());
        }
        catch (AppRequestException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: e.Message, extensions: new Dictionary<string, object?> { ["field"] = e.Field });
        }
        catch (AccessDeniedException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, detail: e.Message);
        }
    }

    private static Ok<T> Ok<T>(T value) => TypedResults.Ok(value);

    private static string Localized(HttpContext http, string key) =>
        http.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>>()[key];
}

public sealed record OrganizationDto(string Id, string Name);

public sealed record QuotaDto(int? MaxApps, long? MaxMemoryBytes, long? MaxStorageBytes, int Apps, long MemoryBytes, long StorageBytes);

public sealed record AppDto(string Name, string Organization, string App, string Version, string? Domain, string State)
{
    public static AppDto From(AppInstance i) => new(i.Name, i.OrganizationId, i.AppId, i.Version, i.Domain is null ? null : DomainName.Display(i.Domain), i.State.ToString().ToLowerInvariant());
}

public sealed record OperationDto(Guid Id, string App, string Organization, string Kind, string State, string Actor, string? FromVersion, string? ToVersion, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, string? Outcome)
{
    public static OperationDto From(Operation o) => new(o.Id, o.Instance, o.OrganizationId, o.Kind.ToString().ToLowerInvariant(), o.State.ToString().ToLowerInvariant(), o.Actor, o.FromVersion, o.ToVersion, o.CreatedAt, o.FinishedAt, o.Outcome);
}

public sealed record BackupDto(string Snapshot, DateTimeOffset Time, string Organization, string App, string AppId, string Version);

public sealed record DomainDto(string Name, string Organization, string? App);

public sealed record CertificateDto(string Domain, DateTimeOffset? NotAfter, DateTimeOffset? NextRenewal, string? LastError);

public sealed record MemberDto(string Email, string Name, string Role, bool Suspended, bool TwoFactor, IReadOnlyList<string> Groups);

public sealed record InvitationDto(string Email, string Organization, string Role, DateTimeOffset ExpiresAt, bool Mailed, string? Link);

public sealed record GroupDto(string Name, string Description, IReadOnlyList<string> Members);

public sealed record AccessDto(IReadOnlyList<string>? Groups);

public sealed record DoneDto(bool Done);

public sealed record InstallBody(string? App, string? Organization, string? Name, string? Domain, Dictionary<string, string>? Answers);

public sealed record DomainBody(string? Domain, string? Organization);

public sealed record RestoreBody(string? To, string? Organization, string? Domain);

public sealed record InvitationBody(string? Email, string? Organization, string? Role, IReadOnlyList<string>? Groups);

public sealed record RoleBody(string? Role);

public sealed record GroupBody(string? Name, string? Organization, string? Description);

public sealed record GroupMembersBody(IReadOnlyList<string>? Add, IReadOnlyList<string>? Remove);
