namespace HostPanel.Acme;

/// <summary>
/// An ACME exchange failed in a way the server did not describe with a problem document: an unexpected
/// response, an object that did not reach the expected state in time, a missing resource.
/// </summary>
public class AcmeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AcmeException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public AcmeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public AcmeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The ACME server answered with a problem document (RFC 7807), or a challenge failed validation
/// (then <see cref="Problem"/> is the challenge's error and <see cref="Authorization"/> and
/// <see cref="Challenge"/> say which).
/// </summary>
public sealed class AcmeProblemException : AcmeException
{
    /// <summary>Creates the exception for a problem document.</summary>
    /// <param name="problem">The problem.</param>
    /// <param name="retryAfter">When the request may be retried, from the Retry-After header, if any.</param>
    /// <param name="authorization">The authorization that failed, for validation failures.</param>
    /// <param name="challenge">The challenge that failed, for validation failures.</param>
    public AcmeProblemException(
        AcmeProblem problem,
        DateTimeOffset? retryAfter = null,
        AcmeAuthorization? authorization = null,
        AcmeChallenge? challenge = null)
        : base(Describe(problem, authorization, challenge))
    {
        ArgumentNullException.ThrowIfNull(problem);
        Problem = problem;
        RetryAfter = retryAfter;
        Authorization = authorization;
        Challenge = challenge;
    }

    /// <summary>The problem document.</summary>
    public AcmeProblem Problem { get; }

    /// <summary>The problem type, usually one of <see cref="AcmeErrorTypes"/>.</summary>
    public string Type => Problem.Type;

    /// <summary>The human-readable explanation, if any.</summary>
    public string? Detail => Problem.Detail;

    /// <summary>The HTTP status code, if known.</summary>
    public int? Status => Problem.Status;

    /// <summary>The problems of individual identifiers, for compound problems.</summary>
    public IReadOnlyList<AcmeProblem> Subproblems => Problem.Subproblems;

    /// <summary>When the request may be retried (rate limits), from the Retry-After header, if any.</summary>
    public DateTimeOffset? RetryAfter { get; }

    /// <summary>The authorization whose validation failed, for validation failures.</summary>
    public AcmeAuthorization? Authorization { get; }

    /// <summary>The challenge whose validation failed, for validation failures.</summary>
    public AcmeChallenge? Challenge { get; }

    /// <summary>Whether the CA refused the request because of a rate limit.</summary>
    public bool IsRateLimited => Type == AcmeErrorTypes.RateLimited;

    private static string Describe(AcmeProblem problem, AcmeAuthorization? authorization, AcmeChallenge? challenge)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return authorization is null
            ? $"The ACME server reported a problem: {problem}"
            : $"Validation of {authorization.Identifier.Value} by {challenge?.Type ?? "its challenge"} failed: {problem}";
    }
}
