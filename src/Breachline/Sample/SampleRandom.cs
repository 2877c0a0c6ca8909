namespace Breachline.Sample;

/// <summary>
/// The generator's only source of chance: a seeded <see cref="Random"/> per concern (so adding rows to one
/// file does not shift every other file), plus a stateless mix for keys that must be recomputable from a
/// number alone (session keys, request ids) without keeping them in memory.
/// </summary>
internal sealed class SampleRandom(int seed, string stream)
{
    private const string Alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string KeyAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/";

    private readonly Random _random = new(Derive(seed, stream));

    public int Next(int max) => _random.Next(max);

    public int Next(int min, int max) => _random.Next(min, max);

    public double NextDouble() => _random.NextDouble();

    public bool Chance(double p) => _random.NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>Picks by weight; weights need not sum to one.</summary>
    public T Pick<T>(IReadOnlyList<(T Item, double Weight)> items)
    {
        var total = 0.0;
        foreach (var (_, w) in items)
        {
            total += w;
        }

        var x = _random.NextDouble() * total;
        foreach (var (item, w) in items)
        {
            x -= w;
            if (x < 0)
            {
                return item;
            }
        }

        return items[^1].Item;
    }

    /// <summary>A count drawn around <paramref name="mean"/> (Poisson for small means, normal beyond).</summary>
    public int Count(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean > 30)
        {
            var u1 = 1.0 - _random.NextDouble();
            var u2 = _random.NextDouble();
            var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            return Math.Max(0, (int)Math.Round(mean + (z * Math.Sqrt(mean))));
        }

        var l = Math.Exp(-mean);
        var k = 0;
        var p = 1.0;
        do
        {
            k++;
            p *= _random.NextDouble();
        }
        while (p > l);
        return k - 1;
    }

    public string Chars(string alphabet, int length)
    {
        return string.Create(length, (this, alphabet), static (span, state) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = state.alphabet[state.Item1._random.Next(state.alphabet.Length)];
            }
        });
    }

    public string Alphanumeric(int length) => Chars(Alnum, length);

    public string Hex(int length, bool upper = false) => Chars(upper ? "0123456789ABCDEF" : "0123456789abcdef", length);

    public string Digits(int length) => Chars("0123456789", length);

    /// <summary>Stable 32-bit seed for a named stream of a seed (FNV-1a over the name, mixed with the seed).</summary>
    public static int Derive(int seed, string stream)
    {
        var h = 2166136261u;
        foreach (var c in stream)
        {
            h = (h ^ c) * 16777619u;
        }

        return (int)(Mix((ulong)(uint)seed << 32 | h) & 0x7fffffff);
    }

    /// <summary>SplitMix64 finaliser: a stateless, well-spread 64-bit mix.</summary>
    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15ul;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ul;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBul;
        return x ^ (x >> 31);
    }

    /// <summary>A key of <paramref name="length"/> characters from base-64 letters, recomputable from (seed, kind, n).</summary>
    public static string Key(int seed, int kind, long n, int length, bool urlSafe = false)
    {
        return string.Create(length, (seed, kind, n, urlSafe), static (span, s) =>
        {
            var origin = ((ulong)(uint)s.seed << 40) ^ ((ulong)(uint)s.kind << 56) ^ (ulong)s.n;
            var state = Mix(origin);
            for (var i = 0; i < span.Length; i++)
            {
                if (i % 10 == 0 && i > 0)
                {
                    state = Mix(origin + (ulong)i);
                }

                var c = KeyAlphabet[(int)(state & 63)];
                span[i] = s.urlSafe ? c switch { '+' => '-', '/' => '_', _ => c } : c;
                state >>= 6;
            }
        });
    }
}
