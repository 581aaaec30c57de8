using System.Globalization;
using Microsoft.Extensions.Localization;

namespace HostPanel.Web.Panel;

/// <summary>
/// Dates and sizes as the pages write them: in the server's local time (the panel and its people
/// live in the same place), in the person's language.
/// </summary>
public static class PanelFormat
{
    private static readonly string[] ByteUnits = ["Bytes.B", "Bytes.KB", "Bytes.MB", "Bytes.GB", "Bytes.TB"];

    /// <summary>The moment in the server's time zone.</summary>
    public static DateTimeOffset Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, TimeZoneInfo.Local);

    /// <summary>A date and a time: "26/11/2026 08:00" in French.</summary>
    public static string When(DateTimeOffset at) => Local(at).ToString("g", CultureInfo.CurrentCulture);

    /// <summary>A date alone: "26/11/2026" in French.</summary>
    /// <summary>A moment written out in full ("jeudi 26 novembre 2026 08:32"), in the person's language.</summary>
    public static string Long(DateTimeOffset at) => Local(at).ToString("f", CultureInfo.CurrentCulture);

    public static string Day(DateTimeOffset at) => Local(at).ToString("d", CultureInfo.CurrentCulture);

    /// <summary>For <c>&lt;time datetime&gt;</c>.</summary>
    public static string Machine(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>A share as a percentage: "23 %" in French, "23%" in English.</summary>
    public static string Percent(double ratio) => ratio.ToString("P0", CultureInfo.CurrentCulture);

    /// <summary>A size in the units people know (1 000-based, like the disks are sold): "1,5 Go".</summary>
    public static string Bytes(IStringLocalizer<OperationsText> text, long bytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        double value = Math.Max(0, bytes);
        var unit = 0;
        while (value >= 1000 && unit < ByteUnits.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        var number = unit == 0 || value >= 10 ? value.ToString("0", CultureInfo.CurrentCulture) : value.ToString("0.0", CultureInfo.CurrentCulture);
        return text[ByteUnits[unit], number];
    }
}
