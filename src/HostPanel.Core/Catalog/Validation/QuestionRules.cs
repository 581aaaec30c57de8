using System.Globalization;
using System.Net.Mail;
using System.Text.RegularExpressions;
using HostPanel.Core.Catalog.Model;

namespace HostPanel.Core.Catalog.Validation;

/// <summary>Whether an answer fits its question; shared by the manifest check (defaults) and the install form.</summary>
public static partial class QuestionRules
{
    /// <summary>Null when the answer fits; otherwise why not, in words.</summary>
    public static string? Check(Question question, string answer, Regex? pattern = null)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Length == 0)
        {
            return question.IsRequired ? "an answer is required." : null;
        }

        if (question.MinLength is { } min && answer.Length < min)
        {
            return $"at least {min} characters are needed.";
        }

        if (question.MaxLength is { } max && answer.Length > max)
        {
            return $"at most {max} characters are allowed.";
        }

        switch (question.Type)
        {
            case QuestionType.Boolean when answer is not ("true" or "false"):
                return "write true or false.";
            case QuestionType.Number:
                if (!double.TryParse(answer, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    return "a number is expected.";
                }

                if (question.Min is { } low && number < low)
                {
                    return $"the smallest allowed value is {low.ToString(CultureInfo.InvariantCulture)}.";
                }

                if (question.Max is { } high && number > high)
                {
                    return $"the largest allowed value is {high.ToString(CultureInfo.InvariantCulture)}.";
                }

                break;
            case QuestionType.Choice when question.Choices?.Any(c => c.Value == answer) != true:
                return $"'{answer}' is not one of the choices ({string.Join(", ", question.Choices?.Select(c => c.Value) ?? [])}).";
            case QuestionType.Email when !IsEmail(answer):
                return "an e-mail address such as marie@velo-lyon.fr is expected.";
            case QuestionType.Url when !(Uri.TryCreate(answer, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"):
                return "a web address starting with https:// is expected.";
            case QuestionType.Username when !UsernameRegex().IsMatch(answer):
                return "a user name uses lowercase letters, digits, '.', '_' and '-', and starts with a letter.";
        }

        if (pattern is not null && !Matches(pattern, answer))
        {
            return "the answer does not match the expected form.";
        }

        return null;
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
