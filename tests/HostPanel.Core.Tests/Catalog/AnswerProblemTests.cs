using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Catalog.Validation;

namespace HostPanel.Core.Tests.Catalog;

/// <summary>What is wrong with an answer, for forms to say in their own words.</summary>
public class AnswerProblemTests
{
    private static Question Text(int? min = null, int? max = null, string? pattern = null, bool required = true) => new()
    {
        Id = "q",
        Type = QuestionType.Text,
        Label = new() { ["fr"] = "Q", ["en"] = "Q" },
        Required = required,
        MinLength = min,
        MaxLength = max,
        Pattern = pattern,
    };

    [Fact]
    public void A_missing_required_answer_is_required_and_an_optional_one_is_fine()
    {
        Assert.Equal(new AnswerProblem(AnswerProblemKind.Required), QuestionRules.Find(Text(), ""));
        Assert.Null(QuestionRules.Find(Text(required: false), ""));
    }

    [Fact]
    public void Lengths_name_their_limit()
    {
        Assert.Equal(new AnswerProblem(AnswerProblemKind.TooShort, 10), QuestionRules.Find(Text(min: 10), "court"));
        Assert.Equal(new AnswerProblem(AnswerProblemKind.TooLong, 3), QuestionRules.Find(Text(max: 3), "trop long"));
    }

    [Fact]
    public void A_pattern_mismatch_is_found_with_the_question_s_own_pattern()
    {
        var question = Text(pattern: "^[A-Z]{2}$");

        Assert.Equal(AnswerProblemKind.PatternMismatch, QuestionRules.Find(question, "fr", QuestionRules.Pattern(question))?.Kind);
        Assert.Null(QuestionRules.Find(question, "FR", QuestionRules.Pattern(question)));
        Assert.Null(QuestionRules.Pattern(Text()));
    }

    [Fact]
    public void Types_are_checked()
    {
        Assert.Equal(AnswerProblemKind.NotAnEmail, QuestionRules.Find(new Question { Id = "e", Type = QuestionType.Email }, "marie")?.Kind);
        Assert.Equal(AnswerProblemKind.NotAUrl, QuestionRules.Find(new Question { Id = "u", Type = QuestionType.Url }, "ftp://x")?.Kind);
        Assert.Equal(new AnswerProblem(AnswerProblemKind.AboveMaximum, 5), QuestionRules.Find(new Question { Id = "n", Type = QuestionType.Number, Max = 5 }, "6"));
    }

    [Fact]
    public void The_English_check_keeps_its_words_for_manifests_and_logs()
    {
        Assert.Equal("at least 10 characters are needed.", QuestionRules.Check(Text(min: 10), "court"));
        Assert.Equal("the answer does not match the expected form.", QuestionRules.Check(Text(pattern: "^a$"), "b", QuestionRules.Pattern(Text(pattern: "^a$"))));
        Assert.Null(QuestionRules.Check(Text(), "fine"));
    }
}
