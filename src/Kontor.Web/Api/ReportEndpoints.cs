using System.Globalization;
using Kontor.Company;
using Kontor.Ledger;
using Kontor.Reports;
using Kontor.Security;

namespace Kontor.Web.Api;

public sealed record GeneralLedgerLineDto(DateOnly Date, Guid EntryId, string Description, string SourceType, string? DocumentNumber, Guid? PartyId, string? PartyName,
    MoneyDto Debit, MoneyDto Credit, string BaseDebit, string BaseCredit, string Balance);

/// <summary>Book-currency amounts are decimal strings in <c>baseCurrency</c>; document-currency amounts are money.</summary>
public sealed record GeneralLedgerDto(string AccountCode, string AccountName, DateOnly From, DateOnly To, string BaseCurrency, string OpeningBalance,
    IReadOnlyList<GeneralLedgerLineDto> Lines, string TotalDebit, string TotalCredit, string ClosingBalance)
{
    public static GeneralLedgerDto Of(GeneralLedger g) => new(g.AccountCode, g.AccountName, g.From, g.To, g.BaseCurrency, ReportJson.A(g.OpeningBalance),
        g.Lines.Select(l => new GeneralLedgerLineDto(l.Date, l.EntryId, l.Description, l.SourceType, l.DocumentNumber, l.PartyId, l.PartyName,
            MoneyDto.From(l.Debit, l.Currency), MoneyDto.From(l.Credit, l.Currency), ReportJson.A(l.BaseDebit), ReportJson.A(l.BaseCredit), ReportJson.A(l.Balance))).ToList(),
        ReportJson.A(g.TotalDebit), ReportJson.A(g.TotalCredit), ReportJson.A(g.ClosingBalance));
}

public sealed record AgingBucketDto(string Label, int? FromDays, int? ToDays);
public sealed record AgingRowDto(Guid PartyId, string PartyName, IReadOnlyList<string> Buckets, string Total, string Credits);
public sealed record AgingCurrencyDto(string Currency, IReadOnlyList<AgingRowDto> Rows, IReadOnlyList<string> Totals, string Total, string Credits);

/// <summary>Amounts are decimal strings in the section's <c>currency</c>; <c>buckets[i]</c> of a row belongs to <c>buckets[i]</c> of the report.</summary>
public sealed record AgingReportDto(DateOnly AsOf, IReadOnlyList<AgingBucketDto> Buckets, IReadOnlyList<AgingCurrencyDto> Currencies)
{
    public static AgingReportDto From(AgingReport r) => new(r.AsOf,
        r.Buckets.Select(b => new AgingBucketDto(b.Label, b.FromDays, b.ToDays)).ToList(),
        r.Currencies.Select(c => new AgingCurrencyDto(c.Currency,
            c.Rows.Select(x => new AgingRowDto(x.PartyId, x.PartyName, x.Buckets.Select(ReportJson.A).ToList(), ReportJson.A(x.Total), ReportJson.A(x.Credits))).ToList(),
            c.Totals.Select(ReportJson.A).ToList(), ReportJson.A(c.Total), ReportJson.A(c.Credits))).ToList());
}

public sealed record StatementAccountDto(string Code, string Name, string Amount);
public sealed record StatementLineDto(string Key, string Label, int Level, string Amount, bool IsSubtotal, IReadOnlyList<StatementAccountDto> Accounts)
{
    public static StatementLineDto From(StatementLine l) => new(l.Key, l.Label, l.Level, ReportJson.A(l.Amount), l.IsSubtotal,
        l.Accounts.Select(a => new StatementAccountDto(a.Code, a.Name, ReportJson.A(a.Amount))).ToList());
}

public sealed record ProfitAndLossDto(DateOnly From, DateOnly To, string BaseCurrency, IReadOnlyList<StatementLineDto> Lines, string NetResult, IReadOnlyList<string> Unmapped)
{
    public static ProfitAndLossDto Of(ProfitAndLoss p) => new(p.From, p.To, p.BaseCurrency, p.Lines.Select(StatementLineDto.From).ToList(), ReportJson.A(p.NetResult), p.Unmapped);
}

public sealed record BalanceSheetDto(DateOnly AsOf, string BaseCurrency, IReadOnlyList<StatementLineDto> Lines, string TotalAssets, string TotalLiabilitiesAndEquity,
    string CurrentResult, bool Balances, IReadOnlyList<string> Unmapped)
{
    public static BalanceSheetDto From(BalanceSheet b) => new(b.AsOf, b.BaseCurrency, b.Lines.Select(StatementLineDto.From).ToList(), ReportJson.A(b.TotalAssets),
        ReportJson.A(b.TotalLiabilitiesAndEquity), ReportJson.A(b.CurrentResult), b.Balances, b.Unmapped);
}

internal static class ReportJson
{
    public static string A(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}

/// <summary>Financial reports (docs/reports.md): JSON by default, <c>?format=csv</c> or <c>?format=xlsx</c> for a download.</summary>
public static class ReportEndpoints
{
    public static void MapReportApi(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/reports").WithTags("Reports").RequireAuthorization(Policies.ReadBooks);

        reports.MapGet("/trial-balance", async (DateOnly? asOf, string? format, LedgerQueries queries, BusinessCalendar calendar, CancellationToken ct) =>
            {
                var tb = await queries.TrialBalanceAsync(asOf ?? calendar.Today(), ct);
                return Answer(format, () => TrialBalanceDto.From(tb), () => ReportTables.TrialBalance(tb), $"zestawienie-obrotow-i-sald-{tb.AsOf:yyyy-MM-dd}");
            })
            .Produces<TrialBalanceDto>().Produces(StatusCodes.Status200OK, contentType: "text/csv").Produces(StatusCodes.Status200OK, contentType: ReportExport.XlsxContentType)
            .WithSummary("Trial balance (zestawienie obrotów i sald) in the book currency as of a date (default today).");
        reports.MapGet("/general-ledger", async (string? account, DateOnly? from, DateOnly? to, string? format, GeneralLedgerQuery query, CancellationToken ct) =>
            {
                var gl = await query.GetAsync(account, from, to, ct);
                return Answer(format, () => GeneralLedgerDto.Of(gl), () => ReportTables.GeneralLedger(gl), $"konto-{gl.AccountCode}-{gl.From:yyyy-MM-dd}-{gl.To:yyyy-MM-dd}");
            })
            .Produces<GeneralLedgerDto>().Produces(StatusCodes.Status200OK, contentType: "text/csv").Produces(StatusCodes.Status200OK, contentType: ReportExport.XlsxContentType)
            .WithSummary("General ledger of one account for a period: opening balance, every line with its document and party, running and closing balance.");
        reports.MapGet("/ar-aging", async (DateOnly? asOf, string? buckets, string? format, AgingQuery query, BusinessCalendar calendar, CancellationToken ct) =>
            {
                var aging = await query.GetAsync(asOf ?? calendar.Today(), AgingBuckets.Parse(buckets), ct);
                return Answer(format, () => AgingReportDto.From(aging), () => ReportTables.Aging(aging), $"wiekowanie-naleznosci-{aging.AsOf:yyyy-MM-dd}");
            })
            .Produces<AgingReportDto>().Produces(StatusCodes.Status200OK, contentType: "text/csv").Produces(StatusCodes.Status200OK, contentType: ReportExport.XlsxContentType)
            .WithSummary("Receivables aging per currency and customer as of a date; buckets=30,60,90 (days overdue, the default) gives current, 1-30, 31-60, 61-90, >90.");
        reports.MapGet("/profit-and-loss", async (DateOnly? from, DateOnly? to, string? format, FinancialStatementsQuery query, BusinessCalendar calendar, CancellationToken ct) =>
            {
                var today = calendar.Today();
                var pl = await query.ProfitAndLossAsync(from ?? new DateOnly(today.Year, 1, 1), to ?? today, ct);
                return Answer(format, () => ProfitAndLossDto.Of(pl), () => ReportTables.ProfitAndLoss(pl), $"rachunek-zyskow-i-strat-{pl.From:yyyy-MM-dd}-{pl.To:yyyy-MM-dd}");
            })
            .Produces<ProfitAndLossDto>().Produces(StatusCodes.Status200OK, contentType: "text/csv").Produces(StatusCodes.Status200OK, contentType: ReportExport.XlsxContentType)
            .WithSummary("Profit and loss (rachunek zysków i strat, comparative variant, simplified) for a period (default this year to date).");
        reports.MapGet("/balance-sheet", async (DateOnly? asOf, string? format, FinancialStatementsQuery query, BusinessCalendar calendar, CancellationToken ct) =>
            {
                var bs = await query.BalanceSheetAsync(asOf ?? calendar.Today(), ct);
                return Answer(format, () => BalanceSheetDto.From(bs), () => ReportTables.BalanceSheet(bs), $"bilans-{bs.AsOf:yyyy-MM-dd}");
            })
            .Produces<BalanceSheetDto>().Produces(StatusCodes.Status200OK, contentType: "text/csv").Produces(StatusCodes.Status200OK, contentType: ReportExport.XlsxContentType)
            .WithSummary("Balance sheet (bilans, simplified Polish layout) as of a date, with the current result.");
    }

    /// <summary>JSON, or the report's table as CSV/XLSX through <see cref="ReportExport"/>: the one export path of every report (AP aging and VAT registers use it too).</summary>
    internal static IResult Answer<T>(string? format, Func<T> json, Func<ReportTable> table, string fileName) => (format ?? "json").ToLowerInvariant() switch
    {
        "json" => TypedResults.Ok(json()),
        "csv" => TypedResults.File(ReportExport.ToCsv(table()), ReportExport.CsvContentType, fileName + ".csv"),
        "xlsx" => TypedResults.File(ReportExport.ToXlsx(table()), ReportExport.XlsxContentType, fileName + ".xlsx"),
        _ => throw new Kontor.Common.ValidationException("format", "format is json, csv or xlsx."),
    };
}
