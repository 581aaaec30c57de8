using System.Globalization;
using HostPanel.Core.Catalog.Loading;
using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Catalog.Planning;
using HostPanel.Core.Catalog.Secrets;
using HostPanel.Core.Catalog.Validation;

namespace HostPanel.Core.Tests.Catalog;

/// <summary>What planning takes from each real manifest: start order and rendered environment.</summary>
public class RealManifestPlanningTests
{
    private static readonly Lazy<IReadOnlyList<CatalogApp>> Apps = new(() =>
    {
        var result = CatalogLoader.LoadDirectory(RepositoryPaths.AppCatalog);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        return result.Apps;
    });

    public static IEnumerable<TheoryDataRow<string>> AppIds() =>
        Directory.GetDirectories(RepositoryPaths.AppCatalog).Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(id => new TheoryDataRow<string>(id!));

    private static AppManifest Manifest(string id) => Apps.Value.Single(a => a.Manifest.Id == id).Manifest;

    [Fact]
    public void TheCatalogHoldsTheSeedApps()
    {
        Assert.Superset(
            new HashSet<string> { "nextcloud", "mastodon", "peertube", "bigbluebutton", "wordpress" },
            Apps.Value.Select(a => a.Manifest.Id).ToHashSet());
    }

    [Theory]
    [MemberData(nameof(AppIds))]
    public void EveryServiceStartsAfterWhatItDependsOn(string id)
    {
        var manifest = Manifest(id);

        var order = ServiceOrder.StartOrder(manifest);

        Assert.Equal(manifest.Services.Keys.Order(StringComparer.Ordinal), order.Order(StringComparer.Ordinal));
        foreach (var (service, definition) in manifest.Services)
        {
            foreach (var dependency in definition.DependsOn?.Keys ?? Enumerable.Empty<string>())
            {
                Assert.True(order.ToList().IndexOf(dependency) < order.ToList().IndexOf(service), $"{id}: {service} starts before {dependency}");
            }
        }

        Assert.Equal(order.Reverse(), ServiceOrder.StopOrder(manifest));
    }

    [Theory]
    [MemberData(nameof(AppIds))]
    public void EveryTemplateRendersWithAFullContext(string id)
    {
        var manifest = Manifest(id);
        var context = Context(manifest);

        foreach (var service in manifest.Services.Keys)
        {
            var environment = AppEnvironment.ForService(manifest, service, context);
            Assert.All(environment, kv => Assert.DoesNotContain("${secrets.", kv.Value, StringComparison.Ordinal));
            foreach (var argument in manifest.Services[service].Command ?? [])
            {
                AppEnvironment.Render(manifest, argument, context);
            }
        }

        foreach (var (_, steps) in manifest.Hooks?.All() ?? [])
        {
            foreach (var step in steps.Concat(manifest.Sso.Steps ?? []))
            {
                Assert.All(step.Cmd, argument => AppEnvironment.Render(manifest, argument, context));
                Assert.All(step.Env ?? [], kv => AppEnvironment.Render(manifest, kv.Value, context));
            }
        }

        foreach (var database in manifest.Backup.Databases ?? [])
        {
            Assert.All(database.Dump.Concat(database.Restore), argument => AppEnvironment.Render(manifest, argument, context));
        }

        Assert.All(manifest.Sso.RedirectUris ?? [], uri => Assert.StartsWith("https://cloud.velo-lyon.fr", AppEnvironment.Render(manifest, uri, context), StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(AppIds))]
    public void EveryImageIsPinned(string id)
    {
        foreach (var (service, definition) in Manifest(id).Services)
        {
            Assert.Matches(":[A-Za-z0-9_][A-Za-z0-9_.-]*$", definition.Image);
            Assert.DoesNotContain(":latest", definition.Image, StringComparison.OrdinalIgnoreCase);
            Assert.False(string.IsNullOrEmpty(service));
        }
    }

    [Fact]
    public void NextcloudStartsItsDatabaseAndCacheFirstAndItsCronLast()
    {
        var manifest = Manifest("nextcloud");

        var order = ServiceOrder.StartOrder(manifest).ToList();

        Assert.True(order.IndexOf("db") < order.IndexOf("app") && order.IndexOf("redis") < order.IndexOf("app"));
        Assert.Equal("cron", order[^1]);
    }

    [Fact]
    public void NextcloudTrustsItsDomainAndSharesItsDatabasePassword()
    {
        var manifest = Manifest("nextcloud");
        var context = Context(manifest);

        var app = AppEnvironment.ForService(manifest, "app", context);
        var cron = AppEnvironment.ForService(manifest, "cron", context);

        Assert.Equal("cloud.velo-lyon.fr", app["NEXTCLOUD_TRUSTED_DOMAINS"]);
        Assert.Equal(context.Secrets["db_password"].Value, app["POSTGRES_PASSWORD"]);
        Assert.Equal("https://cloud.velo-lyon.fr", app["OVERWRITECLIURL"]);
        Assert.Equal(app["NEXTCLOUD_TRUSTED_DOMAINS"], cron["NEXTCLOUD_TRUSTED_DOMAINS"]);
        Assert.Equal(UpgradePolicy.EveryMajor, manifest.Upgrade.Policy);
        Assert.Equal(["32.0.13", "33.0.7", "34.0.2"], manifest.Upgrade.Path);
    }

    [Fact]
    public void MastodonGetsItsKeysAndSingleSignOnWhereItNeedsThem()
    {
        var manifest = Manifest("mastodon");
        var context = Context(manifest);

        var web = AppEnvironment.ForService(manifest, "web", context);
        var streaming = AppEnvironment.ForService(manifest, "streaming", context);
        var db = AppEnvironment.ForService(manifest, "db", context);

        Assert.Equal("cloud.velo-lyon.fr", web["LOCAL_DOMAIN"]);
        Assert.Equal(context.Secrets["vapid"].Public, web["VAPID_PUBLIC_KEY"]);
        Assert.Equal(context.Secrets["vapid"].Private, web["VAPID_PRIVATE_KEY"]);
        Assert.Equal(db["POSTGRES_PASSWORD"], web["DB_PASS"]);
        Assert.Equal(128, web["SECRET_KEY_BASE"].Length);
        Assert.Equal("hostpanel-mastodon", web["OIDC_CLIENT_ID"]);
        Assert.Equal("https://cloud.velo-lyon.fr/auth/auth/openid_connect/callback", web["OIDC_REDIRECT_URI"]);
        Assert.False(streaming.ContainsKey("OIDC_CLIENT_ID"));
        Assert.False(manifest.Domain.Changeable);
        Assert.Equal(["db", "redis", "web", "streaming", "sidekiq"], ServiceOrder.StartOrder(manifest));
    }

    [Fact]
    public void MastodonWithoutSingleSignOnGetsNoOidcVariables()
    {
        var manifest = Manifest("mastodon");

        var web = AppEnvironment.ForService(manifest, "web", Context(manifest) with { Sso = null });

        Assert.DoesNotContain(web.Keys, k => k.StartsWith("OIDC_", StringComparison.Ordinal));
    }

    [Fact]
    public void PeerTubeKeepsItsHostnameAndItsSecret()
    {
        var manifest = Manifest("peertube");
        var context = Context(manifest);

        var app = AppEnvironment.ForService(manifest, "app", context);

        Assert.Equal("cloud.velo-lyon.fr", app["PEERTUBE_WEBSERVER_HOSTNAME"]);
        Assert.Matches("^[0-9a-f]{64}$", app["PEERTUBE_SECRET"]);
        Assert.Equal("db", app["PEERTUBE_DB_HOSTNAME"]);
        Assert.False(manifest.Domain.Changeable);
        Assert.Contains(manifest.Ports ?? [], p => p.Port == 1935 && p.Protocol == Protocol.Tcp && p.Optional == true);
    }

    [Fact]
    public void WordPressAndMariaDbAgreeOnThePassword()
    {
        var manifest = Manifest("wordpress");
        var context = Context(manifest);

        Assert.Equal(
            AppEnvironment.ForService(manifest, "db", context)["MARIADB_PASSWORD"],
            AppEnvironment.ForService(manifest, "app", context)["WORDPRESS_DB_PASSWORD"]);
        Assert.True(ServiceOrder.StartOrder(manifest).ToList().IndexOf("db") < ServiceOrder.StartOrder(manifest).ToList().IndexOf("app"));
    }

    [Fact]
    public void GreenlightPointsAtTheServerItWasGiven()
    {
        var manifest = Manifest("bigbluebutton");
        var context = Context(manifest);

        var greenlight = AppEnvironment.ForService(manifest, "greenlight", context);

        Assert.Equal(context.Answers["bbb_endpoint"], greenlight["BIGBLUEBUTTON_ENDPOINT"]);
        Assert.Matches("^[0-9a-f]{128}$", greenlight["SECRET_KEY_BASE"]);
        Assert.Equal("hostpanel-bigbluebutton", greenlight["OPENID_CONNECT_CLIENT_ID"]);
    }

    [Fact]
    public void TheMediaServerIsAHostStackWithItsUdpRange()
    {
        var manifest = Manifest("bigbluebutton-server");

        Assert.Equal(AppKind.HostStack, manifest.EffectiveKind);
        Assert.NotNull(manifest.HostStack);
        Assert.True(manifest.HostStack.Preflight.RamMin.Bytes >= 8L << 30);
        Assert.Contains(manifest.Ports ?? [], p => p.Protocol == Protocol.Udp && p.Port <= 16384 && (p.End ?? p.Port) >= 24576);
    }

    [Fact]
    public void TheTestAppRendersAsTheTestWorldExpects()
    {
        var result = CatalogLoader.LoadDirectory(RepositoryPaths.TestCatalog(1));
        var notes = result.Apps.Single(a => a.Manifest.Id == "notes").Manifest;
        var context = Context(notes);

        var web = AppEnvironment.ForService(notes, "web", context);

        Assert.Equal(["db", "web"], ServiceOrder.StartOrder(notes));
        Assert.Equal("db", web["DB_HOST"]);
        Assert.Equal(context.Secrets["db_password"].Value, web["DB_PASSWORD"]);
        Assert.Equal(context.Secrets["db_password"].Value, AppEnvironment.ForService(notes, "db", context)["POSTGRES_PASSWORD"]);
        Assert.Equal("Bienvenue", AppEnvironment.Render(notes, "${q.first_note}", context with { Answers = new Dictionary<string, string>() }));
    }

    /// <summary>A complete context: generated secrets, a valid answer to every question, SSO and SMTP.</summary>
    private static PlaceholderContext Context(AppManifest manifest)
    {
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var question in manifest.Questions ?? [])
        {
            var answer = question.Default ?? question.Type switch
            {
                QuestionType.Email => "marie@velo-lyon.fr",
                QuestionType.Username => "marie",
                QuestionType.Password => "Velo-Lyon-Atelier-2026!",
                QuestionType.Boolean => "true",
                QuestionType.Choice => question.Choices![0].Value,
                QuestionType.Number => (question.Min ?? 1).ToString(CultureInfo.InvariantCulture),
                QuestionType.Url => "https://visio.velo-lyon.fr/bigbluebutton/",
                _ => question.Pattern is null ? "Atelier vélo" : "203.0.113.10",
            };
            Assert.Null(QuestionRules.Check(question, answer));
            answers[question.Id] = answer;
        }

        return new PlaceholderContext
        {
            Instance = $"{manifest.Id}-1",
            Domain = "cloud.velo-lyon.fr",
            Secrets = (manifest.Secrets ?? []).ToDictionary(s => s.Key, s => SecretGenerator.Generate(s.Value), StringComparer.Ordinal),
            Answers = answers,
            Outputs = (manifest.Hooks?.All() ?? []).SelectMany(h => h.Steps).Concat(manifest.Sso.Steps ?? [])
                .Select(s => s.Capture?.Output).OfType<string>().Distinct().ToDictionary(o => o, o => $"captured-{o}", StringComparer.Ordinal),
            Sso = new SsoSettings("https://panel.velo-lyon.fr", $"hostpanel-{manifest.Id}", "client-secret"),
            Smtp = new SmtpSettings("mail.velo-lyon.fr", 587, "panel", "smtp-password", "panel@velo-lyon.fr", "starttls"),
        };
    }
}
