using HostPanel.Core.Engine;

namespace HostPanel.Core.Tests.Engine;

public class ImageReferenceTests
{
    [Theory]
    [InlineData("nextcloud:31.0.4", "nextcloud", "31.0.4", null)]
    [InlineData("127.0.0.1:5000/hostpanel-test/web:1", "127.0.0.1:5000/hostpanel-test/web", "1", null)]
    [InlineData("127.0.0.1:5000/hostpanel-test/web", "127.0.0.1:5000/hostpanel-test/web", null, null)]
    [InlineData("ghcr.io/mastodon/mastodon@sha256:abc", "ghcr.io/mastodon/mastodon", null, "sha256:abc")]
    public void SplitsRepositoryTagAndDigest(string text, string repository, string? tag, string? digest)
    {
        var reference = ImageReference.Parse(text);

        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest);
    }

    [Fact]
    public void PortOfTheRegistryIsNotMistakenForATag()
    {
        var reference = ImageReference.Parse("localhost:5000/app");

        Assert.Null(reference.Tag);
        Assert.Equal("localhost:5000/app:latest", reference.ToString());
    }

    [Fact]
    public void DigestWinsWhenPrinted()
    {
        Assert.Equal("a/b@sha256:1", ImageReference.Parse("a/b@sha256:1").ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void RefusesAnEmptyReference(string text)
    {
        Assert.ThrowsAny<ArgumentException>(() => ImageReference.Parse(text));
    }
}
