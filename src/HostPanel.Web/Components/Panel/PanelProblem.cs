namespace HostPanel.Web.Components.Panel;

/// <summary>What a page shows with <c>Problem</c> when its read failed: what happened, what is safe, what to do, the detail.</summary>
public sealed record PanelProblem(string What, string? Safe = null, string? Next = null, string? Detail = null);
