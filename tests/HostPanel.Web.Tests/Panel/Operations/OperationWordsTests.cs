using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using HostPanel.Core.Operations;
using HostPanel.Web.Components.Panel;
using HostPanel.Web.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace HostPanel.Web.Tests.Panel.Operations;

/// <summary>Every kind, state and step an operation can have is said in words, in French and in English.</summary>
public sealed class OperationWordsTests
{
    private static readonly IStringLocalizer<OperationsText> Text = new ServiceCollection().AddLogging().AddHostPanelLocalization()
        .BuildServiceProvider().GetRequiredService<IStringLocalizer<OperationsText>>();

    public static TheoryData<string> Cultures() => ["fr", "en"];

    private static void InCulture(string culture, Action check)
    {
        var previous = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            check();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = previous;
        }
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void Every_kind_and_state_has_its_words(string culture) => InCulture(culture, () =>
    {
        foreach (var kind in Enum.GetValues<OperationKind>())
        {
            Assert.False(Text["Kind." + kind].ResourceNotFound, $"{kind} in {culture}");
        }

        foreach (var state in Enum.GetValues<OperationState>())
        {
            Assert.NotEqual("State." + state, OperationWords.State(Text, state));
        }

        foreach (var state in Enum.GetValues<StepState>())
        {
            Assert.NotEqual("StepState." + state, OperationWords.StepState(Text, state, undo: false));
            Assert.DoesNotContain("StepState.", OperationWords.StepState(Text, state, undo: true), StringComparison.Ordinal);
        }
    });

    [Theory]
    [MemberData(nameof(Cultures))]
    public void Every_kind_of_step_has_plain_words(string culture) => InCulture(culture, () =>
    {
        foreach (var type in typeof(PlanStep).GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => a.DerivedType))
        {
            // Only which words are picked is checked here, so a step without its fields will do.
            var step = (PlanStep)RuntimeHelpers.GetUninitializedObject(type);
            Assert.True(OperationWords.PlainStep(Text, step) is not null, $"{type.Name} has no plain words in {culture}");
        }
    });

    [Fact]
    public void Who_asked_is_said_in_words()
    {
        InCulture("fr", () =>
        {
            Assert.Equal("Planification automatique", OperationWords.Actor(Text, "schedule"));
            Assert.Equal("root (ligne de commande)", OperationWords.Actor(Text, "cli:root"));
            Assert.Equal("alice@velo.example", OperationWords.Actor(Text, "alice@velo.example"));
        });
    }
}
