namespace Kontor.Banking.Matching;

/// <summary>A run of digit groups in a title that may be an invoice number: its key and where it sits (group positions).</summary>
public readonly record struct NumberWindow(string Key, int Run, int Start, int Length);

/// <summary>
/// Invoice numbers reduced to what survives the way payers retype them. The key of a number is its digit groups
/// without leading zeros joined by "/": "FV/2026/02/0016", "fv 2026-02-16", "F-2026_2_16", "FA 2026.02.016" all have
/// the key "2026/2/16". Letters (the series prefix FV, FA, F, KOR…) and the kind of separator are dropped, because
/// payers drop or change them; a number needs at least two digit groups to be recognised, so that an amount or a
/// lone sequence number in a title is not taken for an invoice.
/// </summary>
public static class InvoiceNumbers
{
    private const int MaxGroupDigits = 9;
    private const int MaxSeparatorChars = 3;

    public static string? Key(string? number)
    {
        if (string.IsNullOrEmpty(number)) return null;
        var groups = new List<string>(4);
        var i = 0;
        while (i < number.Length)
        {
            if (!char.IsAsciiDigit(number[i])) { i++; continue; }
            var start = i;
            while (i < number.Length && char.IsAsciiDigit(number[i])) i++;
            groups.Add(StripZeros(number.AsSpan(start, i - start)));
        }
        return groups.Count >= 2 ? string.Join('/', groups) : null;
    }

    public static int GroupCount(string key)
    {
        var count = 1;
        foreach (var c in key) if (c == '/') count++;
        return count;
    }

    /// <summary>
    /// The runs of digit groups in a text: digits separated by at most three of " -_/.,\" (letters end a run, so
    /// "FV/2026/02/16,FV/2026/02/17" is two runs and "2026/02/16, 2026/02/17" one run of six groups).
    /// </summary>
    public static List<List<string>> Runs(string? text)
    {
        var runs = new List<List<string>>();
        if (string.IsNullOrEmpty(text)) return runs;
        List<string>? current = null;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                var digits = text.AsSpan(start, i - start);
                if (digits.Length > MaxGroupDigits) { current = null; continue; }
                current ??= NewRun(runs);
                current.Add(StripZeros(digits));
                // Look past separators: the run goes on only if digits follow within a few separator characters.
                var j = i;
                while (j < text.Length && j - i < MaxSeparatorChars + 1 && IsSeparator(text[j])) j++;
                if (j > i && j - i <= MaxSeparatorChars && j < text.Length && char.IsAsciiDigit(text[j])) { i = j; continue; }
                current = null;
                continue;
            }
            current = null;
            i++;
        }
        return runs;
    }

    /// <summary>Every window of the runs whose group count is one of <paramref name="shapes"/>.</summary>
    public static IEnumerable<NumberWindow> Windows(List<List<string>> runs, IReadOnlyList<int> shapes)
    {
        for (var r = 0; r < runs.Count; r++)
        {
            var run = runs[r];
            foreach (var length in shapes)
                for (var start = 0; start + length <= run.Count; start++)
                    yield return new NumberWindow(string.Join('/', run.GetRange(start, length)), r, start, length);
        }
    }

    /// <summary>
    /// Keys at edit distance 1 from <paramref name="key"/> within one digit group: a digit deleted, replaced or
    /// inserted, or two neighbours swapped. Each variant is normalised again (a deleted leading digit can leave a zero).
    /// </summary>
    public static IEnumerable<string> Variants(string key)
    {
        var groups = key.Split('/');
        var seen = new HashSet<string> { key };
        for (var g = 0; g < groups.Length; g++)
        {
            var original = groups[g];
            foreach (var changed in GroupVariants(original))
            {
                if (changed.Length == 0 || changed.Length > MaxGroupDigits) continue;
                var normal = StripZeros(changed);
                if (normal == original) continue;
                groups[g] = normal;
                var variant = string.Join('/', groups);
                groups[g] = original;
                if (seen.Add(variant)) yield return variant;
            }
        }
    }

    private static IEnumerable<string> GroupVariants(string group)
    {
        var chars = group.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            yield return group.Remove(i, 1);
            for (var d = '0'; d <= '9'; d++)
                if (d != chars[i]) yield return string.Concat(group.AsSpan(0, i), d.ToString(), group.AsSpan(i + 1));
            if (i + 1 < chars.Length && chars[i] != chars[i + 1])
            {
                var swapped = (char[])chars.Clone();
                (swapped[i], swapped[i + 1]) = (swapped[i + 1], swapped[i]);
                yield return new string(swapped);
            }
        }
        for (var i = 0; i <= chars.Length; i++)
            for (var d = '0'; d <= '9'; d++)
                yield return group.Insert(i, d.ToString());
    }

    private static string StripZeros(ReadOnlySpan<char> digits)
    {
        var k = 0;
        while (k < digits.Length - 1 && digits[k] == '0') k++;
        return digits[k..].ToString();
    }

    private static List<string> NewRun(List<List<string>> runs)
    {
        var run = new List<string>(4);
        runs.Add(run);
        return run;
    }

    private static bool IsSeparator(char c) => c is ' ' or '-' or '_' or '/' or '.' or ',' or '\\' or '\u00A0';
}
