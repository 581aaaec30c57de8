using System.Globalization;

namespace HostPanel.Core.Tests.Handover;

/// <summary>Runs a test's messages in one language and puts the previous one back.</summary>
internal sealed class CultureScope : IDisposable
{
    private readonly CultureInfo _previous = CultureInfo.CurrentUICulture;

    private CultureScope(string name) => CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);

    public static CultureScope English() => new("en");

    public static CultureScope French() => new("fr");

    public void Dispose() => CultureInfo.CurrentUICulture = _previous;
}
