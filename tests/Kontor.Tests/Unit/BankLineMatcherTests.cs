using Kontor.Banking;
using Kontor.Banking.Matching;

namespace Kontor.Tests.Unit;

/// <summary>
/// The matcher over a small hand-made book. Expectations are written out by hand from the rules in docs/banking.md
/// ("Matching"): 0.99 for numbers that add up, −0.03 per number read with a typo, 0.95 for a known payer's only
/// open item of that amount, suggestions below 0.95 otherwise.
/// </summary>
public sealed class BankLineMatcherTests
{
    // Valid NIPs (check digit computed by hand: Σ weights·digits mod 11).
    private const string AlfaNip = "5261040828";   // 5·6+2·5+6·7+1·2+0·3+4·4+0·5+8·6+2·7 = 162, 162 mod 11 = 8
    private const string BetaNip = "7740001454";   // 169 mod 11 = 4
    private const string OwnNip = "5840212304";    // 136 mod 11 = 4
    private const string AlfaIban = "PL61109010140000071219812874";

    private static readonly Guid Alfa = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid Beta = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid Cezar = Guid.Parse("00000000-0000-0000-0000-00000000000c");

    private static readonly Dictionary<string, Guid> Invoices = new()
    {
        ["A1"] = Guid.Parse("10000000-0000-0000-0000-0000000000a1"),
        ["A2"] = Guid.Parse("10000000-0000-0000-0000-0000000000a2"),
        ["A3"] = Guid.Parse("10000000-0000-0000-0000-0000000000a3"),
        ["B1"] = Guid.Parse("10000000-0000-0000-0000-0000000000b1"),
        ["B2"] = Guid.Parse("10000000-0000-0000-0000-0000000000b2"),
        ["C1"] = Guid.Parse("10000000-0000-0000-0000-0000000000c1"),
        ["C2"] = Guid.Parse("10000000-0000-0000-0000-0000000000c2"),
    };

    private static MatchingIndex Book() => new(
        [
            Item("A1", Alfa, "FV/2026/02/0016", "PLN", 1230.00m),
            Item("A2", Alfa, "FV/2026/02/0017", "PLN", 460.50m),
            Item("A3", Alfa, "FV/2026/03/0001", "PLN", 99.00m),
            Item("B1", Beta, "FV/2026/02/0018", "PLN", 1230.00m),   // same amount as A1
            Item("B2", Beta, "FV/2026/02/0020", "EUR", 500.00m),
            Item("C1", Cezar, "FV/2026/02/0021", "PLN", 777.77m),
            Item("C2", Cezar, "FV/2026/02/0061", "PLN", 2000.00m),  // 61 is 16 with two digits swapped
        ],
        [
            new MatchableParty(Alfa, "Alfa", AlfaNip, [AlfaIban]),
            new MatchableParty(Beta, "Beta", BetaNip, []),
            new MatchableParty(Cezar, "Cezar", null, []),
        ],
        OwnNip);

    private static MatchableOpenItem Item(string key, Guid party, string number, string currency, decimal amount) =>
        new(Guid.NewGuid(), Invoices[key], party, number, currency, amount, new DateOnly(2026, 3, 1), new DateOnly(2026, 2, 15));

    public sealed record Case(string Name, decimal Amount, string Currency, string? Title, string? Nip = null, string? Account = null, string? SplitInvoice = null,
        BankLineDirection Direction = BankLineDirection.Credit)
    {
        public override string ToString() => Name;
    }

    /// <summary>Expected best suggestion: party, invoices with amounts, credit left, confidence, reasons that must be there, posted automatically?</summary>
    public sealed record Expected(Guid? Party, (string Invoice, decimal Amount)[] Allocations, decimal Unallocated, decimal Confidence, string[] Reasons, bool Automatic);

    public static TheoryData<Case, Expected> Cases => new()
    {
        { new("exact number, other case and separators", 1230.00m, "PLN", "Zaplata za fv 2026-02-16"),
            new(Alfa, [("A1", 1230.00m)], 0, 0.99m, [MatchReasons.InvoiceNumber, MatchReasons.AmountsAddUp], true) },
        { new("number with a typo (digit added)", 460.50m, "PLN", "FV/2026/02/0171"),
            new(Alfa, [("A2", 460.50m)], 0, 0.96m, [MatchReasons.InvoiceNumberTypo, MatchReasons.AmountsAddUp], true) },
        { new("typo that is another open number (61 for 16)", 1230.00m, "PLN", "F-2026/02/61"),
            new(Alfa, [("A1", 1230.00m)], 0, 0.96m, [MatchReasons.InvoiceNumberTypo], true) },
        { new("two invoices in one title", 1690.50m, "PLN", "FV/2026/02/16, FV/2026/02/0017 dziekujemy"),
            new(Alfa, [("A1", 1230.00m), ("A2", 460.50m)], 0, 0.99m, [MatchReasons.SeveralInvoices, MatchReasons.AmountsAddUp], true) },
        { new("two invoices, numbers run together", 1690.50m, "PLN", "faktury 2026/02/16 2026/02/17"),
            new(Alfa, [("A1", 1230.00m), ("A2", 460.50m)], 0, 0.99m, [MatchReasons.SeveralInvoices], true) },
        { new("amount only, unknown payer: weak", 777.77m, "PLN", "przelew"),
            new(Cezar, [("C1", 777.77m)], 0, 0.40m, [MatchReasons.AmountEqual], false) },
        { new("amount only, two items with it: ambiguous", 1230.00m, "PLN", "przelew"),
            new(Alfa, [("A1", 1230.00m)], 0, 0.25m, [MatchReasons.AmountEqual, MatchReasons.Ambiguous], false) },
        { new("NIP in the title + the payer's only item of that amount", 99.00m, "PLN", "Zaplata NIP 526-104-08-28"),
            new(Alfa, [("A3", 99.00m)], 0, 0.95m, [MatchReasons.NipInTitle, MatchReasons.AmountEqual], true) },
        { new("known IBAN (NRB without PL) + amount", 460.50m, "PLN", "faktura luty", Account: "61 1090 1014 0000 0712 1981 2874"),
            new(Alfa, [("A2", 460.50m)], 0, 0.95m, [MatchReasons.IbanKnown, MatchReasons.AmountEqual], true) },
        { new("split payment: INV field, our own NIP as IDC is not the payer", 1230.00m, "PLN", "/VAT/230,00/IDC/5840212304/INV/FV/2026/02/0018/TXT/zaplata",
                SplitInvoice: "FV/2026/02/0018"),
            new(Beta, [("B1", 1230.00m)], 0, 0.99m, [MatchReasons.SplitPayment, MatchReasons.AmountsAddUp], true) },
        { new("unknown payer, nothing fits", 12.34m, "PLN", "zwrot kaucji", Account: "PL27114020040000300201355387"),
            new(null, [], 0, 0, [], false) },
        { new("overpayment: the rest stays as credit", 800.00m, "PLN", "FV/2026/02/0021"),
            new(Cezar, [("C1", 777.77m)], 22.23m, 0.70m, [MatchReasons.InvoiceNumber, MatchReasons.Overpayment], false) },
        { new("partial payment by the known payer", 200.00m, "PLN", "FV/2026/02/0017 czesc", Nip: AlfaNip),
            new(Alfa, [("A2", 200.00m)], 0, 0.80m, [MatchReasons.PartialPayment, MatchReasons.NipOfPayer], false) },
        { new("wrong currency: the EUR invoice is not paid by PLN", 500.00m, "PLN", "FV/2026/02/0020"),
            new(null, [], 0, 0, [], false) },
        { new("payer differs from the invoice's party", 1230.00m, "PLN", "FV/2026/02/0016", Nip: BetaNip),
            new(Beta, [("B1", 1230.00m)], 0, 0.85m, [MatchReasons.NipOfPayer, MatchReasons.AmountEqual], false) },
        { new("money out is not matched", 1230.00m, "PLN", "FV/2026/02/0016", Direction: BankLineDirection.Debit),
            new(null, [], 0, 0, [], false) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Best_suggestion_and_automatic_decision(Case c, Expected expected)
    {
        var outcome = BankLineMatcher.Match(new MatchableLine(c.Amount, c.Currency, c.Direction, false, c.Title, null, c.Account, c.Nip, c.SplitInvoice), Book());

        Assert.Equal(expected.Automatic, outcome.IsExact);
        if (expected.Party is null)
        {
            Assert.Null(outcome.Best);
            return;
        }
        var best = outcome.Best ?? throw new Xunit.Sdk.XunitException("no suggestion");
        Assert.Equal(expected.Party, best.PartyId);
        Assert.Equal(expected.Allocations.Select(a => (Invoices[a.Invoice], a.Amount)).OrderBy(a => a.Item1),
            best.Allocations.Select(a => (a.InvoiceId, a.Amount)).OrderBy(a => a.Item1));
        Assert.Equal(expected.Unallocated, best.Unallocated);
        Assert.Equal(expected.Confidence, best.Confidence);
        foreach (var reason in expected.Reasons) Assert.Contains(reason, best.Reasons);
    }

    [Fact]
    public void Payer_differs_keeps_the_title_invoice_as_a_lower_suggestion()
    {
        var outcome = BankLineMatcher.Match(new MatchableLine(1230.00m, "PLN", BankLineDirection.Credit, false, "FV/2026/02/0016", null, null, BetaNip, null), Book());
        var titleInvoice = Assert.Single(outcome.Suggestions, s => s.PartyId == Alfa);
        Assert.Equal(0.70m, titleInvoice.Confidence);
        Assert.Contains(MatchReasons.PayerDiffers, titleInvoice.Reasons);
    }

    [Theory]
    [InlineData("FV/2026/02/0016", "2026/2/16")]
    [InlineData("fv 2026 02 16", "2026/2/16")]
    [InlineData("FA-2026_02.016", "2026/2/16")]
    [InlineData("F/0001/2026", "1/2026")]
    [InlineData("16", null)]
    public void Invoice_number_keys(string number, string? key) => Assert.Equal(key, InvoiceNumbers.Key(number));

    [Fact]
    public void Typo_variants_cover_deletion_substitution_insertion_and_swap()
    {
        var variants = InvoiceNumbers.Variants("2026/2/16").ToHashSet();
        Assert.Contains("2026/2/1", variants);     // deleted
        Assert.Contains("2026/2/18", variants);    // replaced
        Assert.Contains("2026/2/160", variants);   // inserted
        Assert.Contains("2026/2/61", variants);    // swapped
        Assert.Contains("2026/12/16", variants);   // inserted in the month
        Assert.DoesNotContain("2026/2/16", variants);
        Assert.DoesNotContain("2026/2/71", variants); // two edits
    }

    [Fact]
    public void A_run_of_the_same_invoice_settled_earlier_is_not_offered_again()
    {
        var book = Book();
        var a2 = book.OfParty(Alfa).Single(i => i.InvoiceId == Invoices["A2"]);
        a2.OpenAmount = 0;
        var outcome = BankLineMatcher.Match(new MatchableLine(460.50m, "PLN", BankLineDirection.Credit, false, "FV/2026/02/0017", null, null, null, null), book);
        Assert.False(outcome.IsExact);
        Assert.DoesNotContain(outcome.Suggestions, s => s.Allocations.Any(a => a.InvoiceId == Invoices["A2"]));
    }

    [Fact]
    public void Money_out_is_matched_against_a_payables_index_by_the_suppliers_own_number_and_money_in_is_not()
    {
        // The supplier's numbering, not ours: "FS 1234/03/2026" has the key 1234/3/2026; 2460.00 = its open gross.
        var payables = new MatchingIndex(
            [new MatchableOpenItem(Guid.NewGuid(), Invoices["A1"], Alfa, "FS 1234/03/2026", "PLN", 2460.00m, new DateOnly(2026, 3, 31), new DateOnly(2026, 3, 2))],
            [new MatchableParty(Alfa, "Alfa", AlfaNip, [AlfaIban])], OwnNip, BankLineDirection.Debit);
        var paid = BankLineMatcher.Match(new MatchableLine(2460.00m, "PLN", BankLineDirection.Debit, false, "zaplata fs-1234-03-2026", "ALFA", null, AlfaNip, null), payables);
        Assert.True(paid.IsExact);
        Assert.Equal((Alfa, Invoices["A1"], 2460.00m, 0.99m), (paid.Best!.PartyId, paid.Best.Allocations.Single().InvoiceId, paid.Best.Allocations.Single().Amount, paid.Best.Confidence));
        Assert.Contains(MatchReasons.NipOfPayer, paid.Best.Reasons);
        Assert.Same(MatchOutcome.None, BankLineMatcher.Match(new MatchableLine(2460.00m, "PLN", BankLineDirection.Credit, false, "FS 1234/03/2026", null, null, null, null), payables));
    }
}
