using System.Globalization;
using System.Reflection;
using HostPanel.Core.Handover;
using HostPanel.Core.Operations;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Tests.Handover;

/// <summary>The audit chain and its check: every kind of tampering is reported at the entry where it is.</summary>
public sealed class AuditChainTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A chain of <paramref name="count"/> entries as the store builds it, and the anchor on its last.</summary>
    private static (List<AuditEntry> Entries, AuditAnchor Anchor) Chain(int count = 6)
    {
        var entries = new List<AuditEntry>();
        for (var i = 0; i < count; i++)
        {
            var record = new AuditRecord
            {
                Actor = i % 2 == 0 ? "alice@velo.example.org" : "schedule",
                OrganizationId = i % 3 == 0 ? null : "velo",
                Action = i % 2 == 0 ? AuditActions.MemberInvite : AuditActions.ForOperation(OperationKind.Backup),
                Subject = $"subject-{i}",
                Result = (AuditResult)(i % 4),
                OperationId = i % 2 == 0 ? null : Guid.CreateVersion7(Start.AddMinutes(i)),
                Detail = i % 3 == 1 ? null : $"detail {i}",
            };
            entries.Add(AuditChain.Next(entries.LastOrDefault(), record, Start.AddMinutes(i).AddTicks(i)));
        }

        return (entries, new AuditAnchor(entries[^1].Sequence, entries[^1].Hash));
    }

    [Fact]
    public void AChainBuiltByTheCodeVerifies()
    {
        var (entries, anchor) = Chain();

        var verdict = AuditVerifier.Verify(entries, anchor);

        Assert.True(verdict.IsIntact, verdict.ToString());
        Assert.Equal(6, verdict.Count);
        Assert.Equal(AuditChain.Genesis, entries[0].PreviousHash);
        Assert.Equal(new string('0', 64), AuditChain.Genesis);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.All(entries.Skip(1), (e, i) => Assert.Equal(entries[i].Hash, e.PreviousHash));
    }

    /// <summary>One way of changing each field (the entry's own hash included).</summary>
    public static TheoryData<string> Fields() =>
        ["Sequence", "At", "Actor", "OrganizationId", "Action", "Subject", "Result", "OperationId", "Detail", "PreviousHash", "Hash"];

    private static AuditEntry Change(AuditEntry e, string field) => field switch
    {
        "Sequence" => e with { Sequence = e.Sequence + 100 },
        "At" => e with { At = e.At.AddTicks(1) },
        "Actor" => e with { Actor = e.Actor + "x" },
        "OrganizationId" => e with { OrganizationId = e.OrganizationId is null ? "velo" : null },
        "Action" => e with { Action = "app.purge" },
        "Subject" => e with { Subject = e.Subject + " " },
        "Result" => e with { Result = e.Result == AuditResult.Refused ? AuditResult.Succeeded : AuditResult.Refused },
        "OperationId" => e with { OperationId = e.OperationId is null ? Guid.Empty : null },
        "Detail" => e with { Detail = e.Detail is null ? string.Empty : null },
        "PreviousHash" => e with { PreviousHash = Convert.ToHexStringLower(new byte[32]).Replace('0', '1') },
        "Hash" => e with { Hash = e.Hash[..^1] + (e.Hash[^1] == 'a' ? 'b' : 'a') },
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public void ChangingAnyFieldOfAnyEntryIsReportedAsThatEntryEdited(string field)
    {
        for (var i = 0; i < 6; i++)
        {
            var (entries, anchor) = Chain();
            entries[i] = Change(entries[i], field);

            var verdict = AuditVerifier.Verify(entries, anchor);

            Assert.Equal(AuditProblem.Edited, verdict.Problem);
            Assert.Equal(i + 1, verdict.Position);
        }
    }

    [Fact]
    public void AnEditWhoseHashWasRecomputedBreaksTheLinkOfTheNextEntry()
    {
        var (entries, anchor) = Chain();
        var forged = entries[2] with { Subject = "someone else" };
        entries[2] = forged with { Hash = AuditChain.HashOf(forged) };

        var verdict = AuditVerifier.Verify(entries, anchor);

        Assert.Equal(AuditProblem.Removed, verdict.Problem);
        Assert.Equal(4, verdict.Sequence);
    }

    [Fact]
    public void AChainRewrittenFromAnEntryOnDisagreesWithTheAnchor()
    {
        var (entries, anchor) = Chain();
        var rewritten = entries.Take(3).ToList();
        foreach (var e in entries.Skip(3))
        {
            var record = new AuditRecord { Actor = e.Actor, OrganizationId = e.OrganizationId, Action = e.Action, Subject = "rewritten", Result = e.Result, OperationId = e.OperationId, Detail = e.Detail };
            rewritten.Add(AuditChain.Next(rewritten[^1], record, e.At));
        }

        Assert.True(AuditVerifier.Verify(rewritten, null).Problem is AuditProblem.AnchorMissing);
        var verdict = AuditVerifier.Verify(rewritten, anchor);

        Assert.Equal(AuditProblem.Edited, verdict.Problem);
        Assert.Equal(6, verdict.Sequence);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    public void RemovingAnEntryIsReportedAtTheMissingOne(int index)
    {
        var (entries, anchor) = Chain();
        entries.RemoveAt(index);

        var verdict = AuditVerifier.Verify(entries, anchor);

        Assert.Equal(AuditProblem.Removed, verdict.Problem);
        Assert.Equal(index + 1, verdict.Sequence);
        Assert.Equal(index + 2, verdict.Found);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(1, 4)]
    [InlineData(0, 5)]
    public void SwappingTwoEntriesIsReportedWhereTheFirstIsOutOfPlace(int first, int second)
    {
        var (entries, anchor) = Chain();
        (entries[first], entries[second]) = (entries[second], entries[first]);

        var verdict = AuditVerifier.Verify(entries, anchor);

        Assert.Equal(AuditProblem.Reordered, verdict.Problem);
        Assert.Equal(second + 1, verdict.Sequence);
        Assert.Equal(first + 1, verdict.Found);
        Assert.Equal(first + 1, verdict.Position);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TruncatingTheTailIsReportedThroughTheAnchor(int removed)
    {
        var (entries, anchor) = Chain();
        entries.RemoveRange(entries.Count - removed, removed);

        Assert.True(AuditVerifier.Verify(entries, null).IsIntact == (entries.Count <= 1));
        var verdict = AuditVerifier.Verify(entries, anchor);

        Assert.Equal(AuditProblem.NewestRemoved, verdict.Problem);
        Assert.Equal(7 - removed, verdict.Sequence);
        Assert.Equal(6, verdict.Found);
    }

    [Fact]
    public void AnAnchorOneBehindIsACrashNotTampering()
    {
        var (entries, _) = Chain();

        Assert.True(AuditVerifier.Verify(entries, new AuditAnchor(5, entries[4].Hash)).IsIntact);
        Assert.True(AuditVerifier.Verify(entries.Take(1).ToList(), null).IsIntact);
        Assert.True(AuditVerifier.Verify([], null).IsIntact);

        var behind = AuditVerifier.Verify(entries, new AuditAnchor(4, entries[3].Hash));
        Assert.Equal(AuditProblem.AnchorBehind, behind.Problem);
        Assert.Equal(5, behind.Sequence);

        var missing = AuditVerifier.Verify(entries, null);
        Assert.Equal(AuditProblem.AnchorMissing, missing.Problem);
    }

    [Fact]
    public void TheEncodingTellsFieldsApartAndIsPinned()
    {
        var a = AuditChain.Next(null, new AuditRecord { Actor = "root", Action = "x", Subject = "ab", Result = AuditResult.Succeeded }, Start);
        var b = AuditChain.Next(null, new AuditRecord { Actor = "root", Action = "x", Subject = "a", Detail = "b", Result = AuditResult.Succeeded }, Start);
        var c = AuditChain.Next(null, new AuditRecord { Actor = "root", Action = "x", Subject = null, Detail = "ab", Result = AuditResult.Succeeded }, Start);
        var d = AuditChain.Next(null, new AuditRecord { Actor = "root", Action = "x", Subject = string.Empty, Detail = "ab", Result = AuditResult.Succeeded }, Start);

        Assert.Equal(4, new[] { a.Hash, b.Hash, c.Hash, d.Hash }.Distinct().Count());

        // Entries already written keep this hash (also computed outside .NET from the documented
        // encoding): a change of encoding needs a new version tag.
        Assert.Equal("29b3b5fe5e9c374dee397382f87f00676387eade3bea5511fecea481fda10a73", a.Hash);
    }

    [Fact]
    public void EveryActionCodeHasASentenceInBothLanguages()
    {
        var codes = typeof(AuditActions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Concat(Enum.GetValues<OperationKind>().Select(AuditActions.ForOperation))
            .ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());

        foreach (var culture in new[] { "fr", "en" })
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            foreach (var code in codes)
            {
                Assert.True(AuditText.Find("Action." + code) is not null, $"{code} has no words in {culture}");
            }
        }

        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        var entry = AuditChain.Next(null, new AuditRecord { Actor = "alice@velo.example.org", Action = "app.install", Subject = "cloud", Result = AuditResult.Failed }, Start);
        Assert.Equal("alice@velo.example.org installed cloud (failed)", AuditService.Words(entry));
    }
}
