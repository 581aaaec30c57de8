using HostPanel.Web;
using HostPanel.Web.Hosting;

var app = HostPanelWebApplication.Create(args);
await app.PrepareHostPanelAsync();
await app.RunAsync();
