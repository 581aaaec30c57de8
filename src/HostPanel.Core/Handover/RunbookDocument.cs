namespace HostPanel.Core.Handover;

/// <summary>What a runbook covers: one organization, or the whole server (every organization).</summary>
public enum RunbookScope
{
    Organization,
    Server,
}

/// <summary>
/// The runbook ("carnet de bord"): built from the real state each time it is asked for, never
/// stored nor edited. Every renderer (Markdown, HTML, PDF) reads the same document, so the
/// formats cannot drift apart.
/// </summary>
/// <param name="Title">The document's title, in the document's language.</param>
/// <param name="GeneratedAt">When the state was read.</param>
/// <param name="Scope">One organization or the whole server.</param>
/// <param name="OrganizationId">The organization covered; null for the whole server.</param>
/// <param name="Language">The language the words were written in ("fr", "en").</param>
/// <param name="Sections">The sections, in the order they are read.</param>
public sealed record RunbookDocument(
    string Title,
    DateTimeOffset GeneratedAt,
    RunbookScope Scope,
    string? OrganizationId,
    string Language,
    IReadOnlyList<RunbookSection> Sections);

/// <summary>One section: a stable <paramref name="Id"/> ("summary", "apps"…), its heading in words, its blocks.</summary>
public sealed record RunbookSection(string Id, string Heading, IReadOnlyList<RunbookBlock> Blocks);

/// <summary>A piece of a section.</summary>
public abstract record RunbookBlock;

/// <summary>A heading inside a section (one app, one organization).</summary>
public sealed record RunbookSubheading(string Text) : RunbookBlock;

/// <summary>Plain text.</summary>
public sealed record RunbookParagraph(string Text) : RunbookBlock;

/// <summary>A two-column table: what, and its value.</summary>
public sealed record RunbookTable(string KeyHeading, string ValueHeading, IReadOnlyList<RunbookRow> Rows) : RunbookBlock;

/// <summary>One row of a <see cref="RunbookTable"/>.</summary>
public sealed record RunbookRow(string Key, string Value);

/// <summary>A bulleted list.</summary>
public sealed record RunbookList(IReadOnlyList<string> Items) : RunbookBlock;

/// <summary>Shell commands to type exactly as written, one per line (kept verbatim by every renderer).</summary>
public sealed record RunbookCommands(IReadOnlyList<string> Lines) : RunbookBlock;

/// <summary>The stable ids of the runbook's sections, in their order.</summary>
public static class RunbookSections
{
    public const string Summary = "summary";
    public const string Apps = "apps";
    public const string Backups = "backups";
    public const string Restore = "restore";
    public const string People = "people";
    public const string Accounts = "accounts";
    public const string Operations = "operations";
    public const string Deviations = "deviations";

    public static IReadOnlyList<string> All { get; } = [Summary, Apps, Backups, Restore, People, Accounts, Operations, Deviations];
}
