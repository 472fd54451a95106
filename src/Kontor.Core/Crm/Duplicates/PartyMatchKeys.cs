using System.Globalization;
using System.Text;
using Kontor.Common;

namespace Kontor.Crm.Duplicates;

/// <summary>
/// The normalised forms duplicate detection compares (docs/crm.md, "Duplicates, merge and import"). They are stored on
/// <see cref="Party"/> (indexed columns, refreshed on every save by the DbContext) so that a lookup is an index seek and
/// an import of 50,000 rows can pre-load them instead of querying per row.
/// </summary>
public static class PartyMatchKeys
{
    /// <summary>Names at least this similar (Jaro–Winkler over the sorted significant words) in the same city are flagged.</summary>
    /// <remarks>
    /// 0.92 flags a typo or a swapped letter in a name of 8+ letters ("Kowalski"/"Kowalsky" 0.95) and word-order
    /// changes (the words are sorted first), but not a different word added to a short name ("Alfa"/"Alfa Bis" 0.90)
    /// nor two different short names sharing a prefix ("Polmet"/"Polmex" 0.93 — flagged; such pairs are rare and a
    /// warning is cheap), and never anything across cities.
    /// </remarks>
    public const double NameSimilarityThreshold = 0.92;

    // Legal-form words (after lower-casing, transliterating diacritics and replacing punctuation by spaces), longest first.
    private static readonly string[][] LegalForms =
    [
        .. new[]
        {
            "spolka z ograniczona odpowiedzialnoscia", "spolka komandytowo akcyjna", "spolka komandytowa", "spolka akcyjna",
            "spolka jawna", "spolka cywilna", "spolka partnerska", "spolka z o o", "sp z o o", "sp z oo", "spzoo", "sp k a", "s k a",
            "sp k", "spk", "sp j", "spj", "sp p", "s c", "s a", "sa", "z o o",
            "obshchestvo s ogranichennoy otvetstvennostyu",
            "общество с ограниченной ответственностью", "акционерное общество", "публичное акционерное общество",
            "индивидуальный предприниматель", "ооо", "оао", "зао", "пао", "нао", "ао", "ип",
            "gmbh", "ltd", "llc", "inc", "plc", "ag", "bv", "oy", "ab", "srl", "sas",
        }.Select(f => f.Split(' ')).OrderByDescending(f => f.Length),
    ];

    public static void Apply(Party party)
    {
        party.NameKey = Name(party.Name);
        party.CityKey = City(party.Address?.City);
        party.TaxKey = Tax(party.TaxIdKind, party.TaxId);
        party.EmailKey = Email(party.Email);
        party.PhoneKey = Phone(party.Phone);
        var words = NameBlockWords(party.NameKey);
        party.NameWord1 = words.Count > 0 ? words[0] : null;
        party.NameWord2 = words.Count > 1 ? words[1] : null;
    }

    /// <summary>
    /// The words a similar name is looked for by (blocking): the two longest words of letters of a normalised name —
    /// where a name's identity lies; a running number or a street number says nothing about it, and a typo in both of
    /// them rarely stays above <see cref="NameSimilarityThreshold"/> anyway. A name without such a word is its own
    /// block. Empty for an empty name. Used by the duplicate check (stored on the party) and by the import (in memory).
    /// </summary>
    public static IReadOnlyList<string> NameBlockWords(string? nameKey)
    {
        if (string.IsNullOrEmpty(nameKey)) return [];
        var words = nameKey.Split(' ').Where(w => w.Any(char.IsLetter)).OrderByDescending(w => w.Length).ThenBy(w => w, StringComparer.Ordinal).Take(2).ToList();
        return words.Count == 0 ? [nameKey] : words;
    }

    /// <summary>Lower case, diacritics and quotes gone, legal-form words removed, the remaining words sorted: "Acme Sp. z o.o." → "acme".</summary>
    public static string Name(string? name)
    {
        var words = Words(name);
        var kept = new List<string>(words.Count);
        for (var i = 0; i < words.Count;)
        {
            var form = LegalForms.FirstOrDefault(f => Matches(words, i, f));
            if (form is not null) { i += form.Length; continue; }
            kept.Add(words[i]);
            i++;
        }
        // A name that is nothing but a legal form keeps its words, so it still compares to itself.
        if (kept.Count == 0) kept = words;
        kept.Sort(StringComparer.Ordinal);
        return TextLength.Cut(string.Join(' ', kept), 200);
    }

    public static string? City(string? city)
    {
        var words = Words(city);
        return words.Count == 0 ? null : TextLength.Cut(string.Join(' ', words), 100);
    }

    /// <summary>
    /// One key per legal identity, across kinds: a NIP and the PL EU VAT number with the same digits are the same
    /// company ("PL:5260250274"); an INN is "RU:…" so a 10-digit INN never equals a 10-digit NIP.
    /// </summary>
    public static string? Tax(TaxIdKind kind, string? taxId)
    {
        if (string.IsNullOrWhiteSpace(taxId)) return null;
        var compact = new string(taxId.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        if (compact.Length == 0) return null;
        return kind switch
        {
            // "PL5260250274" written as a NIP is the same taxpayer as "526-025-02-74" (shops and imports send both).
            TaxIdKind.Nip => "PL:" + (compact.StartsWith("PL", StringComparison.Ordinal) ? compact[2..] : compact),
            TaxIdKind.EuVat when compact.Length > 2 => compact[..2] + ":" + compact[2..],
            TaxIdKind.Inn => "RU:" + compact,
            TaxIdKind.Pesel => "PESEL:" + compact,
            TaxIdKind.Regon => "REGON:" + compact,
            _ => kind.ToString().ToUpperInvariant() + ":" + compact,
        };
    }

    public static string? Email(string? email) =>
        string.IsNullOrWhiteSpace(email) ? null : TextLength.Cut(email.Trim().ToLowerInvariant(), 254);

    /// <summary>
    /// Digits only, without the country prefix: "+48 601 234 567", "0048601234567" and "601-234-567" are all
    /// "601234567"; "+7 (495) 123-45-67" and "8 495 123 45 67" are "4951234567". Fewer than 7 digits: no key.
    /// </summary>
    public static string? Phone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone)) return null;
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        if (digits.StartsWith("00", StringComparison.Ordinal)) digits = digits[2..];
        if (digits.Length == 11 && digits.StartsWith("48", StringComparison.Ordinal)) digits = digits[2..];
        else if (digits.Length == 11 && (digits[0] == '7' || digits[0] == '8')) digits = digits[1..];
        return digits.Length < 7 ? null : TextLength.Cut(digits, 20);
    }

    /// <summary>Jaro–Winkler similarity (prefix scale 0.1, up to 4 characters), 1 for equal strings.</summary>
    public static double JaroWinkler(string a, string b)
    {
        if (a == b) return 1;
        if (a.Length == 0 || b.Length == 0) return 0;
        var window = Math.Max(0, Math.Max(a.Length, b.Length) / 2 - 1);
        Span<bool> aMatched = a.Length <= 256 ? stackalloc bool[a.Length] : new bool[a.Length];
        Span<bool> bMatched = b.Length <= 256 ? stackalloc bool[b.Length] : new bool[b.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var from = Math.Max(0, i - window);
            var to = Math.Min(b.Length - 1, i + window);
            for (var j = from; j <= to; j++)
            {
                if (bMatched[j] || a[i] != b[j]) continue;
                aMatched[i] = bMatched[j] = true;
                matches++;
                break;
            }
        }
        if (matches == 0) return 0;
        var transpositions = 0;
        for (int i = 0, k = 0; i < a.Length; i++)
        {
            if (!aMatched[i]) continue;
            while (!bMatched[k]) k++;
            if (a[i] != b[k]) transpositions++;
            k++;
        }
        double m = matches;
        var jaro = (m / a.Length + m / b.Length + (m - transpositions / 2.0) / m) / 3;
        var prefix = 0;
        while (prefix < Math.Min(4, Math.Min(a.Length, b.Length)) && a[prefix] == b[prefix]) prefix++;
        return jaro + prefix * 0.1 * (1 - jaro);
    }

    public static bool SimilarNames(string? a, string? b) =>
        !string.IsNullOrEmpty(a) && !string.IsNullOrEmpty(b) && JaroWinkler(a, b) >= NameSimilarityThreshold;

    private static bool Matches(List<string> words, int at, string[] form)
    {
        if (at + form.Length > words.Count) return false;
        for (var k = 0; k < form.Length; k++)
            if (words[at + k] != form[k]) return false;
        return true;
    }

    /// <summary>Lower-cased words with Polish/Russian diacritics folded (ł→l, ё→е), quotes and punctuation as separators.</summary>
    private static List<string> Words(string? text)
    {
        var words = new List<string>();
        if (string.IsNullOrWhiteSpace(text)) return words;
        var current = new StringBuilder();
        foreach (var c in TextFolding.Fold(text))
        {
            if (char.IsLetterOrDigit(c)) current.Append(c);
            else if (current.Length > 0) { words.Add(current.ToString()); current.Clear(); }
        }
        if (current.Length > 0) words.Add(current.ToString());
        return words;
    }
}
