using System.Globalization;
using Kontor.Ledger;

namespace Kontor.Reports;

/// <summary>Each report as a table for CSV/XLSX. Headings are Polish: the exports are for the Polish books and the accountants who keep them.</summary>
public static class ReportTables
{
    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static ReportTable TrialBalance(TrialBalance tb) => new("Zestawienie obrotów i sald",
        [$"Zestawienie obrotów i sald na dzień {D(tb.AsOf)}", $"Waluta: {tb.BaseCurrency}"],
        [new("Konto", ColumnKind.Text), new("Nazwa", ColumnKind.Text), new("Obroty Wn", ColumnKind.Amount), new("Obroty Ma", ColumnKind.Amount),
         new("Saldo Wn", ColumnKind.Amount), new("Saldo Ma", ColumnKind.Amount)],
        [
            .. tb.BookRows.OrderBy(r => r.AccountCode, StringComparer.Ordinal)
                .Select(r => (IReadOnlyList<object?>)[r.AccountCode, r.AccountName, r.Debit, r.Credit, r.BalanceDebit, r.BalanceCredit]),
            ["Razem", null, tb.BookTotal.Debit, tb.BookTotal.Credit, tb.BookRows.Sum(r => r.BalanceDebit), tb.BookRows.Sum(r => r.BalanceCredit)],
        ]);

    public static ReportTable GeneralLedger(GeneralLedger gl) => new($"Konto {gl.AccountCode}",
        [$"Konto {gl.AccountCode} {gl.AccountName}", $"Okres {D(gl.From)} – {D(gl.To)}", $"Waluta księgowa: {gl.BaseCurrency}"],
        [new("Data", ColumnKind.Date), new("Opis", ColumnKind.Text), new("Dokument", ColumnKind.Text), new("Kontrahent", ColumnKind.Text),
         new("Waluta", ColumnKind.Text), new("Wn (waluta)", ColumnKind.Amount), new("Ma (waluta)", ColumnKind.Amount),
         new($"Wn {gl.BaseCurrency}", ColumnKind.Amount), new($"Ma {gl.BaseCurrency}", ColumnKind.Amount), new($"Saldo {gl.BaseCurrency}", ColumnKind.Amount)],
        [
            [gl.From, "Saldo początkowe", null, null, null, null, null, null, null, gl.OpeningBalance],
            .. gl.Lines.Select(l => (IReadOnlyList<object?>)[l.Date, l.Description, l.DocumentNumber, l.PartyName, l.Currency, l.Debit, l.Credit, l.BaseDebit, l.BaseCredit, l.Balance]),
            [gl.To, "Obroty okresu", null, null, null, null, null, gl.TotalDebit, gl.TotalCredit, null],
            [gl.To, "Saldo końcowe", null, null, null, null, null, null, null, gl.ClosingBalance],
        ]);

    public static ReportTable Aging(AgingReport aging) => new("Wiekowanie należności",
        [$"Wiekowanie należności na dzień {D(aging.AsOf)}", "Przedziały: dni po terminie płatności"],
        [new("Waluta", ColumnKind.Text), new("Kontrahent", ColumnKind.Text),
         .. aging.Buckets.Select(b => new ReportColumn(b.Label == "current" ? "Bieżące" : b.Label, ColumnKind.Amount)),
         new("Razem", ColumnKind.Amount), new("Nadpłaty", ColumnKind.Amount)],
        [
            .. aging.Currencies.SelectMany(c => c.Rows.Select(r => (IReadOnlyList<object?>)[c.Currency, r.PartyName, .. r.Buckets.Cast<object?>(), r.Total, r.Credits])
                .Append([c.Currency, "Razem", .. c.Totals.Cast<object?>(), c.Total, c.Credits])),
        ]);

    /// <summary>AP aging: per supplier and currency, a subtotal per currency (the same buckets as the receivables, <see cref="AgingBuckets"/>).</summary>
    public static ReportTable PayablesAging(Purchases.PayablesAgingReport aging) => new("Wiekowanie zobowiązań",
        [$"Wiekowanie zobowiązań na dzień {D(aging.AsOf)}", "Przedziały: dni po terminie płatności"],
        [new("Waluta", ColumnKind.Text), new("Dostawca", ColumnKind.Text),
         .. aging.Buckets.Select(b => new ReportColumn(b.Label == "current" ? "Bieżące" : b.Label, ColumnKind.Amount)),
         new("Razem", ColumnKind.Amount)],
        [
            .. aging.Totals.SelectMany(t => aging.Rows.Where(r => r.Currency == t.Currency)
                .Select(r => (IReadOnlyList<object?>)[r.Currency, r.SupplierName, .. r.Amounts.Cast<object?>(), r.Total])
                .Append([t.Currency, "Razem", .. t.Amounts.Cast<object?>(), t.Total])),
        ]);

    /// <summary>Rejestr sprzedaży VAT of a month: a row per document, net and VAT per Polish rate in PLN, totals at the end.</summary>
    public static ReportTable SalesRegister(Vat.SalesRegister register)
    {
        string[] rates = ["23", "8", "5", "0", "zw", "np", "oo"];
        static decimal Sum(IEnumerable<Vat.VatRateAmounts> amounts, string code, bool vat) => amounts.Where(x => x.VatRateCode == code).Sum(x => vat ? x.Vat : x.Net);
        var rateColumns = rates.SelectMany(code => new[] { new ReportColumn($"Netto {code}", ColumnKind.Amount), new ReportColumn($"VAT {code}", ColumnKind.Amount) });
        return new("Rejestr sprzedaży VAT",
            [$"Rejestr sprzedaży VAT za {register.Period}", "Kwoty w PLN"],
            [new("Lp", ColumnKind.Integer), new("Numer", ColumnKind.Text), new("Rodzaj", ColumnKind.Text), new("Korygowana", ColumnKind.Text),
             new("Data wystawienia", ColumnKind.Date), new("Data sprzedaży", ColumnKind.Date), new("Nabywca", ColumnKind.Text), new("NIP", ColumnKind.Text),
             new("Kraj", ColumnKind.Text), new("Waluta", ColumnKind.Text), .. rateColumns, new("Netto", ColumnKind.Amount), new("VAT", ColumnKind.Amount)],
            [
                .. register.Rows.Select(r => (IReadOnlyList<object?>)[r.Lp, r.Number, r.Kind.ToString(), r.CorrectedNumber, r.IssueDate, r.SaleDate, r.BuyerName,
                    r.BuyerTaxId, r.BuyerCountryCode, r.Currency, .. rates.SelectMany(code => new object?[] { Sum(r.Rates, code, false), Sum(r.Rates, code, true) }), r.Net, r.Vat]),
                [null, "Razem", null, null, null, null, null, null, null, null,
                    .. rates.SelectMany(code => new object?[] { Sum(register.Totals, code, false), Sum(register.Totals, code, true) }), register.Net, register.Vat],
            ]);
    }

    /// <summary>Rejestr zakupów VAT of a month (by receipt date): net and deductible VAT on fixed assets and on other purchases, in PLN.</summary>
    public static ReportTable PurchaseRegister(Vat.PurchaseRegister register) => new("Rejestr zakupów VAT",
        [$"Rejestr zakupów VAT za {register.Period}", "Kwoty w PLN; VAT podlegający odliczeniu"],
        [new("Lp", ColumnKind.Integer), new("Numer", ColumnKind.Text), new("Rodzaj", ColumnKind.Text), new("Korygowana", ColumnKind.Text),
         new("Data wystawienia", ColumnKind.Date), new("Data wpływu", ColumnKind.Date), new("Dostawca", ColumnKind.Text), new("NIP", ColumnKind.Text),
         new("Kraj", ColumnKind.Text), new("Waluta", ColumnKind.Text), new("Netto środki trwałe", ColumnKind.Amount), new("VAT środki trwałe", ColumnKind.Amount),
         new("Netto pozostałe", ColumnKind.Amount), new("VAT pozostałe", ColumnKind.Amount), new("VAT do odliczenia", ColumnKind.Amount)],
        [
            .. register.Rows.Select(r => (IReadOnlyList<object?>)[r.Lp, r.Number, r.Kind.ToString(), r.CorrectedNumber, r.IssueDate, r.ReceiptDate, r.SupplierName,
                r.SupplierTaxId, r.SupplierCountryCode, r.Currency, r.FixedAssetNet, r.FixedAssetVat, r.OtherNet, r.OtherVat, r.DeductibleVat]),
            [null, "Razem", null, null, null, null, null, null, null, null, register.FixedAssetNet, register.FixedAssetVat, register.OtherNet, register.OtherVat,
                register.DeductibleVat],
        ]);

    public static ReportTable ProfitAndLoss(ProfitAndLoss pl) => Statement("Rachunek zysków i strat",
        [$"Rachunek zysków i strat (wariant porównawczy, uproszczony) za okres {D(pl.From)} – {D(pl.To)}", $"Waluta: {pl.BaseCurrency}"], pl.Lines);

    public static ReportTable BalanceSheet(BalanceSheet bs) => Statement("Bilans",
        [$"Bilans (uproszczony) na dzień {D(bs.AsOf)}", $"Waluta: {bs.BaseCurrency}"], bs.Lines);

    private static ReportTable Statement(string name, IReadOnlyList<string> heading, IReadOnlyList<StatementLine> lines) => new(name, heading,
        [new("Pozycja", ColumnKind.Text), new("Nazwa", ColumnKind.Text), new("Konto", ColumnKind.Text), new("Kwota", ColumnKind.Amount)],
        [
            .. lines.SelectMany(l => l.Accounts.Select(a => (IReadOnlyList<object?>)[l.Key, "    " + a.Name, a.Code, a.Amount])
                .Prepend([l.Key, new string(' ', 2 * l.Level) + l.Label, null, l.Amount])),
        ]);
}
