using HostPanel.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;

namespace HostPanel.Infrastructure.Accounts;

/// <summary>
/// Creates the first administrator from the first-run form: only with the right setup token,
/// only while no administrator exists, and deletes the token once done.
/// </summary>
public sealed class FirstAdministratorSetup(
    UserManager<HostPanelUser> users,
    FirstRunState state,
    SetupTokenStore tokens,
    TimeProvider time,
    HostPanel.Core.Handover.IAuditLog? audit = null)
{
    public async Task<FirstAdministratorResult> CreateAsync(FirstAdministratorRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);

        await state.CreationGate.WaitAsync(ct);
        try
        {
            if (await state.AdministratorExistsAsync(ct))
            {
                return FirstAdministratorResult.AdministratorAlreadyExists;
            }

            // What was typed is checked together with the token, so the person sees every mistake
            // at once; nothing touches the accounts until the token is right.
            var problems = new List<SetupProblem>();
            if (!tokens.Verify(request.SetupToken))
            {
                problems.Add(new(SetupField.SetupToken, SetupProblemCodes.SetupTokenWrong));
            }

            problems.AddRange(request.CheckFields());

            var email = request.Email?.Trim() ?? "";
            var user = new HostPanelUser
            {
                UserName = email,
                Email = email,
                DisplayName = request.DisplayName?.Trim() ?? "",
                CreatedAt = time.GetUtcNow(),
            };

            if (!string.IsNullOrEmpty(request.Password))
            {
                foreach (var validator in users.PasswordValidators)
                {
                    var verdict = await validator.ValidateAsync(users, user, request.Password);
                    problems.AddRange(verdict.Errors.Select(e => new SetupProblem(SetupField.Password, e.Code, e.Description)));
                }
            }

            if (problems.Count > 0)
            {
                return FirstAdministratorResult.Refused(problems);
            }

            var created = await users.CreateAsync(user, request.Password!);
            if (!created.Succeeded)
            {
                return FirstAdministratorResult.Refused(ToProblems(created));
            }

            var promoted = await users.AddToRoleAsync(user, HostPanelRoles.HosterAdministrator);
            if (!promoted.Succeeded)
            {
                // An account without the role would lock the panel in first-run mode with a taken e-mail.
                await users.DeleteAsync(user);
                return FirstAdministratorResult.Refused(ToProblems(promoted));
            }

            tokens.Delete();
            state.MarkAdministratorCreated();

            // Who set the server up: the new administrator, with the setup token (never kept).
            if (audit is not null)
            {
                await audit.RecordAsync(new HostPanel.Core.Handover.AuditRecord
                {
                    Actor = email,
                    Action = HostPanel.Core.Handover.AuditActions.FirstAdministrator,
                    Subject = email,
                    Result = HostPanel.Core.Handover.AuditResult.Succeeded,
                }, ct);
            }

            return FirstAdministratorResult.Created(user);
        }
        finally
        {
            state.CreationGate.Release();
        }
    }

    private static List<SetupProblem> ToProblems(IdentityResult result) =>
        [.. result.Errors.Select(e => new SetupProblem(FieldOf(e.Code), e.Code, e.Description))];

    private static SetupField FieldOf(string code) =>
        code.Contains("Password", StringComparison.Ordinal) ? SetupField.Password
        : code.Contains("Email", StringComparison.Ordinal) || code.Contains("UserName", StringComparison.Ordinal) ? SetupField.Email
        : SetupField.None;
}
