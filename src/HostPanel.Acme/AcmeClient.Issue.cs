using System.Security.Cryptography;

namespace HostPanel.Acme;

/// <summary>One-call issuance.</summary>
public sealed partial class AcmeClient
{
    /// <summary>
    /// Issues a certificate with HTTP-01 challenges: places the order, publishes every answer through the
    /// responder, has the CA validate them, withdraws them (also on failure), finalizes with a new key and
    /// downloads the chain. Needs an account (<see cref="AccountUrl"/>).
    /// </summary>
    /// <param name="dnsNames">The domain names (no wildcards: they need DNS-01); the first is the common name.</param>
    /// <param name="responder">Serves the answers on port 80 of every name.</param>
    /// <param name="issueOptions">Settings of the issuance; the defaults when null.</param>
    /// <param name="cancellationToken">Cancels the issuance.</param>
    /// <returns>The certificate, its chain and its private key.</returns>
    /// <exception cref="AcmeProblemException">The CA refused a request, or a validation failed (with the challenge's error).</exception>
    public Task<AcmeCertificate> IssueAsync(
        IEnumerable<string> dnsNames,
        IHttp01Responder responder,
        AcmeIssueOptions? issueOptions = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(responder);
        var names = AcmeNames.Normalize(dnsNames);
        if (names.FirstOrDefault(n => n.StartsWith("*.", StringComparison.Ordinal)) is { } wildcard)
        {
            throw new ArgumentException($"{wildcard} is a wildcard: wildcards can only be validated with DNS-01.", nameof(dnsNames));
        }

        return IssueCoreAsync(names, new Http01Solver(responder), issueOptions ?? new AcmeIssueOptions(), cancellationToken);
    }

    /// <summary>
    /// Issues a certificate with DNS-01 challenges: places the order, creates every TXT record through the
    /// provider and waits until it is visible, has the CA validate them, deletes them (also on failure),
    /// finalizes with a new key and downloads the chain. Needs an account (<see cref="AccountUrl"/>).
    /// </summary>
    /// <param name="dnsNames">The domain names, wildcards allowed; the first is the common name.</param>
    /// <param name="dnsProvider">Creates and deletes the TXT records.</param>
    /// <param name="issueOptions">Settings of the issuance; the defaults when null.</param>
    /// <param name="cancellationToken">Cancels the issuance.</param>
    /// <returns>The certificate, its chain and its private key.</returns>
    /// <exception cref="AcmeProblemException">The CA refused a request, or a validation failed (with the challenge's error).</exception>
    public Task<AcmeCertificate> IssueAsync(
        IEnumerable<string> dnsNames,
        IDnsProvider dnsProvider,
        AcmeIssueOptions? issueOptions = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dnsProvider);
        var names = AcmeNames.Normalize(dnsNames);
        return IssueCoreAsync(names, new Dns01Solver(dnsProvider), issueOptions ?? new AcmeIssueOptions(), cancellationToken);
    }

    private async Task<AcmeCertificate> IssueCoreAsync(
        IReadOnlyList<string> names,
        ChallengeSolver solver,
        AcmeIssueOptions issueOptions,
        CancellationToken cancellationToken)
    {
        if (AccountUrl is null)
        {
            throw new InvalidOperationException("No ACME account: call CreateAccountAsync or FindAccountAsync first, or set AccountUrl.");
        }

        var order = await NewOrderAsync(names, issueOptions.Replaces, cancellationToken).ConfigureAwait(false);
        var published = new List<PublishedAnswer>();
        try
        {
            foreach (var authorizationUrl in order.Authorizations)
            {
                var authorization = await GetAuthorizationAsync(authorizationUrl, cancellationToken).ConfigureAwait(false);
                if (authorization.Status == AcmeStatus.Valid)
                {
                    continue;
                }

                if (authorization.Status != AcmeStatus.Pending)
                {
                    throw new AcmeException($"The authorization of {authorization.Identifier.Value} is {authorization.Status}.");
                }

                var challenge = authorization.Challenges.FirstOrDefault(c => c.Type == solver.ChallengeType)
                    ?? throw new AcmeException($"The CA offers no {solver.ChallengeType} challenge for {authorization.Identifier.Value}.");
                if (string.IsNullOrEmpty(challenge.Token))
                {
                    throw new AcmeException($"The {challenge.Type} challenge of {authorization.Identifier.Value} has no token.");
                }

                var answer = new PublishedAnswer(authorization, challenge, GetKeyAuthorization(challenge.Token));
                // Recorded before publishing, so that a half-done publication is withdrawn too.
                published.Add(answer);
                await solver.PublishAsync(answer, cancellationToken).ConfigureAwait(false);
            }

            foreach (var answer in published)
            {
                await solver.WaitUntilVisibleAsync(answer, cancellationToken).ConfigureAwait(false);
            }

            foreach (var answer in published.Where(a => a.Challenge.Status == AcmeStatus.Pending))
            {
                await AnswerChallengeAsync(answer.Challenge, cancellationToken).ConfigureAwait(false);
            }

            foreach (var answer in published)
            {
                await WaitForAuthorizationAsync(answer.Authorization.Location, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await WithdrawAsync(solver, published, issueOptions).ConfigureAwait(false);
        }

        using var key = AcmeCsr.CreateKey(issueOptions.KeyAlgorithm);
        var csr = AcmeCsr.Create(names, key);
        order = await FinalizeAsync(order, csr, cancellationToken).ConfigureAwait(false);
        var chain = await DownloadCertificateChainAsync(order.Certificate!, cancellationToken).ConfigureAwait(false);
        return AcmeCertificate.Create(chain, key, order.Location, order.Certificate!);
    }

    /// <summary>Withdraws every published answer within the cleanup timeout, reporting failures without throwing.</summary>
    private async Task WithdrawAsync(ChallengeSolver solver, List<PublishedAnswer> published, AcmeIssueOptions issueOptions)
    {
        if (published.Count == 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(options.CleanupTimeout, options.TimeProvider);
        foreach (var answer in published)
        {
            try
            {
                await solver.WithdrawAsync(answer, timeout.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A failed cleanup must neither hide the issuance's own error nor lose its certificate.
            catch (Exception e)
#pragma warning restore CA1031
            {
                issueOptions.CleanupFailed?.Invoke(e);
            }
        }
    }

    private sealed record PublishedAnswer(AcmeAuthorization Authorization, AcmeChallenge Challenge, string KeyAuthorization);

    private abstract class ChallengeSolver
    {
        public abstract string ChallengeType { get; }

        public abstract Task PublishAsync(PublishedAnswer answer, CancellationToken cancellationToken);

        public abstract Task WaitUntilVisibleAsync(PublishedAnswer answer, CancellationToken cancellationToken);

        public abstract Task WithdrawAsync(PublishedAnswer answer, CancellationToken cancellationToken);
    }

    private sealed class Http01Solver(IHttp01Responder responder) : ChallengeSolver
    {
        public override string ChallengeType => AcmeChallengeTypes.Http01;

        public override Task PublishAsync(PublishedAnswer answer, CancellationToken cancellationToken) =>
            responder.PublishAsync(answer.Challenge.Token!, answer.KeyAuthorization, cancellationToken);

        public override Task WaitUntilVisibleAsync(PublishedAnswer answer, CancellationToken cancellationToken) => Task.CompletedTask;

        public override Task WithdrawAsync(PublishedAnswer answer, CancellationToken cancellationToken) =>
            responder.WithdrawAsync(answer.Challenge.Token!, cancellationToken);
    }

    private sealed class Dns01Solver(IDnsProvider provider) : ChallengeSolver
    {
        public override string ChallengeType => AcmeChallengeTypes.Dns01;

        public override Task PublishAsync(PublishedAnswer answer, CancellationToken cancellationToken) =>
            provider.CreateTxtRecordAsync(RecordName(answer), AcmeChallenges.Dns01TxtValue(answer.KeyAuthorization), cancellationToken);

        public override Task WaitUntilVisibleAsync(PublishedAnswer answer, CancellationToken cancellationToken) =>
            provider.WaitForTxtRecordAsync(RecordName(answer), AcmeChallenges.Dns01TxtValue(answer.KeyAuthorization), cancellationToken);

        public override Task WithdrawAsync(PublishedAnswer answer, CancellationToken cancellationToken) =>
            provider.DeleteTxtRecordAsync(RecordName(answer), AcmeChallenges.Dns01TxtValue(answer.KeyAuthorization), cancellationToken);

        private static string RecordName(PublishedAnswer answer) => AcmeChallenges.Dns01RecordName(answer.Authorization.Identifier.Value);
    }
}
