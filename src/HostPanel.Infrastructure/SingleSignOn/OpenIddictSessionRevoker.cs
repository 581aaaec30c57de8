using HostPanel.Core.Accounts;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;

namespace HostPanel.Infrastructure.SingleSignOn;

/// <summary>
/// Ends a person's single sign-on in every app: their authorizations and tokens at the panel's
/// provider are revoked, so no refresh token of theirs is accepted any more and their access
/// tokens are refused at the user info endpoint (apps that check only the signature keep an
/// access token until it expires, one hour at most).
/// </summary>
internal sealed class OpenIddictSessionRevoker(IServiceScopeFactory scopes) : ISessionRevoker
{
    public async Task RevokeAsync(string userId, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().RevokeBySubjectAsync(userId, ct).ConfigureAwait(false);
        await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().RevokeBySubjectAsync(userId, ct).ConfigureAwait(false);
    }
}
