using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HostPanel.Integration.Tests.Apps;
using HostPanel.Integration.Tests.Cli;
using HostPanel.Integration.Tests.TestWorld;

namespace HostPanel.Integration.Tests.Mail;

/// <summary>`hostpanel mail …` as typed, against the world's SMTP sink and private aiosmtpd servers.</summary>
public sealed partial class MailCommandTests : IAsyncDisposable
{
    private readonly Scratch _scratch = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _scratch.DisposeAsync();

    private Task<HostPanelProcess.Run> HostPanelAsync(params string[] args) => HostPanelProcess.RunAsync(_scratch.DataDirectory, 1, Ct, args);

    private string[] SetToSink(params string[] more) =>
        ["mail", "set", "--host", World.SmtpHost, "--port", World.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--security", "none", "--from", "panel@velo.example.org", .. more];

    [Fact]
    public async Task AWorkingProfileIsSavedShownAndDeliversTheTestMessage()
    {
        var set = await HostPanelAsync(SetToSink("--from-name", "Atelier vélo"));
        Assert.True(set.Code == 0, set.ToString());
        Assert.Contains($"{World.Smtp} (none)", set.Stdout, StringComparison.Ordinal);

        var show = await HostPanelAsync("mail", "show");
        Assert.True(show.Code == 0, show.ToString());
        Assert.Contains($"{World.Smtp} (none)", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("Atelier vélo <panel@velo.example.org>", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("login:      none", show.Stdout, StringComparison.Ordinal);

        var json = await HostPanelAsync("mail", "show", "--json");
        using (var doc = JsonDocument.Parse(json.Stdout))
        {
            var root = doc.RootElement;
            Assert.True(root.GetProperty("configured").GetBoolean());
            Assert.Equal("panel", root.GetProperty("profileOf").GetString());
            Assert.Equal(World.SmtpHost, root.GetProperty("host").GetString());
            Assert.Equal(World.SmtpPort, root.GetProperty("port").GetInt32());
            Assert.Equal("none", root.GetProperty("security").GetString());
            Assert.Equal("panel@velo.example.org", root.GetProperty("from").GetString());
        }

        var test = await HostPanelAsync("mail", "test", "someone@example.org");
        Assert.True(test.Code == 0, test.ToString());
        var reference = Reference().Match(test.Stdout).Groups[1].Value;
        Assert.Equal(12, reference.Length);

        var message = await SmtpSink.WaitForAsync(reference, Ct);
        Assert.Contains($"Subject: HostPanel: test message {reference}", message, StringComparison.Ordinal);
        Assert.Contains($"Test reference: {reference}", message, StringComparison.Ordinal);
        Assert.Contains("To: someone@example.org", message, StringComparison.Ordinal);
        Assert.Contains("panel@velo.example.org", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClosedPortIsRefusedNamingHostAndPortAndNothingIsSaved()
    {
        var set = await HostPanelAsync("mail", "set", "--host", "127.0.0.1", "--port", "9", "--security", "none", "--from", "panel@velo.example.org");

        Assert.True(set.Code == 1, set.ToString());
        Assert.Contains("Could not reach the mail server 127.0.0.1 on port 9", set.Stderr, StringComparison.Ordinal);
        Assert.Contains("--port", set.Stderr, StringComparison.Ordinal);
        Assert.Contains("Nothing was saved.", set.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", set.Stderr, StringComparison.Ordinal);
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task StartTlsAgainstAServerThatOffersNoneIsRefusedInPlainWords()
    {
        var set = await HostPanelAsync("mail", "set", "--host", World.SmtpHost, "--port", World.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--security", "starttls", "--from", "panel@velo.example.org");

        Assert.True(set.Code == 1, set.ToString());
        Assert.Contains($"does not offer STARTTLS on port {World.SmtpPort}", set.Stderr, StringComparison.Ordinal);
        Assert.Contains("--security", set.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", set.Stderr, StringComparison.Ordinal);
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task ImplicitTlsAgainstAPlainServerIsRefusedInPlainWords()
    {
        var set = await HostPanelAsync("mail", "set", "--host", World.SmtpHost, "--port", World.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--security", "tls", "--from", "panel@velo.example.org");

        Assert.True(set.Code == 1, set.ToString());
        Assert.Contains("The encrypted (TLS) connection", set.Stderr, StringComparison.Ordinal);
        Assert.Contains("--security", set.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", set.Stderr, StringComparison.Ordinal);
        await AssertNothingSavedAsync();
    }

    [Theory]
    [InlineData("--port", "0", "--port", "0 is not a port number")]
    [InlineData("--port", "70000", "--port", "70000 is not a port number")]
    [InlineData("--host", "smtp example.org", "--host", "“smtp example.org” is not a mail server name")]
    [InlineData("--from", "not-an-address", "--from", "“not-an-address” is not an e-mail address")]
    [InlineData("--from", "Panel <panel@velo.example.org>", "--from", "is not an e-mail address")]
    [InlineData("--security", "ssl", "--security", "“ssl” is not a known security")]
    public async Task BadInputIsRefusedNamingTheField(string option, string value, string field, string expected)
    {
        var args = SetToSink().ToList();
        args[args.IndexOf(option) + 1] = value;

        var set = await HostPanelAsync([.. args]);

        Assert.True(set.Code == 1, set.ToString());
        Assert.Contains(expected, set.Stderr, StringComparison.Ordinal);
        Assert.Contains(field, set.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", set.Stderr, StringComparison.Ordinal);
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task UnknownOrganizationsAndMissingProfilesAreRefused()
    {
        var set = await HostPanelAsync(SetToSink("--org", "nobody"));
        Assert.True(set.Code == 1, set.ToString());
        Assert.Contains("nobody", set.Stderr, StringComparison.Ordinal);

        var test = await HostPanelAsync("mail", "test", "someone@example.org");
        Assert.True(test.Code == 1, test.ToString());
        Assert.Contains("No mail server is set up", test.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", test.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALoginIsTestedBeforeSavingAndThePasswordIsNeverShownNorStoredInClear()
    {
        const string password = "Zèbre-2f9c-correct horse battery";
        await using var server = await PrivateSmtpServer.WithLoginAsync("asso", password, Ct);
        var port = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var wrong = Path.Combine(_scratch.DataDirectory, "..", $"wrong-{Guid.NewGuid():N}");
        var right = Path.Combine(_scratch.DataDirectory, "..", $"right-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(wrong, "not the password\n", Ct);
        await File.WriteAllTextAsync(right, password + "\n", Ct);
        var runs = new List<HostPanelProcess.Run>();
        try
        {
            string[] Set(params string[] login) => ["mail", "set", "--host", "127.0.0.1", "--port", port, "--security", "none", "--from", "panel@velo.example.org", .. login];

            var refused = await HostPanelAsync(Set("--user", "asso", "--password-file", wrong));
            runs.Add(refused);
            Assert.True(refused.Code == 1, refused.ToString());
            Assert.Contains("refused the user name or the password", refused.Stderr, StringComparison.Ordinal);
            Assert.Contains("--password-file", refused.Stderr, StringComparison.Ordinal);
            await AssertNothingSavedAsync();

            var anonymous = await HostPanelAsync(Set());
            runs.Add(anonymous);
            Assert.True(anonymous.Code == 1, anonymous.ToString());
            Assert.Contains("asks for a login", anonymous.Stderr, StringComparison.Ordinal);
            Assert.Contains("--user", anonymous.Stderr, StringComparison.Ordinal);
            await AssertNothingSavedAsync();

            var missingFile = await HostPanelAsync(Set("--user", "asso", "--password-file", wrong + "-missing"));
            runs.Add(missingFile);
            Assert.True(missingFile.Code == 1, missingFile.ToString());
            Assert.Contains("cannot be read (--password-file)", missingFile.Stderr, StringComparison.Ordinal);

            var saved = await HostPanelAsync(Set("--user", "asso", "--password-file", right));
            runs.Add(saved);
            Assert.True(saved.Code == 0, saved.ToString());

            var show = await HostPanelAsync("mail", "show");
            runs.Add(show);
            Assert.Contains("login:      asso (password kept encrypted)", show.Stdout, StringComparison.Ordinal);
            var json = await HostPanelAsync("mail", "show", "--json");
            runs.Add(json);
            using (var doc = JsonDocument.Parse(json.Stdout))
            {
                Assert.Equal("asso", doc.RootElement.GetProperty("user").GetString());
            }

            // The same user again without --password-file keeps the stored password.
            var again = await HostPanelAsync(Set("--user", "asso", "--from-name", "Atelier"));
            runs.Add(again);
            Assert.True(again.Code == 0, again.ToString());

            var test = await HostPanelAsync("mail", "test", "someone@example.org");
            runs.Add(test);
            Assert.True(test.Code == 0, test.ToString());
            var reference = Reference().Match(test.Stdout).Groups[1].Value;
            var message = await server.WaitForAsync(reference, Ct);
            Assert.Contains("Subject: HostPanel: test message " + reference, message, StringComparison.Ordinal);

            foreach (var run in runs)
            {
                Assert.DoesNotContain(password, run.Stdout + run.Stderr, StringComparison.Ordinal);
                Assert.DoesNotContain("not the password", run.Stdout + run.Stderr, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(password, server.Output, StringComparison.Ordinal);
            AssertNotInDatabaseFiles(_scratch.DataDirectory, password);
        }
        finally
        {
            File.Delete(wrong);
            File.Delete(right);
        }
    }

    [Fact]
    public async Task ACertificateOfAPrivateAuthorityIsTrustedOnlyWhenThatAuthorityIsGiven()
    {
        using var certificates = new TestCertificates();
        await using var server = await PrivateSmtpServer.WithTlsAsync("starttls", certificates.ServerCertificateFile, certificates.ServerKeyFile, Ct);
        string[] set = ["mail", "set", "--host", "localhost", "--port", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--security", "starttls", "--from", "panel@velo.example.org"];

        var untrusted = await HostPanelAsync(set);
        Assert.True(untrusted.Code == 1, untrusted.ToString());
        Assert.Contains("is not trusted", untrusted.Stderr, StringComparison.Ordinal);
        Assert.Contains("MailExtraTrustedCa", untrusted.Stderr, StringComparison.Ordinal);
        await AssertNothingSavedAsync();

        var trusting = new Dictionary<string, string> { ["HOSTPANEL_MAILEXTRATRUSTEDCA"] = certificates.AuthorityFile };
        var trusted = await HostPanelProcess.RunAsync(_scratch.DataDirectory, 1, trusting, Ct, set);
        Assert.True(trusted.Code == 0, trusted.ToString());

        var test = await HostPanelProcess.RunAsync(_scratch.DataDirectory, 1, trusting, Ct, "mail", "test", "someone@example.org");
        Assert.True(test.Code == 0, test.ToString());
        await server.WaitForAsync(Reference().Match(test.Stdout).Groups[1].Value, Ct);
    }

    private async Task AssertNothingSavedAsync()
    {
        var show = await HostPanelAsync("mail", "show");
        Assert.True(show.Code == 0, show.ToString());
        Assert.Contains("No mail server is set up", show.Stdout, StringComparison.Ordinal);
        var json = await HostPanelAsync("mail", "show", "--json");
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.False(doc.RootElement.GetProperty("configured").GetBoolean());
    }

    /// <summary>The database and its journal files hold no clear copy of <paramref name="secret"/>.</summary>
    internal static void AssertNotInDatabaseFiles(string dataDirectory, string secret)
    {
        var files = Directory.GetFiles(dataDirectory, "hostpanel.db*");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{file} holds the password in clear");
            Assert.True(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)) < 0, $"{file} holds the password in clear (UTF-16)");
        }
    }

    [GeneratedRegex("Reference: ([a-z0-9]{12})")]
    private static partial Regex Reference();
}
