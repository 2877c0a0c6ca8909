using Breachline.Posture.Secrets;

namespace Breachline.Tests.Posture;

/// <summary>
/// The secret scanner's prefilter (a four-character rolling filter) must let through every place where a keyword
/// starts: a keyword it misses is a secret never looked at. Checked against a plain search on random texts.
/// </summary>
public sealed class KeywordFilterTests
{
    private static readonly SecretScanner Scanner = SecretScanner.BuiltIn;

    [Fact]
    public void Every_keyword_is_found_at_the_start_in_the_middle_and_at_the_very_end_in_any_case()
    {
        foreach (var keyword in Scanner.SearchLiterals)
        {
            var upper = keyword.ToUpperInvariant();
            string[] texts = [keyword, "x" + keyword, "é" + upper + " tail", "line\n" + upper, "😀" + keyword];
            foreach (var text in texts)
            {
                var at = text.IndexOf(keyword, StringComparison.OrdinalIgnoreCase);
                Assert.Contains(Scanner.KeywordStarts(text), h => h.Start == at && string.Equals(h.Keyword, keyword, StringComparison.OrdinalIgnoreCase));
            }
        }
    }

    [Fact]
    public void The_filter_finds_exactly_the_keyword_starts_a_plain_search_finds_on_random_text()
    {
        var random = new Random(20261205);
        var literals = Scanner.SearchLiterals;
        const string Noise = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.:/=\"'~$\n\té€\u007f";
        for (var round = 0; round < 300; round++)
        {
            var text = new System.Text.StringBuilder();
            while (text.Length < 400)
            {
                if (random.Next(4) == 0)
                {
                    var keyword = literals[random.Next(literals.Count)];
                    text.Append(random.Next(2) == 0 ? keyword : keyword.ToUpperInvariant());
                }
                else
                {
                    text.Append(Noise[random.Next(Noise.Length)]);
                }
            }

            var s = text.ToString();
            var expected = Enumerable.Range(0, s.Length)
                .SelectMany(i => literals.Where(k => s.AsSpan(i).StartsWith(k, StringComparison.OrdinalIgnoreCase)).Select(k => i))
                .Distinct()
                .ToList();
            var found = Scanner.KeywordStarts(s).Select(h => h.Start).Distinct().ToList();
            var missed = expected.Except(found).Select(i => s.Substring(i, Math.Min(12, s.Length - i))).ToList();
            Assert.True(missed.Count == 0, string.Join(" | ", missed));
            Assert.Equal(expected, found);
        }
    }
}
