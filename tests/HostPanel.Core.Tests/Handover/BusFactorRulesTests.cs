using System.Globalization;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Handover;

namespace HostPanel.Core.Tests.Handover;

public sealed class BusFactorRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    public BusFactorRulesTests() => CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fr");

    private static Person Admin(string email, bool twoFactor = true) => new(email, email, email, false, twoFactor, false, Now);

    private static AppInstance App(string name) => new()
    {
        Name = name,
        OrganizationId = "velo",
        AppId = "notes",
        Version = "1",
        State = InstanceState.Running,
        CreatedAt = Now,
        UpdatedAt = Now,
    };

    private static RecoveryKitSummary Kit(int threshold, int holders, bool current = true, DateTimeOffset? changed = null) =>
        new(Guid.NewGuid(), Now.AddDays(-10), threshold, [.. Enumerable.Range(1, holders).Select(i => $"holder {i}")], current, changed);

    [Fact]
    public void One_administrator_is_raised_and_two_clear_it()
    {
        var one = Assert.Single(BusFactorRules.SingleAdministrator("velo", "Atelier vélo", [Admin("alice@velo.example")]));
        Assert.Equal(BusFactorCheck.SingleAdministrator, one.Check);
        Assert.Equal("velo", one.OrganizationId);
        Assert.Equal("alice@velo.example", one.Subject);
        Assert.Contains("Atelier vélo", one.Problem, StringComparison.Ordinal);
        Assert.Contains("alice@velo.example", one.Problem, StringComparison.Ordinal);
        Assert.Contains("deuxième personne", one.Fix, StringComparison.Ordinal);

        var none = Assert.Single(BusFactorRules.SingleAdministrator("velo", "Atelier vélo", []));
        Assert.Null(none.Subject);
        Assert.Contains("aucune personne administratrice", none.Problem, StringComparison.Ordinal);

        Assert.Empty(BusFactorRules.SingleAdministrator("velo", "Atelier vélo", [Admin("alice@velo.example"), Admin("bob@velo.example")]));
    }

    [Fact]
    public void A_single_hoster_is_raised_for_the_whole_server()
    {
        var finding = Assert.Single(BusFactorRules.SingleAdministrator(null, string.Empty, [Admin("root@hoster.example")]));

        Assert.Null(finding.OrganizationId);
        Assert.Contains("hébergeur", finding.Problem, StringComparison.Ordinal);
        Assert.Empty(BusFactorRules.SingleAdministrator(null, string.Empty, [Admin("a@h.example"), Admin("b@h.example")]));
    }

    [Fact]
    public void No_kit_raises_only_that_check()
    {
        var finding = Assert.Single(BusFactorRules.RecoveryKit(null));

        Assert.Equal(BusFactorCheck.NoRecoveryKit, finding.Check);
        Assert.Null(finding.OrganizationId);
        Assert.Contains("hostpanel recovery-kit create", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void An_outdated_kit_is_raised_with_the_dates_and_a_current_one_is_not()
    {
        var outdated = Assert.Single(BusFactorRules.RecoveryKit(Kit(2, 3, current: false, changed: Now.AddDays(-2))));
        Assert.Equal(BusFactorCheck.RecoveryKitOutdated, outdated.Check);
        Assert.Contains(Now.AddDays(-10).ToString("d", CultureInfo.CurrentCulture), outdated.Problem, StringComparison.Ordinal);
        Assert.Contains(Now.AddDays(-2).ToString("d", CultureInfo.CurrentCulture), outdated.Problem, StringComparison.Ordinal);

        Assert.Equal(BusFactorCheck.RecoveryKitOutdated, Assert.Single(BusFactorRules.RecoveryKit(Kit(2, 3, current: false))).Check);
        Assert.Empty(BusFactorRules.RecoveryKit(Kit(2, 3)));
    }

    [Theory]
    [InlineData(2, 2, true)]
    [InlineData(2, 3, false)]
    [InlineData(3, 3, true)]
    [InlineData(3, 4, false)]
    [InlineData(1, 1, true)]
    [InlineData(1, 2, false)]
    public void Too_few_holders_means_fewer_than_the_threshold_plus_one(int threshold, int holders, bool raised)
    {
        var findings = BusFactorRules.RecoveryKit(Kit(threshold, holders)).ToList();

        Assert.Equal(raised, findings.Any(f => f.Check == BusFactorCheck.TooFewHolders));
        if (raised)
        {
            Assert.Contains((threshold + 1).ToString(CultureInfo.InvariantCulture), findings.Single().Fix, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Holders_named_twice_count_once()
    {
        var kit = new RecoveryKitSummary(Guid.NewGuid(), Now, 2, ["Alice", "alice", "Bob"], true, null);

        Assert.Equal(BusFactorCheck.TooFewHolders, Assert.Single(BusFactorRules.RecoveryKit(kit)).Check);
    }

    [Fact]
    public void A_restore_proven_within_thirty_days_clears_the_check_and_an_older_or_missing_one_raises_it()
    {
        var never = Assert.Single(BusFactorRules.RestoreProof(App("notes"), null, Now));
        Assert.Equal(BusFactorCheck.NoRecentRestoreProof, never.Check);
        Assert.Equal("notes", never.Subject);
        Assert.Equal("velo", never.OrganizationId);
        Assert.Contains("jamais", never.Problem, StringComparison.Ordinal);
        Assert.Contains("hostpanel backup drill notes", never.Fix, StringComparison.Ordinal);

        var old = Assert.Single(BusFactorRules.RestoreProof(App("notes"), Now.AddDays(-31), Now));
        Assert.Contains("30", old.Problem, StringComparison.Ordinal);

        Assert.Empty(BusFactorRules.RestoreProof(App("notes"), Now.AddDays(-30), Now));
        Assert.Empty(BusFactorRules.RestoreProof(App("notes"), Now.AddHours(-1), Now));
    }

    [Fact]
    public void An_external_account_with_one_holder_is_raised_and_one_with_two_is_not()
    {
        ExternalAccount Account(params string[] holders) => new(Guid.NewGuid(), "velo", "Nom de domaine", "Gandi", null, holders, null, Now);

        var finding = Assert.Single(BusFactorRules.ExternalAccountSingleHolder([Account("Alice"), Account("Alice", "Bob")]));

        Assert.Equal(BusFactorCheck.ExternalAccountSingleHolder, finding.Check);
        Assert.Equal("Nom de domaine", finding.Subject);
        Assert.Contains("Alice", finding.Problem, StringComparison.Ordinal);
        Assert.Contains("Gandi", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_administrators_without_two_step_sign_in_are_raised()
    {
        var findings = BusFactorRules.AdministratorWithoutTwoFactor("velo", [Admin("alice@velo.example", twoFactor: false), Admin("bob@velo.example")]).ToList();

        var finding = Assert.Single(findings);
        Assert.Equal(BusFactorCheck.AdministratorWithoutTwoFactor, finding.Check);
        Assert.Equal("alice@velo.example", finding.Subject);
        Assert.Contains("connexion en deux étapes", finding.Problem, StringComparison.Ordinal);
        Assert.Contains("hébergeur", Assert.Single(BusFactorRules.AdministratorWithoutTwoFactor(null, [Admin("root@h.example", false)])).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_words_follow_the_culture()
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");

        var finding = Assert.Single(BusFactorRules.RecoveryKit(null));

        Assert.StartsWith("No recovery kit was handed out", finding.Problem, StringComparison.Ordinal);
    }
}
