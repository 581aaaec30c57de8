using System.Globalization;
using HostPanel.Cli;

// Without a language from the system (no LANG, as under a bare root shell or a service), the
// command speaks French, the panel's default, and writes dates the French way: the invariant
// culture's month-first dates would be misread ("12/03" read as the 12th of March).
if (CultureInfo.CurrentCulture.Equals(CultureInfo.InvariantCulture))
{
    CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fr-FR");
}

return await HostPanelCli.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
