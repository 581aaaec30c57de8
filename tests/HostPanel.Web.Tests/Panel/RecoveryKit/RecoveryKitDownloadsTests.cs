using HostPanel.Web.Panel.RecoveryKit;
using Microsoft.Extensions.Time.Testing;

namespace HostPanel.Web.Tests.Panel.RecoveryKit;

public sealed class RecoveryKitDownloadsTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2025-05-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private static KitFile Sheet() => new("share-alice.txt", "text/plain; charset=utf-8", "HPK1-secret"u8.ToArray());

    [Fact]
    public void A_file_is_taken_once_by_its_owner_only()
    {
        var downloads = new RecoveryKitDownloads(_time);
        var id = downloads.Add("user-1", Sheet());

        Assert.Null(downloads.Take("user-2", id));
        Assert.True(downloads.IsWaiting(id));
        var file = downloads.Take("user-1", id);
        Assert.Equal("share-alice.txt", file?.FileName);
        Assert.Equal("HPK1-secret"u8.ToArray(), file?.Content);
        Assert.Null(downloads.Take("user-1", id));
        Assert.False(downloads.IsWaiting(id));
    }

    [Fact]
    public void Ids_are_random_and_long()
    {
        var downloads = new RecoveryKitDownloads(_time);
        var ids = Enumerable.Range(0, 50).Select(_ => downloads.Add("user-1", Sheet())).ToList();

        Assert.Equal(50, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Equal(32, id.Length));
        Assert.All(ids, id => Assert.DoesNotContain('/', id));
    }

    [Fact]
    public void A_file_expires_after_ten_minutes_and_is_wiped()
    {
        var downloads = new RecoveryKitDownloads(_time);
        var file = Sheet();
        var id = downloads.Add("user-1", file);

        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.True(downloads.IsWaiting(id));
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Null(downloads.Take("user-1", id));
        Assert.All(file.Content, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Discarded_files_are_gone_and_wiped_and_others_stay()
    {
        var downloads = new RecoveryKitDownloads(_time);
        var first = Sheet();
        var a = downloads.Add("user-1", first);
        var b = downloads.Add("user-1", Sheet());

        downloads.Discard([a, "unknown"]);

        Assert.Null(downloads.Take("user-1", a));
        Assert.All(first.Content, x => Assert.Equal(0, x));
        Assert.NotNull(downloads.Take("user-1", b));
    }
}
