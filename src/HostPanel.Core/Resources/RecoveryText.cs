using System.Globalization;
using System.Resources;

namespace HostPanel.Core.Resources;

/// <summary>
/// The recovery kit's words (refusals, share documents, status), from Resources/RecoveryText.resx
/// (French) and its English translation, in the current UI culture or one asked for (a share
/// document carries both languages).
/// </summary>
public static class RecoveryText
{
    private static readonly ResourceManager Resources = new("HostPanel.Core.Resources.RecoveryText", typeof(RecoveryText).Assembly);

    public static CultureInfo French { get; } = CultureInfo.GetCultureInfo("fr");

    public static CultureInfo English { get; } = CultureInfo.GetCultureInfo("en");

    public static string Get(string key) => Get(key, CultureInfo.CurrentUICulture);

    public static string Get(string key, CultureInfo culture) =>
        Resources.GetString(key, culture) ?? throw new InvalidOperationException($"Missing text '{key}'.");

    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);

    public static string Format(CultureInfo culture, string key, params object?[] args) =>
        string.Format(culture, Get(key, culture), args);

    /// <summary>"1st", "2nd", "3rd", "4th" or « 1re », « 2e »: which of the shares given.</summary>
    public static string Ordinal(int position)
    {
        var culture = CultureInfo.CurrentUICulture;
        var english = culture.TwoLetterISOLanguageName == "en";
        var key = position == 1 ? "OrdinalFirst"
            : !english || position % 100 is 11 or 12 or 13 ? "OrdinalOther"
            : (position % 10) switch
            {
                1 => "OrdinalFirst",
                2 => "OrdinalSecond",
                3 => "OrdinalThird",
                _ => "OrdinalOther",
            };
        return Format(key, position);
    }
}
