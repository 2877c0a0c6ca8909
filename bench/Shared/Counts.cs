using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Breachline.Bench;

/// <summary>
/// How every bench reads a count (threads, rounds, rows, individuals, megabytes): a value that is not a whole
/// number, or is below 1, is refused by the count's name before the bench starts, rather than failing or
/// measuring nothing part-way through. Each bench project links this file; the benches have no library of their own.
/// </summary>
internal static class Counts
{
    public static Option<int> AtLeastOne(this Option<int> option)
    {
        option.CustomParser = result => Parse(result, option.Name);
        return option;
    }

    public static Argument<int> AtLeastOne(this Argument<int> argument)
    {
        argument.CustomParser = result => Parse(result, argument.Name);
        return argument;
    }

    // The parser's own reading would name the command instead of a positional argument, and takes the
    // machine's culture where every other figure a bench reads or writes is invariant.
    private static int Parse(ArgumentResult result, string name)
    {
        if (result.Tokens is not [var token])
        {
            result.AddError($"{name} takes one whole number");
            return 0;
        }

        if (!int.TryParse(token.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            result.AddError($"{name} must be a whole number, not '{token.Value}'");
        }
        else if (value < 1)
        {
            result.AddError($"{name} must be at least 1, not {value}");
        }

        return value;
    }
}
