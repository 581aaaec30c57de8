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

    public const string ForgotPassword = "/account/forgot";

    public const string ResetPassword = "/account/reset";
}
