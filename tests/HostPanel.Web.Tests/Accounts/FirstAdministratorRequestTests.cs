using HostPanel.Infrastructure.Accounts;

namespace HostPanel.Web.Tests.Accounts;

public sealed class FirstAdministratorRequestTests
{
    private static FirstAdministratorRequest Valid() =>
        new("token", "Alice Martin", "alice@example.org", "une phrase assez longue", "une phrase assez longue");

    [Fact]
    public void AcceptsACompleteForm()
    {
        Assert.Empty(Valid().CheckFields());
    }

    [Fact]
    public void AsksForEveryMissingField()
    {
        var problems = new FirstAdministratorRequest(null, " ", "", null, null).CheckFields();

        Assert.Equal(
            [
                new SetupProblem(SetupField.DisplayName, SetupProblemCodes.DisplayNameRequired),
                new SetupProblem(SetupField.Email, SetupProblemCodes.EmailRequired),
                new SetupProblem(SetupField.Password, SetupProblemCodes.PasswordRequired),
            ],
            problems);
    }

    [Fact]
    public void RefusesAnAddressWithoutAt()
    {
        var problem = Assert.Single((Valid() with { Email = "alice.example.org" }).CheckFields());

        Assert.Equal(new SetupProblem(SetupField.Email, SetupProblemCodes.EmailInvalid), problem);
    }

    [Fact]
    public void RefusesDifferentPasswords()
    {
        var problem = Assert.Single((Valid() with { PasswordConfirmation = "une phrase assez longuE" }).CheckFields());

        Assert.Equal(new SetupProblem(SetupField.PasswordConfirmation, SetupProblemCodes.PasswordConfirmationMismatch), problem);
    }

    [Fact]
    public void RefusesANameLongerThanTheColumn()
    {
        var problem = Assert.Single((Valid() with { DisplayName = new string('a', 101) }).CheckFields());

        Assert.Equal(new SetupProblem(SetupField.DisplayName, SetupProblemCodes.DisplayNameTooLong), problem);
    }
}
