// Equivalence rules of DESIGN.md §4, one row per rule: numbers (commas, units, degrees, percent, scientific, precision),
// fractions, roots, π, powers, implicit multiplication, equations, intervals, sets, tuples, matrices, text, options.
using Rethinker.Rewards.Verification;

namespace Rethinker.Rewards.Tests.Verification;

public class EquivalenceTests
{
    static bool Boxed(string pred, string gold, string? type = null, string[]? choices = null) =>
        AnswerVerifier.Default.Verify(new VerifyInput($"Some reasoning.\n\nThe answer is $\\boxed{{{pred}}}$.", gold, choices, type)).Correct;

    [Theory]
    [InlineData("1,234,567", "1234567", true)]
    [InlineData("1{,}000", "1000", true)]
    [InlineData("1\\,000", "1000", true)]
    [InlineData("12 \\text{ cm}", "12", true)]
    [InlineData("72 \\text{ km/h}", "72", true)]
    [InlineData("45^\\circ", "45", true)]
    [InlineData("45°", "45", true)]
    [InlineData("24.0", "24", true)]
    [InlineData("24.5", "24", false)]
    [InlineData("1.6e-19", "1.6 \\times 10^{-19}", true)]
    [InlineData("6.02\\cdot10^{23}", "6.02 \\times 10^{23}", true)]
    [InlineData("1 \\times 10^{-4}", "0.0001", true)]
    [InlineData("2.41", "2.4", true)]
    [InlineData("2.46", "2.4", false)]
    [InlineData("3.1416", "3.14", true)]
    [InlineData("\\pi", "3.14", true)]
    [InlineData("\\frac{1}{3}", "0.33", true)]
    [InlineData("0.33", "\\frac{1}{3}", false)]
    [InlineData("0.333", "\\frac{1}{3}", true)]
    [InlineData("3.464", "2\\sqrt{3}", true)]
    [InlineData("3.5", "2\\sqrt{3}", false)]
    [InlineData("25\\%", "0.25", true)]
    [InlineData("25\\%", "25", true)]
    [InlineData("0.25", "25", false)]
    [InlineData("12.5\\%", "12.5\\%", true)]
    [InlineData("5!", "120", true)]
    [InlineData("2^3", "8", true)]
    [InlineData("-3", "3", false)]
    public void Numbers(string pred, string gold, bool expected) => Assert.Equal(expected, Boxed(pred, gold));

    [Theory]
    [InlineData("\\frac{2}{4}", "\\frac{1}{2}", true)]
    [InlineData("0.5", "\\frac{1}{2}", true)]
    [InlineData("1/2", "\\frac{1}{2}", true)]
    [InlineData("\\frac12", "\\frac{1}{2}", true)]
    [InlineData("\\dfrac{1}{2}", "1/2", true)]
    [InlineData("3\\frac{1}{2}", "\\frac{7}{2}", true)]
    [InlineData("\\frac{-1}{2}", "-\\frac{1}{2}", true)]
    [InlineData("-\\frac{1}{2}", "\\frac{1}{2}", false)]
    [InlineData("\\sqrt{12}", "2\\sqrt{3}", true)]
    [InlineData("2 \\sqrt 3", "2\\sqrt{3}", true)]
    [InlineData("2√3", "2\\sqrt{3}", true)]
    [InlineData("\\frac{1}{\\sqrt{2}}", "\\frac{\\sqrt{2}}{2}", true)]
    [InlineData("\\frac{\\sqrt3}2", "\\frac{\\sqrt{3}}{2}", true)]
    [InlineData("\\sqrt[3]{8}", "2", true)]
    [InlineData("\\frac{4\\pi}{3}", "\\frac{4}{3}\\pi", true)]
    [InlineData("\\pi/3", "\\frac{\\pi}{3}", true)]
    [InlineData("36\\pi \\text{ cm}^2", "36\\pi", true)]
    [InlineData("9\\pi - 0", "9\\pi", true)]
    [InlineData("2\\pi", "\\pi", false)]
    public void FractionsRootsPi(string pred, string gold, bool expected) => Assert.Equal(expected, Boxed(pred, gold));

    [Theory]
    [InlineData("x+x", "2x", true)]
    [InlineData("0.5x", "\\frac{x}{2}", true)]
    [InlineData("(x-1)(x+3)", "x^2+2x-3", true)]
    [InlineData("(x-1)(x+3)", "x^2-2x-3", false)]
    [InlineData("\\sin(x)", "\\sin x", true)]
    [InlineData("2xy", "2yx", true)]
    [InlineData("y = 1 + 2x", "y=2x+1", true)]
    [InlineData("2x+1", "y=2x+1", true)]
    [InlineData("y=2x-1", "y=2x+1", false)]
    [InlineData("x^2+9y^2=81", "\\frac{x^2}{81}+\\frac{y^2}{9}=1", true)]
    [InlineData("x = 4", "4", true)]
    [InlineData("\\angle ABC = 45^\\circ", "45", true)]
    public void ExpressionsAndEquations(string pred, string gold, bool expected) => Assert.Equal(expected, Boxed(pred, gold));

    [Theory]
    [InlineData("(-1, 3)", "(-1,3)", true)]
    [InlineData("-1 < x < 3", "(-1,3)", true)]
    [InlineData("[-1, 3]", "(-1,3)", false)]
    [InlineData("x < -1 \\text{ or } x > 3", "(-1,3)", false)]
    [InlineData("x \\ge 0", "[0,\\infty)", true)]
    [InlineData("x<2 \\text{ or } x>3", "(-\\infty,2)\\cup(3,\\infty)", true)]
    [InlineData("(-\\infty,2)", "(-\\infty,2]", false)]
    [InlineData("\\left[-4, 0\\right)", "[-4,0)", true)]
    public void Intervals(string pred, string gold, bool expected) => Assert.Equal(expected, Boxed(pred, gold, "interval"));

    [Theory]
    [InlineData("\\left\\{1, 2\\right\\}", "\\{1,2\\}", true)]
    [InlineData("2, 1", "1,2", true)]
    [InlineData("x=2 \\text{ or } x=-3", "2,-3", true)]
    [InlineData("\\varnothing", "\\emptyset", true)]
    [InlineData("\\emptyset", "\\{0\\}", false)]
    [InlineData("\\{1,3\\} \\cup \\{2,4\\}", "\\{1, 2, 3, 4\\}", true)]
    [InlineData("\\{1,2,3\\}", "\\{1,2\\}", false)]
    public void Sets(string pred, string gold, bool expected) => Assert.Equal(expected, Boxed(pred, gold, "set"));

    [Theory]
    [InlineData("(2, 3)", "(2,3)", true)]
    [InlineData("(3, 2)", "(2,3)", false)]
    [InlineData("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", true)]
    [InlineData("\\begin{pmatrix}1&3\\\\2&4\\end{pmatrix}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", false)]
    public void TuplesAndMatrices(string pred, string gold, bool expected) => Assert.Equal(expected, Boxed(pred, gold, "expression"));

    [Theory]
    [InlineData("\\text{Circle}", "circle", true)]
    [InlineData("yes", "Yes", true)]
    [InlineData("Alice", "Bob", false)]
    public void Text(string pred, string gold, bool expected) => Assert.Equal(expected, Boxed(pred, gold, "text"));

    [Theory]
    [InlineData("C", "C", true)]
    [InlineData("(C)", "C", true)]
    [InlineData("\\textbf{(C)}", "C", true)]
    [InlineData("C. 60^\\circ", "C", true)]
    [InlineData("60^\\circ", "C", true)]
    [InlineData("D", "C", false)]
    [InlineData("C", "60°", true)]
    public void MultipleChoice(string pred, string gold, bool expected) =>
        Assert.Equal(expected, Boxed(pred, gold, "multiple_choice", ["30°", "45°", "60°", "90°"]));

    [Fact]
    public void RelativeTolerance_IsConfigurable()
    {
        var strict = new AnswerVerifier(new VerifierOptions { RelativeTolerance = 1e-9 });
        var loose = new AnswerVerifier(new VerifierOptions { RelativeTolerance = 1e-2 });
        var input = new VerifyInput("\\boxed{1005}", "1000");
        Assert.False(strict.Verify(input).Correct);
        Assert.True(loose.Verify(input).Correct);
    }
}
