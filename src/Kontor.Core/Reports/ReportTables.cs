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
