using System.ComponentModel;
using System.Text;
using Kontor.Common;
using Kontor.Company;
using Kontor.Ledger;
using Kontor.Purchases;
using Kontor.Reports;
using Kontor.Security;
using Kontor.Vat;

namespace Kontor.Web.Api;

[Description("net and vat: decimal amounts in the invoice's currency (JSON numbers or strings); vat optional (computed from the rate). " +
             "deduction: Full|Partial|None; deductiblePercent for Partial. accountCode optional when the document names one.")]
public sealed record PurchaseLineRequest(string? Description, decimal? Net, string? VatRateCode, decimal? Vat, string? AccountCode, VatDeduction? Deduction,
    decimal? DeductiblePercent);

[Description("A supplier's invoice. correctedInvoiceId + correctionReason make it a correction of a booked purchase invoice (signed lines).")]
public sealed record PurchaseInvoiceRequest(Guid SupplierId, string? SupplierInvoiceNumber, DateOnly? IssueDate, DateOnly? ReceiptDate, DateOnly? SaleDate,
    DateOnly? DueDate, string? Currency, string? AccountCode, string? Notes, IReadOnlyList<PurchaseLineRequest?>? Lines, Guid? CorrectedInvoiceId, string? CorrectionReason)
{
    public SavePurchaseInvoice ToCommand()
    {
        var errors = new ValidationErrors();
        var lines = new List<PurchaseLineInput>();
        for (var i = 0; i < (Lines?.Count ?? 0); i++)
        {
            var line = Lines![i];
            if (line is null) { errors.Add($"lines[{i}]", "line is required."); continue; }
            if (line.Net is null) { errors.Add($"lines[{i}].net", "net is required."); continue; }
            lines.Add(new PurchaseLineInput(line.Description, line.Net.Value, line.VatRateCode, line.Vat, line.AccountCode, line.Deduction ?? VatDeduction.Full, line.DeductiblePercent));
        }
        errors.ThrowIfAny();
        return new SavePurchaseInvoice(SupplierId, SupplierInvoiceNumber, IssueDate, ReceiptDate, SaleDate, DueDate, Currency, AccountCode, Notes, lines,
            CorrectedInvoiceId, CorrectionReason);
    }
}

public sealed record PurchaseLineDto(int Position, string? Description, string AccountCode, string VatRateCode, decimal VatPercent, MoneyDto Net, MoneyDto Vat,
    MoneyDto Gross, VatDeduction Deduction, decimal? DeductiblePercent, MoneyDto DeductibleVat, MoneyDto? NetBase, MoneyDto? DeductibleVatBase);

public sealed record PurchaseInvoiceDto(Guid Id, PurchaseInvoiceStatus Status, PurchaseInvoiceKind Kind, Guid SupplierId, string? SupplierName, string SupplierInvoiceNumber,
    DateOnly IssueDate, DateOnly ReceiptDate, DateOnly? SaleDate, DateOnly DueDate, string Currency, MoneyDto TotalNet, MoneyDto TotalVat, MoneyDto TotalGross,
    MoneyDto DeductibleVat, decimal? ExchangeRate, string? ExchangeRateTable, DateOnly? ExchangeRateDate, MoneyDto? TotalNetBase, MoneyDto? TotalVatBase,
    MoneyDto? DeductibleVatBase, Guid? CorrectedInvoiceId, string? CorrectedInvoiceNumber, string? CorrectionReason, string? Notes, DateTimeOffset? BookedAt,
    string? BookedBy, IReadOnlyList<PurchaseLineDto> Lines)
{
    public static PurchaseInvoiceDto From(PurchaseInvoice p, string baseCurrency = "PLN") => new(p.Id, p.Status, p.Kind, p.SupplierId, p.SupplierName, p.SupplierInvoiceNumber,
        p.IssueDate, p.ReceiptDate, p.SaleDate, p.DueDate, p.Currency, MoneyDto.From(p.TotalNet, p.Currency), MoneyDto.From(p.TotalVat, p.Currency),
        MoneyDto.From(p.TotalGross, p.Currency), MoneyDto.From(p.DeductibleVat, p.Currency), p.ExchangeRate, p.ExchangeRateTable, p.ExchangeRateDate,
        MoneyDto.FromNullable(p.TotalNetBase, baseCurrency), MoneyDto.FromNullable(p.TotalVatBase, baseCurrency), MoneyDto.FromNullable(p.DeductibleVatBase, baseCurrency),
        p.CorrectedInvoiceId, p.CorrectedInvoiceNumber, p.CorrectionReason, p.Notes, p.BookedAt, p.BookedBy,
        p.Lines.OrderBy(l => l.Position).Select(l => new PurchaseLineDto(l.Position, l.Description, l.AccountCode, l.VatRateCode, l.VatPercent,
            MoneyDto.From(l.Net, p.Currency), MoneyDto.From(l.Vat, p.Currency), MoneyDto.From(l.Gross, p.Currency), l.Deduction, l.DeductiblePercent,
            MoneyDto.From(l.DeductibleVat, p.Currency), MoneyDto.FromNullable(l.NetBase, baseCurrency), MoneyDto.FromNullable(l.DeductibleVatBase, baseCurrency))).ToList());
}

public sealed record PurchaseInvoiceListItemDto(Guid Id, PurchaseInvoiceStatus Status, PurchaseInvoiceKind Kind, Guid SupplierId, string SupplierName,
    string SupplierInvoiceNumber, DateOnly IssueDate, DateOnly ReceiptDate, DateOnly DueDate, MoneyDto TotalNet, MoneyDto TotalVat, MoneyDto TotalGross, MoneyDto? OpenAmount)
{
    public static PurchaseInvoiceListItemDto From(PurchaseInvoiceListItem i) => new(i.Id, i.Status, i.Kind, i.SupplierId, i.SupplierName, i.SupplierInvoiceNumber,
        i.IssueDate, i.ReceiptDate, i.DueDate, MoneyDto.From(i.TotalNet, i.Currency), MoneyDto.From(i.TotalVat, i.Currency), MoneyDto.From(i.TotalGross, i.Currency),
        MoneyDto.FromNullable(i.OpenAmount, i.Currency));
}

public sealed record PayablesAgingRowDto(Guid SupplierId, string SupplierName, string Currency, IReadOnlyList<MoneyDto> Amounts, MoneyDto Total);
public sealed record AgingTotalDto(string Currency, IReadOnlyList<MoneyDto> Amounts, MoneyDto Total);
public sealed record PayablesAgingDto(DateOnly AsOf, IReadOnlyList<AgingBucket> Buckets, IReadOnlyList<PayablesAgingRowDto> Rows, IReadOnlyList<AgingTotalDto> Totals)
{
    public static PayablesAgingDto From(PayablesAgingReport r) => new(r.AsOf, r.Buckets,
        r.Rows.Select(x => new PayablesAgingRowDto(x.SupplierId, x.SupplierName, x.Currency, x.Amounts.Select(a => MoneyDto.From(a, x.Currency)).ToList(), MoneyDto.From(x.Total, x.Currency))).ToList(),
        r.Totals.Select(x => new AgingTotalDto(x.Currency, x.Amounts.Select(a => MoneyDto.From(a, x.Currency)).ToList(), MoneyDto.From(x.Total, x.Currency))).ToList());
}

public sealed record VatSettingsDto(string? TaxOfficeCode, string? Email, string? Phone);

/// <summary>Purchases (payables), supplier payments, AP aging, VAT registers and JPK_V7M (docs/vat.md).</summary>
public static class PurchaseEndpoints
{
    public static void MapPurchaseApi(this IEndpointRouteBuilder app)
    {
        var purchases = app.MapGroup("/api/purchase-invoices").WithTags("Purchases");
        purchases.MapGet("", async (Guid? supplierId, PurchaseInvoiceStatus? status, int? skip, int? take, PurchaseInvoiceService service, CancellationToken ct) =>
                TypedResults.Ok((await service.ListAsync(supplierId, status, skip ?? 0, take ?? 100, ct)).Select(PurchaseInvoiceListItemDto.From).ToList()))
            .RequireAuthorization(Policies.ReadBooks).WithSummary("Purchase invoices, newest first, with what is still owed on booked ones.");
        purchases.MapGet("/{id:guid}", async (Guid id, PurchaseInvoiceService service, CancellationToken ct) =>
                TypedResults.Ok(PurchaseInvoiceDto.From(await service.GetAsync(id, ct))))
            .RequireAuthorization(Policies.ReadBooks);
        purchases.MapPost("", async (PurchaseInvoiceRequest request, PurchaseInvoiceService service, CancellationToken ct) =>
            {
                var invoice = await service.CreateDraftAsync(request.ToCommand(), ct);
                return TypedResults.Created($"/api/purchase-invoices/{invoice.Id}", PurchaseInvoiceDto.From(invoice));
            })
            .RequireAuthorization(Policies.PostToBooks).WithSummary("Enter a supplier's invoice (or a correction of one) as a draft.");
        purchases.MapPut("/{id:guid}", async (Guid id, PurchaseInvoiceRequest request, PurchaseInvoiceService service, CancellationToken ct) =>
                TypedResults.Ok(PurchaseInvoiceDto.From(await service.UpdateDraftAsync(id, request.ToCommand(), ct))))
            .RequireAuthorization(Policies.PostToBooks).WithSummary("Replace a draft; a booked invoice answers 409.");
        purchases.MapDelete("/{id:guid}", async (Guid id, PurchaseInvoiceService service, CancellationToken ct) =>
            {
                await service.DeleteDraftAsync(id, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.PostToBooks);
        purchases.MapPost("/{id:guid}/book", async (Guid id, PurchaseInvoiceService service, CancellationToken ct) =>
                TypedResults.Ok(PurchaseInvoiceDto.From(await service.BookAsync(id, ct))))
            .RequireAuthorization(Policies.PostToBooks)
            .WithSummary("Book a draft: Dr expense/asset (net + non-deductible VAT), Dr 222 (deductible VAT), Cr 202 supplier (gross), and a payable open item.");

        app.MapPost("/api/supplier-payments", async (RegisterPaymentRequest request, PaymentService service, CancellationToken ct) =>
            {
                var result = await service.RegisterAsync(request.ToCommand() with { Direction = PaymentDirection.Outgoing }, ct);
                return TypedResults.Created($"/api/payments/{result.Payment.Id}", PaymentDto.From(result));
            })
            .WithTags("Purchases").RequireAuthorization(Policies.PostToBooks)
            .WithSummary("Pay a supplier: Dr 202 / Cr 130 bank (via GatewayClearing is refused: 145 only takes customers' money); allocations (invoiceId = purchase invoice) settle payables explicitly, or oldest first.");

        app.MapGet("/api/payables/aging", async (DateOnly? asOf, string? buckets, Guid? supplierId, string? format, PayablesAging aging, BusinessCalendar calendar,
                CancellationToken ct) =>
            {
                var report = await aging.AsOfAsync(asOf ?? calendar.Today(), AgingBuckets.Parse(buckets), supplierId, ct);
                return ReportEndpoints.Answer(format, () => PayablesAgingDto.From(report), () => ReportTables.PayablesAging(report), $"wiekowanie-zobowiazan-{report.AsOf:yyyy-MM-dd}");
            })
            .WithTags("Purchases").RequireAuthorization(Policies.ReadBooks)
            .Produces<PayablesAgingDto>().Produces(StatusCodes.Status200OK, contentType: "text/csv").Produces(StatusCodes.Status200OK, contentType: ReportExport.XlsxContentType)
            .WithSummary("AP aging as of a day: per supplier and currency, buckets by days overdue (buckets=30,60,90 → current, 1-30, 31-60, 61-90, >90); format=csv|xlsx downloads it.");

        var vat = app.MapGroup("/api/vat").WithTags("VAT").RequireAuthorization(Policies.ReadBooks);
        vat.MapGet("/registers/sales", async (int year, int month, VatRegisters registers, CancellationToken ct) =>
            TypedResults.Ok(await registers.SalesAsync(VatPeriod.Parse(year, month), ct)))
            .WithSummary("Sales VAT register of a month: issued invoices and corrections, per rate in PLN.");
        vat.MapGet("/registers/purchases", async (int year, int month, VatRegisters registers, CancellationToken ct) =>
            TypedResults.Ok(await registers.PurchasesAsync(VatPeriod.Parse(year, month), ct)))
            .WithSummary("Purchase VAT register of a month (by receipt date): deductible VAT in PLN.");
        vat.MapGet("/registers/sales.csv", async (int year, int month, VatRegisters registers, CancellationToken ct) =>
            {
                var period = VatPeriod.Parse(year, month);
                return TypedResults.File(VatRegisters.SalesCsv(await registers.SalesAsync(period, ct)), ReportExport.CsvContentType, $"sales-register-{period}.csv");
            });
        vat.MapGet("/registers/purchases.csv", async (int year, int month, VatRegisters registers, CancellationToken ct) =>
            {
                var period = VatPeriod.Parse(year, month);
                return TypedResults.File(VatRegisters.PurchasesCsv(await registers.PurchasesAsync(period, ct)), ReportExport.CsvContentType, $"purchase-register-{period}.csv");
            });
        vat.MapGet("/registers/sales.xlsx", async (int year, int month, VatRegisters registers, CancellationToken ct) =>
            {
                var period = VatPeriod.Parse(year, month);
                return TypedResults.File(ReportExport.ToXlsx(ReportTables.SalesRegister(await registers.SalesAsync(period, ct))), ReportExport.XlsxContentType,
                    $"rejestr-sprzedazy-vat-{period}.xlsx");
            })
            .WithSummary("Sales VAT register of a month as XLSX (Polish headings, figures as numbers, totals row).");
        vat.MapGet("/registers/purchases.xlsx", async (int year, int month, VatRegisters registers, CancellationToken ct) =>
            {
                var period = VatPeriod.Parse(year, month);
                return TypedResults.File(ReportExport.ToXlsx(ReportTables.PurchaseRegister(await registers.PurchasesAsync(period, ct))), ReportExport.XlsxContentType,
                    $"rejestr-zakupow-vat-{period}.xlsx");
            })
            .WithSummary("Purchase VAT register of a month as XLSX (Polish headings, figures as numbers, totals row).");
        vat.MapGet("/jpk", async (int year, int month, int? purpose, JpkV7MExport export, CancellationToken ct) =>
            {
                var file = await export.BuildAsync(VatPeriod.Parse(year, month), purpose ?? 1, ct);
                return TypedResults.File(file.Content, "application/xml", file.FileName);
            })
            .WithSummary("JPK_V7M(3) of a month (evidence + VAT-7 declaration); purpose 1 = first filing, 2 = correction.");
        vat.MapGet("/settings", async (VatSettingsService service, CancellationToken ct) =>
        {
            var s = await service.GetAsync(ct);
            return TypedResults.Ok(new VatSettingsDto(s.TaxOfficeCode, s.Email, s.Phone));
        });
        vat.MapPut("/settings", async (VatSettingsDto request, VatSettingsService service, CancellationToken ct) =>
            {
                var s = await service.UpdateAsync(new UpdateVatSettings(request.TaxOfficeCode, request.Email, request.Phone), ct);
                return TypedResults.Ok(new VatSettingsDto(s.TaxOfficeCode, s.Email, s.Phone));
            })
            .RequireAuthorization(Policies.PostToBooks).WithSummary("Tax office code (KodUrzedu) and contact e-mail for JPK_V7M.");
    }
}
