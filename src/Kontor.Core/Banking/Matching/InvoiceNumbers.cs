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
        Span<char> key = number.Length <= 128 ? stackalloc char[number.Length] : new char[number.Length];
        int length = 0, groups = 0, i = 0;
        while (i < number.Length)
        {
            if (!char.IsAsciiDigit(number[i])) { i++; continue; }
            while (i < number.Length - 1 && number[i] == '0' && char.IsAsciiDigit(number[i + 1])) i++;
            if (groups++ > 0) key[length++] = '/';
            while (i < number.Length && char.IsAsciiDigit(number[i])) key[length++] = number[i++];
        }
        return groups >= 2 ? new string(key[..length]) : null;
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
    /// Calls <paramref name="visit"/> with every key at edit distance 1 from <paramref name="key"/> within one digit
    /// group: a digit deleted, replaced or inserted, or two neighbours swapped; each variant normalised again (a
    /// deleted leading digit can leave a zero). Variants are written into one buffer, so trying the ~250 variants of a
    /// number allocates nothing; a variant may be visited twice (two edits can give the same key).
    /// </summary>
    /// <param name="allowedLength">Whether a group at this position may have this many digits (the index knows which lengths exist), or null.</param>
    public static void VisitVariants(string key, VariantVisitor visit, Func<int, int, bool>? allowedLength = null)
    {
        var position = -1;
        Span<char> buffer = stackalloc char[key.Length + 2];
        Span<char> group = stackalloc char[MaxGroupDigits + 1];
        var start = 0;
        while (start < key.Length)
        {
            var end = key.IndexOf('/', start);
            if (end < 0) end = key.Length;
            var original = key.AsSpan(start, end - start);
            position++;
            var shorter = original.Length > 1 && (allowedLength?.Invoke(position, original.Length - 1) ?? true);
            var longer = original.Length < MaxGroupDigits && (allowedLength?.Invoke(position, original.Length + 1) ?? true);
            var prefix = key.AsSpan(0, start);
            var suffix = key.AsSpan(end);
            for (var i = 0; i < original.Length; i++)
            {
                if (shorter)
                {
                    original[..i].CopyTo(group);
                    original[(i + 1)..].CopyTo(group[i..]);
                    Emit(prefix, group[..(original.Length - 1)], suffix, original, buffer, visit);
                }
                original.CopyTo(group);
                for (var d = '0'; d <= '9'; d++)
                {
                    if (d == original[i]) continue;
                    group[i] = d;
                    Emit(prefix, group[..original.Length], suffix, original, buffer, visit);
                }
                group[i] = original[i];
                if (i + 1 < original.Length && original[i] != original[i + 1])
                {
                    (group[i], group[i + 1]) = (group[i + 1], group[i]);
                    Emit(prefix, group[..original.Length], suffix, original, buffer, visit);
                }
            }
            if (longer)
                for (var i = 0; i <= original.Length; i++)
                {
                    original[..i].CopyTo(group);
                    original[i..].CopyTo(group[(i + 1)..]);
                    for (var d = '0'; d <= '9'; d++)
                    {
                        group[i] = d;
                        Emit(prefix, group[..(original.Length + 1)], suffix, original, buffer, visit);
                    }
                }
            start = end + 1;
        }
    }

    public delegate void VariantVisitor(ReadOnlySpan<char> variant);

    private static void Emit(ReadOnlySpan<char> prefix, ReadOnlySpan<char> group, ReadOnlySpan<char> suffix, ReadOnlySpan<char> original, Span<char> buffer, VariantVisitor visit)
    {
        var k = 0;
        while (k < group.Length - 1 && group[k] == '0') k++;
        var normal = group[k..];
        if (normal.SequenceEqual(original)) return;
        prefix.CopyTo(buffer);
        normal.CopyTo(buffer[prefix.Length..]);
        suffix.CopyTo(buffer[(prefix.Length + normal.Length)..]);
        visit(buffer[..(prefix.Length + normal.Length + suffix.Length)]);
    }

    /// <summary>The variants of <see cref="VisitVariants"/> as strings, without repeats (for tests and small inputs).</summary>
    public static IReadOnlyCollection<string> Variants(string key)
    {
        var variants = new HashSet<string>();
        VisitVariants(key, v => variants.Add(v.ToString()));
        variants.Remove(key);
        return variants;
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
