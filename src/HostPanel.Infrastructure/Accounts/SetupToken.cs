using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace HostPanel.Infrastructure.Accounts;

/// <summary>
/// The one-time secret that proves, on the first-run page, that the person creating the first
/// administrator also has access to the server. It lives in DATA_DIR/setup-token, readable by
/// the panel's own user only, so the installer can print it; it is deleted as soon as the first
/// administrator exists.
/// </summary>
public sealed class SetupTokenStore
{
    public const string FileName = "setup-token";

    // 256 bits: far beyond guessing, and 43 characters once encoded: short enough to copy.
    private const int TokenBytes = 32;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const int MaxAttempts = 40;

    private static readonly TimeSpan EmptyFileWait = TimeSpan.FromMilliseconds(50);

    private readonly Lock _gate = new();

    public SetupTokenStore(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        FilePath = Path.Combine(Path.GetFullPath(dataDirectory), FileName);
    }

    /// <summary>Where the token is kept.</summary>
    public string FilePath { get; }

    /// <summary>
    /// Returns the current token, creating it if there is none. An existing token is kept, so a
    /// restart does not invalidate what the installer already printed.
    /// </summary>
    public string EnsureExists()
    {
        lock (_gate)
        {
            for (var attempt = 1; attempt <= MaxAttempts; attempt++)
            {
                var existing = TryRead();
                if (existing is not null)
                {
                    RestrictToOwner();
                    return existing;
                }

                if (File.Exists(FilePath))
                {
                    // Empty: another process (the CLI, a second panel) may be writing it right now.
                    if (attempt < MaxAttempts / 2)
                    {
                        Thread.Sleep(EmptyFileWait);
                        continue;
                    }

                    // Still empty: a broken file (a disk that filled up), not a token.
                    File.Delete(FilePath);
                }

                if (TryCreate() is { } created)
                {
                    return created;
                }
            }

            throw new IOException($"Could not create the setup token file {FilePath}.");
        }
    }

    /// <summary>
    /// Creates the file only if it does not exist (one atomic step: whoever creates it first wins,
    /// and nobody overwrites a token another process has handed out), readable by the owner only
    /// from the start. Returns null when another process created it first.
    /// </summary>
    private string? TryCreate()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = OwnerOnly;
        }

        try
        {
            using var stream = new FileStream(FilePath, create);

            // One short write: a reader sees no file, an empty one (and waits), or the whole token.
            stream.Write(Encoding.ASCII.GetBytes(token + "\n"));
            stream.Flush(flushToDisk: true);
            return token;
        }
        catch (IOException) when (File.Exists(FilePath))
        {
            return null;
        }
    }

    /// <summary>
    /// True when <paramref name="candidate"/> is the current token. Surrounding spaces are ignored
    /// (copy and paste adds them). The comparison takes the same time whatever the candidate, so
    /// timing reveals nothing about the token.
    /// </summary>
    public bool Verify(string? candidate)
    {
        var expected = TryRead();
        if (expected is null)
        {
            return false;
        }

        // Hashing first gives both sides the same length, so the fixed-time comparison also hides
        // how long the candidate was compared with the token.
        var expectedHash = SHA256.HashData(Encoding.UTF8.GetBytes(expected));
        var candidateHash = SHA256.HashData(Encoding.UTF8.GetBytes((candidate ?? "").Trim()));
        return CryptographicOperations.FixedTimeEquals(expectedHash, candidateHash);
    }

    /// <summary>Removes the token; a missing file is not an error.</summary>
    public void Delete()
    {
        lock (_gate)
        {
            File.Delete(FilePath);
        }
    }

    private string? TryRead()
    {
        try
        {
            var text = File.ReadAllText(FilePath, Encoding.ASCII).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (IOException) when (File.Exists(FilePath))
        {
            // Held by the process that is writing it at this moment.
            return null;
        }
    }

    private void RestrictToOwner()
    {
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(FilePath) != OwnerOnly)
        {
            File.SetUnixFileMode(FilePath, OwnerOnly);
        }
    }
}
