namespace HostPanel.Web.Accounts;

/// <summary>The addresses of the account pages.</summary>
public static class AccountPaths
{
    public const string SignIn = AccountsWebExtensions.SignInPath;

    /// <summary>The second step of a sign-in: a code from the authenticator app, or a recovery code.</summary>
    public const string SignInTwoFactor = "/signin/2fa";

    /// <summary>Two-step sign-in: setting it up, new recovery codes, turning it off.</summary>
    public const string TwoFactor = "/account/2fa";

    public const string Confirm = Reauthentication.ConfirmPath;

    /// <summary>The person's passkeys: adding, listing, removing.</summary>
    public const string Passkeys = "/account/passkeys";

    /// <summary>Where the passkey script asks for the options of a new passkey (POST).</summary>
    public const string PasskeyCreationOptions = "/account/passkeys/options";

    /// <summary>Where the passkey script asks for the options of a sign-in with a passkey (POST).</summary>
    public const string PasskeyRequestOptions = "/signin/passkey/options";

    public const string ForgotPassword = "/account/forgot";

    public const string ResetPassword = "/account/reset";
}
