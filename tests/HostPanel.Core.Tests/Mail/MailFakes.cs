using HostPanel.Core.Mail;
using HostPanel.Core.Organizations;
using HostPanel.Core.Secrets;

namespace HostPanel.Core.Tests.Mail;

internal sealed class FakeTransport : IMailTransport
{
    public List<(MailServer Server, string From)> Tests { get; } = [];

    public List<(MailServer Server, MailSender From, OutgoingMail Message)> Sent { get; } = [];

    /// <summary>Thrown by the next calls, when set.</summary>
    public MailTransportException? Failure { get; set; }

    public Task TestAsync(MailServer server, string fromAddress, CancellationToken ct = default)
    {
        Tests.Add((server, fromAddress));
        return Failure is null ? Task.CompletedTask : throw Failure;
    }

    /// <summary>A recipient the relay refuses, when set.</summary>
    public string? RefuseRecipient { get; set; }

    public Task SendAsync(MailServer server, MailSender from, OutgoingMail message, CancellationToken ct = default)
    {
        if (message.To == RefuseRecipient)
        {
            throw new MailTransportException(MailFailure.RecipientRefused, $"550 {message.To}: no such user");
        }

        Sent.Add((server, from, message));
        return Failure is null ? Task.CompletedTask : throw Failure;
    }
}

internal sealed class MemoryProfiles : IMailProfileStore
{
    public Dictionary<string, MailProfile> Rows { get; } = new(StringComparer.Ordinal);

    public Task<MailProfile?> FindAsync(string? organizationId, CancellationToken ct = default) =>
        Task.FromResult(Rows.GetValueOrDefault(organizationId ?? "(panel)"));

    public Task SaveAsync(MailProfile profile, CancellationToken ct = default)
    {
        Rows[profile.OrganizationId ?? "(panel)"] = profile;
        return Task.CompletedTask;
    }
}

internal sealed class MemorySecrets : ISecretStore
{
    public Dictionary<string, Dictionary<string, string>> Owners { get; } = new(StringComparer.Ordinal);

    public Task<IReadOnlyDictionary<string, string>> GetAllAsync(string instance, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>(Owners.GetValueOrDefault(instance) ?? []));

    public Task AddMissingAsync(string instance, IReadOnlyDictionary<string, string> values, CancellationToken ct = default)
    {
        foreach (var (name, value) in values)
        {
            Of(instance).TryAdd(name, value);
        }

        return Task.CompletedTask;
    }

    public Task SetAsync(string instance, string name, string value, CancellationToken ct = default)
    {
        Of(instance)[name] = value;
        return Task.CompletedTask;
    }

    public Task DeleteAllAsync(string instance, CancellationToken ct = default)
    {
        Owners.Remove(instance);
        return Task.CompletedTask;
    }

    private Dictionary<string, string> Of(string owner)
    {
        if (!Owners.TryGetValue(owner, out var values))
        {
            values = new Dictionary<string, string>(StringComparer.Ordinal);
            Owners[owner] = values;
        }

        return values;
    }
}

internal sealed class MemoryOrganizations(params string[] ids) : IOrganizationStore
{
    private readonly List<Organization> _all = [.. ids.Select(id => new Organization(id, id, DateTimeOffset.UnixEpoch))];

    public Task<Organization?> FindAsync(string id, CancellationToken ct = default) => Task.FromResult(_all.Find(o => o.Id == id));

    public Task<IReadOnlyList<Organization>> ListAsync(CancellationToken ct = default) => Task.FromResult<IReadOnlyList<Organization>>(_all);

    public Task<Organization> EnsureDefaultAsync(CancellationToken ct = default) => Task.FromResult(_all[0]);

    public Task AddAsync(Organization organization, CancellationToken ct = default)
    {
        _all.Add(organization);
        return Task.CompletedTask;
    }
}

internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
