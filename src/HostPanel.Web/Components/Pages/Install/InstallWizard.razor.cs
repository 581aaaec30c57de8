using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Catalog.Loading;
using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Catalog.Validation;
using HostPanel.Core.Domains;
using HostPanel.Core.Operations;
using HostPanel.Core.Resources;
using HostPanel.Web.Panel;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;
using MudBlazor;

namespace HostPanel.Web.Components.Pages.Install;

/// <summary>
/// The install wizard: where the app will live (address, name), the manifest's questions, then
/// a summary with the warnings again. Each step is checked here as the manifest says; the
/// service checks everything again, and its refusal is shown next to the field it names.
/// </summary>
public sealed partial class InstallWizard
{
    private static readonly TimeSpan DnsCheckTimeout = TimeSpan.FromSeconds(20);

    private readonly Dictionary<string, string> _answers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Regex?> _patterns = new(StringComparer.Ordinal);

    // Problems by field: "domain", "name", "q.<question id>", "confirm".
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);

    private string? _loadedFor;
    private CatalogView? _view;
    private CatalogApp? _app;
    private string? _failure;
    private string? _refusal;
    private string? _problem;
    private (Guid Operation, string Detail)? _notStarted;
    private List<Step> _steps = [];
    private int _step;
    private string _domain = "";
    private string _name = "";
    private bool _confirmHostStack;
    private bool _sending;
    private DomainCheckResult? _dns;
    private string? _dnsProblem;
    private bool _dnsChecking;
    private ElementReference _stepHeading;
    private bool _focusStep;

    private enum Step
    {
        Place,
        Questions,
        Summary,
    }

    [Parameter]
    public string AppId { get; set; } = "";

    [Inject]
    private IAppCatalog AppCatalog { get; set; } = default!;

    [Inject]
    private PanelSession Session { get; set; } = default!;

    [Inject]
    private AppService Apps { get; set; } = default!;

    [Inject]
    private DomainService Domains { get; set; } = default!;

    [Inject]
    private PanelWork Work { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IStringLocalizer<InstallText> L { get; set; } = default!;

    [Inject]
    private IStringLocalizer<CatalogText> T { get; set; } = default!;

    [Inject]
    private ILogger<InstallWizard> Logger { get; set; } = default!;

    private AppManifest Manifest => _app!.Manifest;

    private IReadOnlyList<Question> Questions => Manifest.Questions ?? [];

    private Step CurrentStep => _steps[_step];

    private string DetailsPath => $"/catalog/{Uri.EscapeDataString(AppId)}";

    /// <summary>The app is reached at an address of its own: asked when it needs one or serves web pages.</summary>
    private bool ShowDomain => Manifest.Domain.Required || Manifest.Routes is { Count: > 0 };

    private string? NormalizedDomain => DomainName.TryParse(_domain, allowWildcard: false, out _)?.Ascii;

    private string? ShownDomain => DomainName.TryParse(_domain, allowWildcard: false, out _)?.Unicode;

    private bool IsHostStack => Manifest.EffectiveKind == AppKind.HostStack;

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor == AppId)
        {
            return;
        }

        _loadedFor = AppId;
        try
        {
            var view = await CatalogView.ReadAsync(AppCatalog, Session);
            _app = view.Find(AppId);
            if (_app is not null)
            {
                Start(_app.Manifest);
            }

            _view = view;
        }
        catch (AccessDeniedException e)
        {
            _failure = e.Message;
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_focusStep)
        {
            // A new step: keyboard and screen reader users start reading at its title.
            _focusStep = false;
            try
            {
                await _stepHeading.FocusAsync();
            }
            catch (JSException e)
            {
                Logger.LogDebug(e, "The step's title could not take the focus.");
            }
        }
    }

    private void Start(AppManifest manifest)
    {
        _steps = [Step.Place, .. manifest.Questions is { Count: > 0 } ? [Step.Questions] : Array.Empty<Step>(), Step.Summary];
        _step = 0;
        _name = manifest.Id;
        _domain = "";
        _answers.Clear();
        _patterns.Clear();
        _errors.Clear();
        foreach (var question in manifest.Questions ?? [])
        {
            _answers[question.Id] = question.Default ?? (question.Type == QuestionType.Boolean ? "false" : "");
            _patterns[question.Id] = QuestionRules.Pattern(question);
        }
    }

    private string StepTitle(Step step) => step switch
    {
        Step.Place => L["Step.Place"],
        Step.Questions => L["Step.Questions"],
        _ => L["Step.Summary"],
    };

    private static string QuestionKey(Question question) => $"q.{question.Id}";

    /// <summary>The step where a field is asked; a problem with no field of its own is said on the summary.</summary>
    private static Step StepOf(string field) => field switch
    {
        "domain" or "name" => Step.Place,
        _ when field.StartsWith("q.", StringComparison.Ordinal) => Step.Questions,
        _ => Step.Summary,
    };

    private async Task ContinueAsync()
    {
        if (_sending)
        {
            return;
        }

        var step = CurrentStep;
        if (!Check(step))
        {
            return;
        }

        if (step == Step.Summary)
        {
            await InstallAsync();
            return;
        }

        _step++;
        _focusStep = true;
        if (CurrentStep == Step.Summary)
        {
            await CheckDomainAsync();
        }
    }

    private void Back()
    {
        if (_step > 0 && !_sending)
        {
            _step--;
            _focusStep = true;
        }
    }

    /// <summary>The checks of one step, as the manifest states them; true when all pass.</summary>
    private bool Check(Step step)
    {
        foreach (var key in _errors.Keys.Where(k => StepOf(k) == step).ToList())
        {
            _errors.Remove(key);
        }

        switch (step)
        {
            case Step.Place:
                if (ShowDomain && DomainProblem() is { } domain)
                {
                    _errors["domain"] = domain;
                }

                if (!InstanceNameRegex().IsMatch(_name.Trim()))
                {
                    _errors["name"] = CoreText.Format("BadInstanceName", _name.Trim());
                }

                break;
            case Step.Questions:
                foreach (var question in Questions)
                {
                    if (AnswerProblem(question) is { } problem)
                    {
                        _errors[QuestionKey(question)] = problem;
                    }
                }

                break;
            case Step.Summary:
                _problem = null;
                if (IsHostStack && !_confirmHostStack)
                {
                    _errors["confirm"] = L["HostStackConfirmRequired"];
                }

                break;
        }

        return !_errors.Keys.Any(k => StepOf(k) == step);
    }

    private string? DomainProblem()
    {
        var text = _domain.Trim();
        if (text.Length == 0)
        {
            return Manifest.Domain.Required ? L["DomainRequired"].Value : null;
        }

        var name = DomainName.TryParse(text, allowWildcard: false, out var problem);
        if (name is null)
        {
            return problem;
        }

        return DomainName.IsReserved(name.Ascii) ? CoreText.Format("DomainNotAName", text) : null;
    }

    private string? AnswerProblem(Question question)
    {
        var problem = QuestionRules.Find(question, _answers[question.Id], _patterns[question.Id]);
        return problem switch
        {
            null => null,
            { Kind: AnswerProblemKind.PatternMismatch } => question.PatternError?.In(CatalogWords.Language) ?? L["Answer.PatternMismatch"],
            _ => L[$"Answer.{problem.Kind}", problem.Limit?.ToString(CultureInfo.CurrentCulture) ?? ""],
        };
    }

    /// <summary>The check asked with the button: always asked again (the records may have just been created).</summary>
    private Task CheckDomainAgainAsync() => CheckDomainAsync(again: true);

    /// <summary>Where the address points now, and the records to create when it is not here yet.</summary>
    private async Task CheckDomainAsync(bool again = false)
    {
        _dnsProblem = null;
        if (!ShowDomain || _domain.Trim().Length == 0)
        {
            _dns = null;
            return;
        }

        if (DomainProblem() is { } problem)
        {
            _errors["domain"] = problem;
            _dns = null;
            return;
        }

        if (!again && _dns is not null && _dns.Name.Ascii == NormalizedDomain)
        {
            return;
        }

        _errors.Remove("domain");
        _dnsChecking = true;
        StateHasChanged();
        using var timeout = new CancellationTokenSource(DnsCheckTimeout);
        try
        {
            _dns = await Domains.CheckAsync(_domain.Trim(), timeout.Token);
        }
        catch (AppRequestException e)
        {
            _errors["domain"] = e.Message;
        }
        catch (Exception e) when (e is OperationCanceledException or FormatException)
        {
            Logger.LogWarning(e, "Checking where {Domain} points failed.", _domain.Trim());
            _dnsProblem = L["DnsCheckFailed"];
        }
        finally
        {
            _dnsChecking = false;
        }
    }

    private async Task InstallAsync()
    {
        _sending = true;
        Operation operation;
        try
        {
            // Read again: the service decides with the person's rights of now, not of when the page opened.
            Session.Refresh();
            var caller = await Session.CallerAsync();
            (operation, _) = await Apps.PrepareInstallAsync(Request(caller));
        }
        catch (AppRequestException e)
        {
            Refused(e);
            _sending = false;
            return;
        }
        catch (AccessDeniedException e)
        {
            _refusal = e.Message;
            _sending = false;
            return;
        }

        try
        {
            await Work.StartAsync((services, ct) => services.GetRequiredService<OperationRunner>().RunAsync(operation.Id, ct));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Recorded in the journal but not started: the page says so and links to it.
            Logger.LogWarning(e, "The install {Operation} of {App} was recorded but did not start.", operation.Id, AppId);
            _notStarted = (operation.Id, e.Message);
            _sending = false;
            return;
        }

        Navigation.NavigateTo($"/operations/{operation.Id}");
    }

    private InstallRequest Request(Caller caller) => new(Manifest.Id, caller)
    {
        OrganizationId = _view!.Organization!.Id,
        Name = _name.Trim(),
        Domain = ShowDomain && _domain.Trim().Length > 0 ? _domain.Trim() : null,
        Answers = Questions.ToDictionary(q => q.Id, q => _answers[q.Id], StringComparer.Ordinal),
        ConfirmHostStack = _confirmHostStack,
    };

    /// <summary>The service's refusal, next to the field it names; on the summary when it names none.</summary>
    private void Refused(AppRequestException refusal)
    {
        var field = refusal.Field switch
        {
            "domain" or "confirm" => refusal.Field,
            // The name is in use by an app that is busy or interrupted.
            "name" or "instance" => "name",
            var f when f.StartsWith("q.", StringComparison.Ordinal) && _answers.ContainsKey(f[2..]) => f,
            var f when _answers.ContainsKey(f) => $"q.{f}",
            _ => null,
        };
        if (field is null)
        {
            _problem = refusal.Message;
            return;
        }

        _errors[field] = refusal.Message;
        _step = _steps.IndexOf(StepOf(field));
        _focusStep = true;
    }

    private string Shown(Question question)
    {
        var answer = _answers[question.Id];
        if (answer.Length == 0)
        {
            return L["Summary.NoAnswer"];
        }

        return question.Type switch
        {
            // A secret answer is never written back on the page.
            QuestionType.Password => L["Summary.SecretHidden"],
            QuestionType.Boolean => answer == "true" ? L["Yes"] : L["No"],
            QuestionType.Choice => question.Choices?.FirstOrDefault(c => c.Value == answer)?.Label.In(CatalogWords.Language) ?? answer,
            _ => answer,
        };
    }

    private static InputType InputTypeOf(Question question) => question.Type switch
    {
        QuestionType.Password => InputType.Password,
        QuestionType.Email => InputType.Email,
        QuestionType.Url => InputType.Url,
        QuestionType.Number => InputType.Number,
        _ => InputType.Text,
    };

    private static string RecordType(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? "AAAA" : "A";

    [GeneratedRegex(AppInstance.NamePattern, RegexOptions.CultureInvariant)]
    private static partial Regex InstanceNameRegex();
}
