namespace HostPanel.Acme;

/// <summary>
/// Serves HTTP-01 answers: while a token is published, a GET of
/// http://&lt;domain&gt;/.well-known/acme-challenge/&lt;token&gt; on port 80 must return the key authorization.
/// </summary>
public interface IHttp01Responder
{
    /// <summary>Starts serving the key authorization at the token's path.</summary>
    /// <param name="token">The challenge token (the last path segment).</param>
    /// <param name="keyAuthorization">The body to serve.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes once the answer is served.</returns>
    Task PublishAsync(string token, string keyAuthorization, CancellationToken cancellationToken);

    /// <summary>Stops serving the token's answer.</summary>
    /// <param name="token">The challenge token.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes once the answer is gone.</returns>
    Task WithdrawAsync(string token, CancellationToken cancellationToken);
}

/// <summary>
/// Creates and deletes DNS-01 TXT records. Names are fully qualified without a trailing dot, such as
/// "_acme-challenge.example.org"; one name may carry several values at once (a name and its wildcard).
/// </summary>
public interface IDnsProvider
{
    /// <summary>Adds a TXT record (keeping other values of the same name).</summary>
    /// <param name="name">The record name.</param>
    /// <param name="value">The record value.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes once the record is created.</returns>
    Task CreateTxtRecordAsync(string name, string value, CancellationToken cancellationToken);

    /// <summary>Removes a TXT record added by <see cref="CreateTxtRecordAsync"/>.</summary>
    /// <param name="name">The record name.</param>
    /// <param name="value">The record value.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes once the record is deleted.</returns>
    Task DeleteTxtRecordAsync(string name, string value, CancellationToken cancellationToken);

    /// <summary>
    /// Waits until the record is visible to the CA (propagated to every authoritative server). The
    /// default does not wait.
    /// </summary>
    /// <param name="name">The record name.</param>
    /// <param name="value">The record value.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes once the record is visible.</returns>
    Task WaitForTxtRecordAsync(string name, string value, CancellationToken cancellationToken) => Task.CompletedTask;
}
