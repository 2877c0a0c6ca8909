using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace Breachline.Bench;

/// <summary>
/// How every bench reads a number (threads, rounds, rows, individuals, megabytes, gigabytes): a value that is
/// not a number of its kind, or is below the least that makes sense, is refused by its name before the bench
/// starts, rather than failing or measuring nothing part-way through. Each bench project links this file; the
/// benches have no library of their own.
/// </summary>
internal static class Numbers
{
    public static Option<T> AtLeast<T>(this Option<T> option, T minimum)
        where T : struct, INumber<T>
    {
        option.CustomParser = result => Parse(result, option.Name, minimum);
        return option;
    }

    public static Argument<T> AtLeast<T>(this Argument<T> argument, T minimum)
        where T : struct, INumber<T>
    {
        argument.CustomParser = result => Parse(result, argument.Name, minimum);
        return argument;
    }

    // The parser's own reading names the command instead of a positional argument, and takes the machine's
    // culture (under de-DE it reads --size-gb 0.02 as 2), where every other figure a bench reads or writes is invariant.
    private static T Parse<T>(ArgumentResult result, string name, T minimum)
        where T : struct, INumber<T>
    {
        if (result.Tokens is not [var token])
        {
            result.AddError($"{name} takes one number");
            return minimum;
        }

        if (!T.TryParse(token.Value, CultureInfo.InvariantCulture, out var value))
        {
            result.AddError($"{name} must be {(typeof(T) == typeof(double) ? "a number" : "a whole number")}, not '{token.Value}'");
        }
        else if (value < minimum)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be at least {minimum}, not {value}"));
        }

        return value;
    }
}
