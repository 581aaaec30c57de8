using HostPanel.Core.Accounts;
using HostPanel.Core.Handover;
using HostPanel.Core.Organizations;

namespace HostPanel.Web.Components.Pages.Continuity;

/// <summary>What the Continuity page shows of one organization: its raised checks (and the server's) and its external accounts.</summary>
public sealed record ContinuityData(
    Caller Caller,
    Organization Organization,
    IReadOnlyList<BusFactorFinding> Findings,
    IReadOnlyList<ExternalAccount> Accounts);
