using Kontor.Common;

namespace Kontor.Documents;

/// <summary>
/// The amount due in words ("słownie") as Polish, English and Russian invoices write it:
/// PLN in Polish and RUB in Russian with the grammatical forms of the currency
/// ("trzysta złotych 00/100", "двадцать один рубль 05 копеек"); every other pair as the whole
/// number in words, the ISO code and the minor units as a fraction ("three hundred PLN 00/100").
/// </summary>
public static class AmountInWords
{
    public static string Format(decimal amount, string currency, DocumentLanguage language)
    {
        var minorDigits = Currency.TryParse(currency, out var known) ? known.MinorUnits : 2;
        var rounded = Math.Round(Math.Abs(amount), minorDigits, MidpointRounding.AwayFromZero);
        var whole = decimal.Truncate(rounded);
        var minor = (long)((rounded - whole) * Pow10(minorDigits));
        var sign = amount < 0 && rounded != 0 ? Minus(language) + " " : "";
        var code = currency.ToUpperInvariant();

        return (language, code) switch
        {
            (DocumentLanguage.Pl, "PLN") =>
                $"{sign}{Polish.Words(whole)} {Polish.Form(whole, "złoty", "złote", "złotych")} {minor:D2}/100",
            (DocumentLanguage.Ru, "RUB") =>
                $"{sign}{Russian.Words(whole, feminine: false)} {Russian.Form(whole, "рубль", "рубля", "рублей")} {minor:D2} {Russian.Form(minor, "копейка", "копейки", "копеек")}",
            _ => $"{sign}{Words(whole, language)} {code}{Fraction(minor, minorDigits)}",
        };
    }

    /// <summary>A whole number in words, in the masculine form where the language has genders.</summary>
    public static string Words(decimal whole, DocumentLanguage language) => language switch
    {
        DocumentLanguage.Pl => Polish.Words(whole),
        DocumentLanguage.Ru => Russian.Words(whole, feminine: false),
        _ => English.Words(whole),
    };

    private static string Fraction(long minor, int digits) =>
        digits == 0 ? "" : $" {minor.ToString("D" + digits)}/{Pow10(digits)}";

    private static long Pow10(int digits)
    {
        long result = 1;
        for (var i = 0; i < digits; i++) result *= 10;
        return result;
    }

    private static string Minus(DocumentLanguage language) => language switch
    {
        DocumentLanguage.Pl => "minus",
        DocumentLanguage.Ru => "минус",
        _ => "minus",
    };

    /// <summary>Splits a whole number into groups of three digits, lowest first (1 234 567 → 567, 234, 1).</summary>
    private static List<int> Groups(decimal whole)
    {
        var groups = new List<int>();
        do
        {
            groups.Add((int)(whole % 1000));
            whole = decimal.Truncate(whole / 1000);
        } while (whole > 0);
        return groups;
    }

    private static string Join(IEnumerable<string> parts) => string.Join(" ", parts.Where(p => p.Length > 0));

    private static class Polish
    {
        private static readonly string[] Units = ["", "jeden", "dwa", "trzy", "cztery", "pięć", "sześć", "siedem", "osiem", "dziewięć"];
        private static readonly string[] Teens = ["dziesięć", "jedenaście", "dwanaście", "trzynaście", "czternaście", "piętnaście", "szesnaście", "siedemnaście", "osiemnaście", "dziewiętnaście"];
        private static readonly string[] Tens = ["", "", "dwadzieścia", "trzydzieści", "czterdzieści", "pięćdziesiąt", "sześćdziesiąt", "siedemdziesiąt", "osiemdziesiąt", "dziewięćdziesiąt"];
        private static readonly string[] Hundreds = ["", "sto", "dwieście", "trzysta", "czterysta", "pięćset", "sześćset", "siedemset", "osiemset", "dziewięćset"];
        private static readonly (string One, string Few, string Many)[] Scales =
        [
            ("", "", ""), ("tysiąc", "tysiące", "tysięcy"), ("milion", "miliony", "milionów"),
            ("miliard", "miliardy", "miliardów"), ("bilion", "biliony", "bilionów"), ("biliard", "biliardy", "biliardów"),
        ];

        /// <summary>1 → one; 2–4, 22–24, 102… (not 12–14) → few; everything else (0, 5–21, 25…) → many.</summary>
        public static string Form(decimal n, string one, string few, string many)
        {
            if (n == 1) return one;
            var lastTwo = (int)(n % 100);
            var last = lastTwo % 10;
            return last is >= 2 and <= 4 && lastTwo is < 12 or > 14 ? few : many;
        }

        public static string Words(decimal whole)
        {
            if (whole == 0) return "zero";
            var groups = Groups(whole);
            var parts = new List<string>();
            for (var scale = groups.Count - 1; scale >= 0; scale--)
            {
                var group = groups[scale];
                if (group == 0) continue;
                var (one, few, many) = Scales[scale];
                // "tysiąc", "milion": the count 1 is not spoken before a scale word.
                if (scale > 0 && group == 1) { parts.Add(one); continue; }
                parts.Add(Group(group));
                if (scale > 0) parts.Add(Form(group, one, few, many));
            }
            return Join(parts);
        }

        private static string Group(int n)
        {
            var tensAndUnits = n % 100;
            return Join([
                Hundreds[n / 100],
                tensAndUnits is >= 10 and < 20 ? Teens[tensAndUnits - 10] : Join([Tens[tensAndUnits / 10], Units[tensAndUnits % 10]]),
            ]);
        }
    }

    private static class Russian
    {
        private static readonly string[] UnitsMasculine = ["", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"];
        private static readonly string[] UnitsFeminine = ["", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"];
        private static readonly string[] Teens = ["десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать", "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать"];
        private static readonly string[] Tens = ["", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто"];
        private static readonly string[] Hundreds = ["", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот"];
        private static readonly (string One, string Few, string Many, bool Feminine)[] Scales =
        [
            ("", "", "", false), ("тысяча", "тысячи", "тысяч", true), ("миллион", "миллиона", "миллионов", false),
            ("миллиард", "миллиарда", "миллиардов", false), ("триллион", "триллиона", "триллионов", false), ("квадриллион", "квадриллиона", "квадриллионов", false),
        ];

        /// <summary>…1 (not 11) → one; …2–4 (not 12–14) → few; everything else → many.</summary>
        public static string Form(decimal n, string one, string few, string many)
        {
            var lastTwo = (int)(n % 100);
            var last = lastTwo % 10;
            if (lastTwo is >= 11 and <= 14) return many;
            return last switch { 1 => one, >= 2 and <= 4 => few, _ => many };
        }

        /// <param name="feminine">The noun counted by the lowest group is feminine (одна копейка, две тысячи).</param>
        public static string Words(decimal whole, bool feminine)
        {
            if (whole == 0) return "ноль";
            var groups = Groups(whole);
            var parts = new List<string>();
            for (var scale = groups.Count - 1; scale >= 0; scale--)
            {
                var group = groups[scale];
                if (group == 0) continue;
                var (one, few, many, scaleFeminine) = Scales[scale];
                // Accounting style spells the count out: "одна тысяча", "один миллион".
                parts.Add(Group(group, scale == 0 ? feminine : scaleFeminine));
                if (scale > 0) parts.Add(Form(group, one, few, many));
            }
            return Join(parts);
        }

        private static string Group(int n, bool feminine)
        {
            var tensAndUnits = n % 100;
            var units = feminine ? UnitsFeminine : UnitsMasculine;
            return Join([
                Hundreds[n / 100],
                tensAndUnits is >= 10 and < 20 ? Teens[tensAndUnits - 10] : Join([Tens[tensAndUnits / 10], units[tensAndUnits % 10]]),
            ]);
        }
    }

    private static class English
    {
        private static readonly string[] Small =
        [
            "", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
            "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
        ];
        private static readonly string[] Tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
        private static readonly string[] Scales = ["", "thousand", "million", "billion", "trillion", "quadrillion"];

        public static string Words(decimal whole)
        {
            if (whole == 0) return "zero";
            var groups = Groups(whole);
            var parts = new List<string>();
            for (var scale = groups.Count - 1; scale >= 0; scale--)
            {
                if (groups[scale] == 0) continue;
                parts.Add(Group(groups[scale]));
                parts.Add(Scales[scale]);
            }
            return Join(parts);
        }

        private static string Group(int n)
        {
            var tensAndUnits = n % 100;
            var rest = tensAndUnits < 20
                ? Small[tensAndUnits]
                : Tens[tensAndUnits / 10] + (tensAndUnits % 10 == 0 ? "" : "-" + Small[tensAndUnits % 10]);
            return Join([n >= 100 ? Small[n / 100] + " hundred" : "", rest]);
        }
    }
}
