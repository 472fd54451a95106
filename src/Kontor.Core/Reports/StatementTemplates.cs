using Kontor.Ledger;

namespace Kontor.Reports;

/// <summary>Which part of an account's balance a statement line takes.</summary>
public enum BalancePart
{
    /// <summary>The whole balance, signed for the line: debit − credit on an asset or cost line, credit − debit on a liability, equity or revenue line.</summary>
    Net,
    /// <summary>Only debit balances (per account and party): receivables on the assets side.</summary>
    DebitBalance,
    /// <summary>Only credit balances (per account and party): the same settlement accounts on the liabilities side.</summary>
    CreditBalance,
}

/// <summary>An account-code prefix mapped to a line. The longest matching prefix wins (731 before 73 before 7).</summary>
public sealed record AccountRule(string Prefix, string Line, BalancePart Part = BalancePart.Net);

/// <param name="Key">Stable key (A, B.II, …), used by formulas and exports.</param>
/// <param name="Formula">For a subtotal: the keys it adds, a leading '-' subtracts ("A", "-B"). Null for a line filled from accounts.</param>
/// <param name="Credit">True when the line's amount is credit − debit (revenue, equity, liabilities).</param>
public sealed record StatementLineTemplate(string Key, string Label, int Level, bool Credit, IReadOnlyList<string>? Formula = null);

public sealed record StatementTemplate(string Name, IReadOnlyList<StatementLineTemplate> Lines, IReadOnlyList<AccountRule> Rules)
{
    /// <summary>The rules of an account: those with the longest prefix of its code (one Net rule, or a debit/credit pair).</summary>
    public IReadOnlyList<AccountRule> RulesFor(string accountCode)
    {
        var matching = Rules.Where(r => accountCode.StartsWith(r.Prefix, StringComparison.Ordinal)).ToList();
        if (matching.Count == 0) return [];
        var longest = matching.Max(r => r.Prefix.Length);
        return matching.Where(r => r.Prefix.Length == longest).ToList();
    }
}

/// <summary>
/// The first templates: simplified Polish statements (załącznik nr 1 do ustawy o rachunkowości) over the
/// Polish chart of accounts of <see cref="Account.PolishTemplate"/>. A company with another chart maps its codes by
/// changing the rules; an account no rule reaches falls to the "other" line of its <see cref="AccountType"/>, and the
/// report lists it, so nothing silently drops out of a total (docs/reports.md).
/// </summary>
public static class StatementTemplates
{
    /// <summary>Rachunek zysków i strat, wariant porównawczy (simplified).</summary>
    public static StatementTemplate ProfitAndLoss { get; } = new("rachunek-zyskow-i-strat",
    [
        new("A", "A. Przychody netto ze sprzedaży i zrównane z nimi", 0, Credit: true),
        new("B", "B. Koszty działalności operacyjnej", 0, Credit: false),
        new("C", "C. Zysk (strata) ze sprzedaży (A − B)", 0, Credit: true, Formula: ["A", "-B"]),
        new("D", "D. Pozostałe przychody operacyjne", 0, Credit: true),
        new("E", "E. Pozostałe koszty operacyjne", 0, Credit: false),
        new("F", "F. Zysk (strata) z działalności operacyjnej (C + D − E)", 0, Credit: true, Formula: ["C", "D", "-E"]),
        new("G", "G. Przychody finansowe", 0, Credit: true),
        new("H", "H. Koszty finansowe", 0, Credit: false),
        new("I", "I. Zysk (strata) brutto (F + G − H)", 0, Credit: true, Formula: ["F", "G", "-H"]),
        new("J", "J. Podatek dochodowy", 0, Credit: false),
        new("L", "L. Zysk (strata) netto (I − J)", 0, Credit: true, Formula: ["I", "-J"]),
    ],
    [
        new("70", "A"), new("71", "A"), new("72", "A"), new("73", "A"), new("74", "A"),
        new("731", "B"), new("4", "B"), new("5", "B"),
        new("76", "D"), new("77", "D"),
        new("761", "E"), new("771", "E"),
        new("75", "G"), new("751", "H"),
        new("87", "J"),
    ]);

    /// <summary>Bilans (simplified): Aktywa A/B, Pasywa A/B; the current result is the unclosed profit and loss plus account 860.</summary>
    public static StatementTemplate BalanceSheet { get; } = new("bilans",
    [
        new("AA", "A. Aktywa trwałe", 1, Credit: false),
        new("AB", "B. Aktywa obrotowe", 1, Credit: false, Formula: ["AB.I", "AB.II", "AB.III", "AB.IV"]),
        new("AB.I", "I. Zapasy", 2, Credit: false),
        new("AB.II", "II. Należności krótkoterminowe", 2, Credit: false),
        new("AB.III", "III. Inwestycje krótkoterminowe (środki pieniężne)", 2, Credit: false),
        new("AB.IV", "IV. Pozostałe aktywa", 2, Credit: false),
        new("AKTYWA", "Aktywa razem", 0, Credit: false, Formula: ["AA", "AB"]),
        new("PA", "A. Kapitał (fundusz) własny", 1, Credit: true, Formula: ["PA.I", "PA.V", "PA.VI", "PA.X"]),
        new("PA.I", "I. Kapitał (fundusz) podstawowy", 2, Credit: true),
        new("PA.V", "V. Zysk (strata) z lat ubiegłych", 2, Credit: true),
        new("PA.VI", "VI. Zysk (strata) netto", 2, Credit: true),
        new("PA.X", "Pozostały kapitał", 2, Credit: true),
        new("PB", "B. Zobowiązania i rezerwy na zobowiązania", 1, Credit: true),
        new("PASYWA", "Pasywa razem", 0, Credit: true, Formula: ["PA", "PB"]),
    ],
    [
        new("0", "AA"),
        new("1", "AB.III"),
        new("2", "AB.II", BalancePart.DebitBalance), new("2", "PB", BalancePart.CreditBalance),
        new("3", "AB.I"),
        new("80", "PA.I"), new("82", "PA.V"), new("86", "PA.VI"), new("8", "PA.X"),
    ]);

    /// <summary>Where an account no rule covers goes, by its type.</summary>
    internal static string FallbackLine(StatementTemplate template, AccountType type) => (template.Name, type) switch
    {
        ("rachunek-zyskow-i-strat", AccountType.Revenue) => "D",
        ("rachunek-zyskow-i-strat", _) => "E",
        (_, AccountType.Asset) => "AB.IV",
        (_, AccountType.Equity) => "PA.X",
        _ => "PB",
    };
}
