using System.Globalization;
using System.Net.Mail;
using System.Text.RegularExpressions;
using HostPanel.Core.Catalog.Model;

namespace HostPanel.Core.Catalog.Validation;

/// <summary>The ways an answer can fail its question.</summary>
public enum AnswerProblemKind
{
    Required,
    TooShort,
    TooLong,
    NotTrueOrFalse,
    NotANumber,
    BelowMinimum,
    AboveMaximum,
    NotAChoice,
    NotAnEmail,
    NotAUrl,
    NotAUsername,
    PatternMismatch,
}

/// <summary>Why an answer does not fit its question, and the limit at fault (a length, a bound).</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Limit">The length or value allowed, written with the invariant culture; null when none applies.</param>
public sealed record AnswerProblem(AnswerProblemKind Kind, double? Limit = null);

/// <summary>Whether an answer fits its question; shared by the manifest check (defaults), the install form and the service.</summary>
public static partial class QuestionRules
{
    /// <summary>Null when the answer fits; otherwise why not, in words (English, for manifests and logs).</summary>
    public static string? Check(Question question, string answer, Regex? pattern = null) =>
        Find(question, answer, pattern) is { } problem ? Describe(problem, question, answer) : null;

    /// <summary>Null when the answer fits; otherwise what is wrong, for a form to say in its own language.</summary>
    public static AnswerProblem? Find(Question question, string answer, Regex? pattern = null)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Length == 0)
        {
            return question.IsRequired ? new(AnswerProblemKind.Required) : null;
        }

        if (question.MinLength is { } min && answer.Length < min)
        {
            return new(AnswerProblemKind.TooShort, min);
        }

        if (question.MaxLength is { } max && answer.Length > max)
        {
            return new(AnswerProblemKind.TooLong, max);
        }

        switch (question.Type)
        {
            case QuestionType.Boolean when answer is not ("true" or "false"):
                return new(AnswerProblemKind.NotTrueOrFalse);
            case QuestionType.Number:
                if (!double.TryParse(answer, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    return new(AnswerProblemKind.NotANumber);
                }

                if (question.Min is { } low && number < low)
                {
                    return new(AnswerProblemKind.BelowMinimum, low);
                }

                if (question.Max is { } high && number > high)
                {
                    return new(AnswerProblemKind.AboveMaximum, high);
                }

                break;
            case QuestionType.Choice when question.Choices?.Any(c => c.Value == answer) != true:
                return new(AnswerProblemKind.NotAChoice);
            case QuestionType.Email when !IsEmail(answer):
                return new(AnswerProblemKind.NotAnEmail);
            case QuestionType.Url when !(Uri.TryCreate(answer, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"):
                return new(AnswerProblemKind.NotAUrl);
            case QuestionType.Username when !UsernameRegex().IsMatch(answer):
                return new(AnswerProblemKind.NotAUsername);
        }

        if (pattern is not null && !Matches(pattern, answer))
        {
            return new(AnswerProblemKind.PatternMismatch);
        }

        return null;
    }

    /// <summary>The question's pattern, compiled with a time limit; null when it has none.</summary>
    public static Regex? Pattern(Question question)
    {
        ArgumentNullException.ThrowIfNull(question);
        return question.Pattern is null ? null : new Regex(question.Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    private static string Describe(AnswerProblem problem, Question question, string answer)
    {
        var limit = problem.Limit?.ToString(CultureInfo.InvariantCulture);
        return problem.Kind switch
        {
            AnswerProblemKind.Required => "an answer is required.",
            AnswerProblemKind.TooShort => $"at least {limit} characters are needed.",
            AnswerProblemKind.TooLong => $"at most {limit} characters are allowed.",
            AnswerProblemKind.NotTrueOrFalse => "write true or false.",
            AnswerProblemKind.NotANumber => "a number is expected.",
            AnswerProblemKind.BelowMinimum => $"the smallest allowed value is {limit}.",
            AnswerProblemKind.AboveMaximum => $"the largest allowed value is {limit}.",
            AnswerProblemKind.NotAChoice => $"'{answer}' is not one of the choices ({string.Join(", ", question.Choices?.Select(c => c.Value) ?? [])}).",
            AnswerProblemKind.NotAnEmail => "an e-mail address such as marie@velo-lyon.fr is expected.",
            AnswerProblemKind.NotAUrl => "a web address starting with https:// is expected.",
            AnswerProblemKind.NotAUsername => "a user name uses lowercase letters, digits, '.', '_' and '-', and starts with a letter.",
            _ => "the answer does not match the expected form.",
        };
    }

    private static bool Matches(Regex pattern, string answer)
    {
        try
        {
            return pattern.IsMatch(answer);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static bool IsEmail(string text) =>
        MailAddress.TryCreate(text, out var address) && address.Address == text && text.Contains('.', StringComparison.Ordinal);

    [GeneratedRegex("^[a-z][a-z0-9_.-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex UsernameRegex();
}
