using Kontor.Catalog;
using Kontor.Common;
using Kontor.Crm;
using Kontor.CustomerCard;
using Kontor.Ledger;
using Kontor.Sales;
using Kontor.Security;

namespace Kontor.Web.Api;

// Wire shapes of the API. They translate between JSON and the modules' commands; rules live in the modules.

public sealed record CreatePartyRequest(
    PartyKind Kind,
    string? Name,
    TaxIdKind TaxIdKind,
    string? TaxId,
    AddressInput? Address,
    string? Email,
    string? Phone,
    int? PaymentTermDays,
    MoneyDto? CreditLimit,
    string? PriceGroup,
    IReadOnlyList<ContactInput>? Contacts,
    string? Kpp = null,
    string? DocumentLanguage = null,
    bool? ConfirmDuplicate = null)
{
    public CreateParty ToCommand()
    {
        var limit = CreditLimit?.Parse("creditLimit");
        return new CreateParty(Kind, Name, TaxIdKind, TaxId, Address, Email, Phone, PaymentTermDays, limit?.Amount, limit?.Currency, PriceGroup, Contacts, Kpp, DocumentLanguage);
    }
}

public sealed record AddressDto(string? Street, string? PostalCode, string? City, string CountryCode);

public sealed record ContactDto(Guid Id, string FirstName, string LastName, string? Position, string? Email, string? Phone)
{
    public static ContactDto From(Contact c) => new(c.Id, c.FirstName, c.LastName, c.Position, c.Email, c.Phone);
}

public sealed record PartyDto(Guid Id, PartyKind Kind, string Name, TaxIdKind TaxIdKind, string? TaxId, string? Kpp, AddressDto Address, string? Email, string? Phone,
    int PaymentTermDays, MoneyDto? CreditLimit, string? PriceGroup, DateTimeOffset CreatedAt, IReadOnlyList<ContactDto> Contacts,
    string? DocumentLanguage = null, PaymentMethod? PreferredPaymentMethod = null, string Status = "Active", Guid? MergedIntoPartyId = null,
    IReadOnlyList<DuplicateCandidateDto>? PossibleDuplicates = null)
{
    public static PartyDto From(Party p) => new(p.Id, p.Kind, p.Name, p.TaxIdKind, p.TaxId, p.Kpp,
        new AddressDto(p.Address.Street, p.Address.PostalCode, p.Address.City, p.Address.CountryCode), p.Email, p.Phone,
        p.PaymentTermDays, MoneyDto.FromNullable(p.CreditLimit, p.CreditLimitCurrency), p.PriceGroup, p.CreatedAt,
        p.Contacts.Select(ContactDto.From).ToList(), p.DocumentLanguage?.ToString().ToLowerInvariant(), p.PreferredPaymentMethod, p.Status.ToString(), p.MergedIntoPartyId);
}

/// <summary>pl, en or ru; null or empty clears it (the company's document language applies).</summary>
public sealed record PartyDocumentLanguageRequest(string? DocumentLanguage);

/// <summary>unitCost (optional) is in the company's book currency, whatever the selling currency.</summary>
public sealed record CreateProductRequest(string? Sku, string? Name, ProductKind Kind, string? Unit, MoneyDto? NetPrice, string? VatRateCode, MoneyDto? UnitCost = null)
{
    public CreateProduct ToCommand()
    {
        if (NetPrice is null) throw new ValidationException("netPrice", "netPrice is required.");
        var (amount, currency) = UnitPriceParse(NetPrice, "netPrice");
        var cost = UnitCost is null ? ((decimal, string)?)null : UnitPriceParse(UnitCost, "unitCost");
        return new CreateProduct(Sku, Name, Kind, Unit, amount, currency, VatRateCode, cost?.Item1, cost?.Item2);
    }

    // Unit prices may have up to 4 decimals, unlike invoice amounts, so parse without the minor-unit check.
    internal static (decimal Amount, string Currency) UnitPriceParse(MoneyDto money, string field)
    {
        var errors = new ValidationErrors();
        if (!decimal.TryParse(money.Amount, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var amount))
            errors.Add($"{field}.amount", $"{field}.amount must be a decimal number such as \"123.45\".");
        if (!Currency.TryParse(money.Currency, out var currency))
            errors.Add($"{field}.currency", $"{field}.currency must be an ISO 4217 code such as \"PLN\".");
        errors.ThrowIfAny();
        return (amount, currency.Code);
    }
}

/// <summary>unitCost null clears the cost; otherwise it must be in the company's book currency.</summary>
public sealed record ProductUnitCostRequest(MoneyDto? UnitCost);

public sealed record ProductPriceRequest(MoneyDto? NetPrice);

public sealed record ProductDto(Guid Id, string Sku, string Name, ProductKind Kind, string Unit, MoneyDto NetPrice, string VatRateCode, bool IsActive, Guid? ProductGroupId = null,
    string? UnitCost = null)
{
    /// <summary>unitCost is in the company's book currency, as a plain decimal string.</summary>
    public static ProductDto From(Product p) => new(p.Id, p.Sku, p.Name, p.Kind, p.Unit,
        new MoneyDto(p.NetPrice.ToString("0.00##", System.Globalization.CultureInfo.InvariantCulture), p.Currency), p.VatRateCode, p.IsActive, p.ProductGroupId,
        p.UnitCost?.ToString("0.00##", System.Globalization.CultureInfo.InvariantCulture));
}

public sealed record VatRateDto(string CountryCode, string Code, VatRateKind Kind, decimal Percent, string Label, DateOnly ValidFrom, DateOnly? ValidTo)
{
    public static VatRateDto From(VatRate r) => new(r.CountryCode, r.Code, r.Kind, r.Percent, r.Label, r.ValidFrom, r.ValidTo);
}

public sealed record InvoiceRequest(
    Guid PartyId,
    string? Currency,
    PricingMode PricingMode,
    DateOnly? IssueDate,
    DateOnly? SaleDate,
    int? PaymentTermDays,
    string? Notes,
    IReadOnlyList<InvoiceLineInput>? Lines,
    Guid? SeriesId = null,
    Kontor.Crm.Credit.CreditOverride? CreditOverride = null,
    Guid? CampaignId = null)
{
    public SaveInvoiceDraft ToCommand() => new(PartyId, Currency, PricingMode, IssueDate, SaleDate, PaymentTermDays, Notes, Lines, SeriesId, CampaignId);
}

/// <param name="Issue">True: issue and post every invoice in the same transaction; false: create drafts only.</param>
public sealed record InvoiceBatchRequest(IReadOnlyList<InvoiceRequest?>? Invoices, bool Issue)
{
    public IReadOnlyList<SaveInvoiceDraft> ToCommands() => (Invoices ?? []).Select(i => i?.ToCommand()!).ToList();
}

public sealed record InvoiceBatchItemDto(Guid Id, string? Number, InvoiceStatus Status, DateOnly? IssueDate, MoneyDto Gross)
{
    public static InvoiceBatchItemDto From(Invoice i) => new(i.Id, i.Number, i.Status, i.IssueDate, MoneyDto.From(i.TotalGross, i.Currency));
}

[System.ComponentModel.Description("refused: invoices of the batch not created/issued because credit control blocks their buyer (index in the request, code \"credit-blocked\", reason); the others went through.")]
public sealed record InvoiceBatchResultDto(IReadOnlyList<InvoiceBatchItemDto> Invoices, IReadOnlyList<RefusedInvoiceDto> Refused);

public sealed record RefusedInvoiceDto(int Index, Guid? InvoiceId, Guid PartyId, string Code, string Reason)
{
    public static RefusedInvoiceDto From(RefusedInvoice r) => new(r.Index, r.InvoiceId, r.PartyId, r.Code, r.Reason);
}

public sealed record InvoiceLineDto(int Position, Guid? ProductId, string Description, string Unit, decimal Quantity, decimal UnitPrice, decimal DiscountPercent,
    string VatRateCode, decimal VatPercent, MoneyDto Net, MoneyDto Vat, MoneyDto Gross, LinePricingDto? Pricing = null);

public sealed record VatRateTotalDto(string VatRateCode, decimal VatPercent, MoneyDto Net, MoneyDto Vat, MoneyDto Gross, MoneyDto? VatInBaseCurrency = null);

/// <summary>The NBP rate an issued foreign-currency invoice states its VAT in PLN at (rate as a decimal string).</summary>
public sealed record InvoiceExchangeRateDto(string Rate, string? Table, DateOnly? Date, string BaseCurrency);

public sealed record PartySnapshotDto(string Name, string? TaxId, string? Street, string? PostalCode, string? City, string CountryCode, string? BankAccount)
{
    public static PartySnapshotDto? From(PartySnapshot? s) => s is null ? null : new(s.Name, s.TaxId, s.Street, s.PostalCode, s.City, s.CountryCode, s.BankAccount);
}

public sealed record InvoiceDto(Guid Id, string? Number, InvoiceStatus Status, Guid PartyId, string Currency, PricingMode PricingMode,
    DateOnly? IssueDate, DateOnly? SaleDate, DateOnly? DueDate, int? PaymentTermDays, string? Notes,
    MoneyDto TotalNet, MoneyDto TotalVat, MoneyDto TotalGross, PartySnapshotDto? Seller, PartySnapshotDto? Buyer,
    IReadOnlyList<InvoiceLineDto> Lines, IReadOnlyList<VatRateTotalDto> VatTotals, DateTimeOffset CreatedAt, DateTimeOffset? IssuedAt, Guid SeriesId,
    InvoiceKind Kind = InvoiceKind.Vat, Guid? CorrectedInvoiceId = null, Guid? OriginalInvoiceId = null, string? CorrectedInvoiceNumber = null,
    DateOnly? CorrectedInvoiceIssueDate = null, string? CorrectionReason = null, CorrectionDto? Correction = null,
    InvoiceExchangeRateDto? ExchangeRate = null, MoneyDto? VatInBaseCurrency = null,
    string? CancellationReason = null, DateTimeOffset? CancelledAt = null, OrderSettlementDto? Order = null, Guid? CampaignId = null)
{
    public static InvoiceDto From(Invoice i) => new(i.Id, i.Number, i.Status, i.PartyId, i.Currency, i.PricingMode,
        i.IssueDate, i.SaleDate, i.DueDate, i.PaymentTermDays, i.Notes,
        MoneyDto.From(i.TotalNet, i.Currency), MoneyDto.From(i.TotalVat, i.Currency), MoneyDto.From(i.TotalGross, i.Currency),
        PartySnapshotDto.From(i.Seller), PartySnapshotDto.From(i.Buyer),
        i.Lines.OrderBy(l => l.Position).Select(l => new InvoiceLineDto(l.Position, l.ProductId, l.Description, l.Unit, l.Quantity, l.UnitPrice, l.DiscountPercent,
            l.VatRateCode, l.VatPercent, MoneyDto.From(l.Net, i.Currency), MoneyDto.From(l.Vat, i.Currency), MoneyDto.From(l.Gross, i.Currency), LinePricingDto.From(l))).ToList(),
        i.VatTotals.OrderByDescending(v => v.VatPercent).ThenBy(v => v.VatRateCode).Select(v => new VatRateTotalDto(v.VatRateCode, v.VatPercent,
            MoneyDto.From(v.Net, i.Currency), MoneyDto.From(v.Vat, i.Currency), MoneyDto.From(v.Gross, i.Currency),
            v.VatInBaseCurrency is { } vatPln ? MoneyDto.From(vatPln, BaseCurrencyOfRate) : null)).ToList(),
        i.CreatedAt, i.IssuedAt, i.SeriesId,
        i.Kind, i.CorrectedInvoiceId, i.OriginalInvoiceId, i.CorrectedInvoiceNumber, i.CorrectedInvoiceIssueDate, i.CorrectionReason,
        i.Kind == InvoiceKind.Correction ? CorrectionDto.From(i) : null,
        i.ExchangeRate is { } rate ? new InvoiceExchangeRateDto(Kontor.Currencies.ExchangeRates.Format(rate), i.ExchangeRateTable, i.ExchangeRateDate, BaseCurrencyOfRate) : null,
        i.VatInBaseCurrency is { } totalPln ? MoneyDto.From(totalPln, BaseCurrencyOfRate) : null,
        i.CancellationReason, i.CancelledAt, OrderSettlementDto.From(i), i.CampaignId);

    /// <summary>The invoice rates are NBP table A, so always in PLN (docs/currencies.md).</summary>
    private const string BaseCurrencyOfRate = "PLN";
}

/// <summary>
/// Body of POST /api/invoices/{id}/corrections: the changed lines by their position on the corrected
/// document (omitted fields stay as they were), or fullReversal: true.
/// </summary>
public sealed record CorrectionRequest(string? Reason, DateOnly? IssueDate, bool FullReversal, IReadOnlyList<CorrectionLineInput>? Lines)
{
    public CreateCorrection ToCommand() => new(Reason, IssueDate, FullReversal, Lines);
}

public sealed record AmountsDto(MoneyDto Net, MoneyDto Vat, MoneyDto Gross)
{
    public static AmountsDto Of(decimal net, decimal vat, decimal gross, string currency) =>
        new(MoneyDto.From(net, currency), MoneyDto.From(vat, currency), MoneyDto.From(gross, currency));
}

public sealed record CorrectionLineStateDto(decimal Quantity, decimal UnitPrice, decimal DiscountPercent, string VatRateCode, decimal VatPercent, AmountsDto Amounts);

public sealed record CorrectionLineDto(int Position, string Description, string Unit, bool Changed,
    CorrectionLineStateDto Before, CorrectionLineStateDto After, decimal QuantityDifference, AmountsDto Difference);

public sealed record CorrectionRateDto(string VatRateCode, decimal VatPercent, AmountsDto Before, AmountsDto After, AmountsDto Difference);

/// <summary>A correction's before / after / difference per line, per VAT rate and in total (the totals of the invoice are the difference).</summary>
public sealed record CorrectionDto(IReadOnlyList<CorrectionLineDto> Lines, IReadOnlyList<CorrectionRateDto> ByRate, AmountsDto Before, AmountsDto After, AmountsDto Difference)
{
    public static CorrectionDto From(Invoice i)
    {
        var c = i.Currency;
        var lines = i.Lines.OrderBy(l => l.Position).Select(l =>
        {
            var before = new CorrectionLineStateDto(l.BeforeQuantity ?? 0, l.BeforeUnitPrice ?? 0, l.BeforeDiscountPercent ?? 0, l.BeforeVatRateCode ?? "", l.BeforeVatPercent ?? 0,
                AmountsDto.Of(l.BeforeNet ?? 0, l.BeforeVat ?? 0, l.BeforeGross ?? 0, c));
            var after = new CorrectionLineStateDto(l.Quantity, l.UnitPrice, l.DiscountPercent, l.VatRateCode, l.VatPercent, AmountsDto.Of(l.Net, l.Vat, l.Gross, c));
            return new CorrectionLineDto(l.Position, l.Description, l.Unit, l.IsChangedByCorrection, before, after, l.QuantityDifference,
                AmountsDto.Of(l.NetDifference, l.VatDifference, l.GrossDifference, c));
        }).ToList();
        var rates = i.VatTotals.OrderByDescending(v => v.VatPercent).ThenBy(v => v.VatRateCode).Select(v => new CorrectionRateDto(v.VatRateCode, v.VatPercent,
            AmountsDto.Of(v.BeforeNet ?? 0, v.BeforeVat ?? 0, v.BeforeGross ?? 0, c),
            AmountsDto.Of(v.Net, v.Vat, v.Gross, c),
            AmountsDto.Of(v.NetDifference, v.VatDifference, v.GrossDifference, c))).ToList();
        return new CorrectionDto(lines, rates,
            AmountsDto.Of(i.VatTotals.Sum(v => v.BeforeNet ?? 0), i.VatTotals.Sum(v => v.BeforeVat ?? 0), i.VatTotals.Sum(v => v.BeforeGross ?? 0), c),
            AmountsDto.Of(i.VatTotals.Sum(v => v.Net), i.VatTotals.Sum(v => v.Vat), i.VatTotals.Sum(v => v.Gross), c),
            AmountsDto.Of(i.TotalNet, i.TotalVat, i.TotalGross, c));
    }
}

public sealed record InvoiceListItemDto(Guid Id, string? Number, InvoiceStatus Status, Guid PartyId, string PartyName, DateOnly? IssueDate, DateOnly? DueDate,
    MoneyDto TotalNet, MoneyDto TotalVat, MoneyDto TotalGross, InvoiceKind Kind = InvoiceKind.Vat)
{
    public static InvoiceListItemDto From(InvoiceListItem i) => new(i.Id, i.Number, i.Status, i.PartyId, i.PartyName, i.IssueDate, i.DueDate,
        MoneyDto.From(i.TotalNet, i.Currency), MoneyDto.From(i.TotalVat, i.Currency), MoneyDto.From(i.TotalGross, i.Currency), i.Kind);
}

public sealed record InvoiceTotalsDto(IReadOnlyList<VatRateTotalDto> ByRate, MoneyDto Net, MoneyDto Vat, MoneyDto Gross);

public sealed record PaymentAllocationRequest(Guid InvoiceId, string? Amount);

[System.ComponentModel.Description("A payment. via: Bank (default: the bank account 130) | GatewayClearing (the payment-gateway clearing account 145: a customer's money " +
             "paid through the shop's gateway — Przelewy24, PayU… — that the gateway pays out later; its payout on the bank statement clears 145). " +
             "A supplier payment goes through the bank only.")]
public sealed record RegisterPaymentRequest(Guid PartyId, DateOnly? Date, MoneyDto? Amount, string? Reference, IReadOnlyList<PaymentAllocationRequest>? Allocations,
    PaymentVia? Via = null)
{
    public RegisterPayment ToCommand()
    {
        if (Amount is null) throw new ValidationException("amount", "amount is required.");
        var (amount, currency) = Amount.Parse("amount");
        var allocations = new List<AllocationInput>();
        var errors = new ValidationErrors();
        for (var i = 0; i < (Allocations?.Count ?? 0); i++)
        {
            var a = Allocations![i];
            if (a is null) { errors.Add($"allocations[{i}]", "allocation is required."); continue; }
            if (!decimal.TryParse(a.Amount, System.Globalization.NumberStyles.AllowDecimalPoint | System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
                errors.Add($"allocations[{i}].amount", "amount must be a decimal string such as \"100.00\".");
            else allocations.Add(new AllocationInput(a.InvoiceId, value));
        }
        errors.ThrowIfAny();
        return new RegisterPayment(PartyId, Date, amount, currency, Reference, allocations, Via: Via ?? PaymentVia.Bank);
    }
}

/// <param name="Via">The money account the payment went through: Bank (130) or GatewayClearing (145).</param>
public sealed record PaymentDto(Guid Id, Guid PartyId, DateOnly Date, MoneyDto Amount, string? Reference, MoneyDto Unallocated, IReadOnlyList<AllocationDto> Allocations,
    PaymentVia Via)
{
    public static PaymentDto From(PaymentResult result)
    {
        var p = result.Payment;
        return new(p.Id, p.PartyId, p.Date, MoneyDto.From(p.Amount, p.Currency), p.Reference, MoneyDto.From(result.Unallocated, p.Currency),
            p.Allocations.Select(a => new AllocationDto(a.SourceId, MoneyDto.From(a.Amount, p.Currency))).ToList(), p.Via);
    }
}

public sealed record AllocationDto(Guid InvoiceId, MoneyDto Amount);

/// <param name="BaseDebit">The same line in the company's book currency (PLN for a Polish company).</param>
public sealed record JournalLineDto(string AccountCode, Guid? PartyId, MoneyDto Debit, MoneyDto Credit, MoneyDto BaseDebit, MoneyDto BaseCredit);

/// <param name="ExchangeRate">Book-currency units per unit of the entry's currency (null for an entry in the book currency), with its table and date.</param>
public sealed record JournalEntryDto(Guid Id, DateOnly Date, string Description, string SourceType, Guid SourceId, string? SourceNumber, DateTimeOffset PostedAt, string PostedBy,
    string BaseCurrency, string? ExchangeRate, string? ExchangeRateTable, DateOnly? ExchangeRateDate, IReadOnlyList<JournalLineDto> Lines)
{
    public static JournalEntryDto From(JournalEntry e) => new(e.Id, e.Date, e.Description, e.SourceType, e.SourceId, e.SourceNumber, e.PostedAt, e.PostedBy,
        e.BaseCurrency, e.ExchangeRate is { } rate ? Kontor.Currencies.ExchangeRates.Format(rate) : null, e.ExchangeRateTable, e.ExchangeRateDate,
        e.Lines.Select(l => new JournalLineDto(l.AccountCode, l.PartyId, MoneyDto.From(l.Debit, l.Currency), MoneyDto.From(l.Credit, l.Currency),
            MoneyDto.From(l.BaseDebit, e.BaseCurrency), MoneyDto.From(l.BaseCredit, e.BaseCurrency))).ToList());
}

public sealed record TrialBalanceRowDto(string AccountCode, string AccountName, MoneyDto Debit, MoneyDto Credit, MoneyDto BalanceDebit, MoneyDto BalanceCredit,
    MoneyDto BaseDebit, MoneyDto BaseCredit);

/// <param name="Rows">Per account and document currency, each with its book-currency equivalent.</param>
/// <param name="BookRows">Per account in the book currency, all document currencies together: the statutory trial balance.</param>
/// <param name="Balanced">Debit equals credit in every document currency and in the book currency.</param>
public sealed record TrialBalanceDto(DateOnly AsOf, string BaseCurrency, IReadOnlyList<TrialBalanceRowDto> Rows, IReadOnlyList<TrialBalanceTotalDto> Totals,
    IReadOnlyList<BookTrialBalanceRowDto> BookRows, TrialBalanceTotalDto BookTotal, bool Balanced)
{
    public static TrialBalanceDto From(TrialBalance tb) => new(tb.AsOf, tb.BaseCurrency,
        tb.Rows.Select(r => new TrialBalanceRowDto(r.AccountCode, r.AccountName, MoneyDto.From(r.Debit, r.Currency), MoneyDto.From(r.Credit, r.Currency),
            MoneyDto.From(r.BalanceDebit, r.Currency), MoneyDto.From(r.BalanceCredit, r.Currency),
            MoneyDto.From(r.BaseDebit, tb.BaseCurrency), MoneyDto.From(r.BaseCredit, tb.BaseCurrency))).ToList(),
        tb.Totals.Select(t => new TrialBalanceTotalDto(MoneyDto.From(t.Debit, t.Currency), MoneyDto.From(t.Credit, t.Currency))).ToList(),
        tb.BookRows.Select(r => new BookTrialBalanceRowDto(r.AccountCode, r.AccountName, MoneyDto.From(r.Debit, tb.BaseCurrency), MoneyDto.From(r.Credit, tb.BaseCurrency),
            MoneyDto.From(r.BalanceDebit, tb.BaseCurrency), MoneyDto.From(r.BalanceCredit, tb.BaseCurrency))).ToList(),
        new TrialBalanceTotalDto(MoneyDto.From(tb.BookTotal.Debit, tb.BaseCurrency), MoneyDto.From(tb.BookTotal.Credit, tb.BaseCurrency)),
        tb.IsBalanced);
}

public sealed record BookTrialBalanceRowDto(string AccountCode, string AccountName, MoneyDto Debit, MoneyDto Credit, MoneyDto BalanceDebit, MoneyDto BalanceCredit);

public sealed record TrialBalanceTotalDto(MoneyDto Debit, MoneyDto Credit);

public sealed record CustomerOverviewDto(Guid PartyId, string PartyName, DateOnly AsOf, MoneyDto Balance, MoneyDto OverdueAmount, int OverdueCount, bool IsOverdue,
    MoneyDto? CreditLimit, MoneyDto? AvailableCredit, int InvoiceCount, MoneyDto? AverageInvoiceValue, DateOnly? LastInvoiceDate,
    int SettledInvoiceCount, decimal? OnTimePaymentRatio, decimal? AverageDaysLate, MoneyDto UnallocatedPayments, IReadOnlyList<MoneyDto> BalancesByCurrency)
{
    public static CustomerOverviewDto From(CustomerOverview o) => new(o.PartyId, o.PartyName, o.AsOf, MoneyDto.From(o.Balance, o.Currency),
        MoneyDto.From(o.OverdueAmount, o.Currency), o.OverdueCount, o.IsOverdue, MoneyDto.FromNullable(o.CreditLimit, o.Currency),
        MoneyDto.FromNullable(o.AvailableCredit, o.Currency), o.InvoiceCount, MoneyDto.FromNullable(o.AverageInvoiceValue, o.Currency), o.LastInvoiceDate,
        o.SettledInvoiceCount, o.OnTimePaymentRatio, o.AverageDaysLate, MoneyDto.From(o.UnallocatedPayments, o.Currency),
        o.BalancesByCurrency.Select(b => MoneyDto.From(b.Balance, b.Currency)).ToList());
}

public sealed record AuditEntryDto(Guid Id, DateTimeOffset At, Guid? UserId, string UserName, string Action, string EntityType, string EntityId, System.Text.Json.JsonElement Details)
{
    public static AuditEntryDto From(AuditEntry a) => new(a.Id, a.At, a.UserId, a.UserName, a.Action, a.EntityType, a.EntityId,
        System.Text.Json.JsonDocument.Parse(a.Details).RootElement.Clone());
}

public sealed record TokenRequest(string? Email, string? Password);

/// <summary>Optional body of an issue request: the approval of a credit block (permission OverrideCreditBlock).</summary>
public sealed record IssueRequest(Kontor.Crm.Credit.CreditOverride? CreditOverride);
