// Blazor starts here, after MudBlazor's script (App.razor loads blazor.web.js with autostart off,
// then MudBlazor's, then this one): the first interactive render of a page calls into MudBlazor's
// script, which must be there already even when its download is the slow one.
Blazor.start();
