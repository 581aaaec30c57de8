using System.ComponentModel.DataAnnotations;

namespace HostPanel.Infrastructure.Accounts;

/// <summary>The fields of the first-run form.</summary>
public enum SetupField
{
    /// <summary>A problem that belongs to no single field.</summary>
    None,
    SetupToken,
    DisplayName,
    Email,
    Password,
    PasswordConfirmation,
}

/// <summary>
/// One reason the first administrator was not created. <see cref="Code"/> names the reason for
/// the interface to put in words; <see cref="Description"/> is set when the accounts system has
/// already worded it (through the panel's localized error describer).
/// </summary>
public sealed record SetupProblem(SetupField Field, string Code, string? Description = null);

/// <summary>Reasons found by the first-run checks themselves (Identity's own codes come on top).</summary>
public static class SetupProblemCodes
{
    public const string SetupTokenWrong = nameof(SetupTokenWrong);
    public const string DisplayNameRequired = nameof(DisplayNameRequired);
    public const string DisplayNameTooLong = nameof(DisplayNameTooLong);
    public const string EmailRequired = nameof(EmailRequired);
    public const string EmailInvalid = nameof(EmailInvalid);
    public const string PasswordRequired = nameof(PasswordRequired);
    public const string PasswordConfirmationMismatch = nameof(PasswordConfirmationMismatch);
}

/// <summary>What the person typed on the first-run page.</summary>
public sealed record FirstAdministratorRequest(
    string? SetupToken,
    string? DisplayName,
    string? Email,
    string? Password,
    string? PasswordConfirmation)
{
    private static readonly EmailAddressAttribute EmailFormat = new();

    /// <summary>
    /// The checks that depend only on what was typed. The password rules and the setup token are
    /// checked by <see cref="FirstAdministratorSetup"/>.
    /// </summary>
    public IReadOnlyList<SetupProblem> CheckFields()
    {
        var problems = new List<SetupProblem>();

        var displayName = DisplayName?.Trim() ?? "";
        if (displayName.Length == 0)
        {
            problems.Add(new(SetupField.DisplayName, SetupProblemCodes.DisplayNameRequired));
        }
        else if (displayName.Length > Data.HostPanelUser.DisplayNameMaxLength)
        {
            problems.Add(new(SetupField.DisplayName, SetupProblemCodes.DisplayNameTooLong));
        }

        var email = Email?.Trim() ?? "";
        if (email.Length == 0)
        {
            problems.Add(new(SetupField.Email, SetupProblemCodes.EmailRequired));
        }
        else if (!EmailFormat.IsValid(email))
        {
            problems.Add(new(SetupField.Email, SetupProblemCodes.EmailInvalid));
        }

        if (string.IsNullOrEmpty(Password))
        {
            problems.Add(new(SetupField.Password, SetupProblemCodes.PasswordRequired));
        }
        else if (!string.Equals(Password, PasswordConfirmation, StringComparison.Ordinal))
        {
            problems.Add(new(SetupField.PasswordConfirmation, SetupProblemCodes.PasswordConfirmationMismatch));
        }

        return problems;
    }
}

/// <summary>The outcome of <see cref="FirstAdministratorSetup.CreateAsync"/>.</summary>
public sealed record FirstAdministratorResult
{
    private FirstAdministratorResult(Data.HostPanelUser? administrator, IReadOnlyList<SetupProblem> problems, bool alreadyDone)
    {
        Administrator = administrator;
        Problems = problems;
        AlreadyDone = alreadyDone;
    }

    /// <summary>The new administrator, when created.</summary>
    public Data.HostPanelUser? Administrator { get; }

    public IReadOnlyList<SetupProblem> Problems { get; }

    /// <summary>True when an administrator already existed: the first-run page has nothing left to do.</summary>
    public bool AlreadyDone { get; }

    public bool Succeeded => Administrator is not null;

    internal static FirstAdministratorResult Created(Data.HostPanelUser administrator) => new(administrator, [], false);

    internal static FirstAdministratorResult Refused(IReadOnlyList<SetupProblem> problems) => new(null, problems, false);

    internal static FirstAdministratorResult AdministratorAlreadyExists { get; } = new(null, [], true);
}
