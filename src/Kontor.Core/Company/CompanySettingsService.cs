using Kontor.Catalog;
using Kontor.Common;
using Kontor.Documents;
using Kontor.Persistence;
using Kontor.Sales;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Company;

/// <param name="Version">The version the change was based on (from <see cref="CompanySettings.Version"/>); another version means someone changed the profile meanwhile.</param>
public sealed record UpdateCompanySettings(
    string? Name,
    string? TaxId,
    string? Street,
    string? PostalCode,
    string? City,
    string? CountryCode,
    string? BaseCurrency,
    int? DefaultPaymentTermDays,
    string? DefaultVatRateCode,
    string? DocumentLanguage,
    Guid Version,
    int? CreditOverdueDaysThreshold = null);

/// <param name="StatementAccountId">Optional: how the bank's statements identify the account when not by IBAN (docs/banking.md).</param>
public sealed record AddBankAccount(string? Name, string? Iban, string? Currency, bool IsDefault, string? StatementAccountId = null);

/// <summary>The seller's data and defaults as settings show them.</summary>
/// <param name="BaseCurrencyLocked">True once a document has been issued: the books are kept in the base currency from then on.</param>
public sealed record CompanySettings(
    string Name, string TaxId, string? Street, string? PostalCode, string? City, string CountryCode,
    string BaseCurrency, bool BaseCurrencyLocked, int DefaultPaymentTermDays, string DefaultVatRateCode,
    DocumentLanguage DocumentLanguage, Guid Version, IReadOnlyList<CompanyBankAccount> BankAccounts,
    int CreditOverdueDaysThreshold = CompanyProfile.InitialCreditOverdueDaysThreshold);

/// <summary>
/// Reads and changes the company profile and its bank accounts. Every change is audited with before and
/// after, and drops the host's <see cref="ReferenceData"/> after the commit so the next invoice sees it.
/// Authorization is the caller's (policy ManageSettings); the service trusts its callers.
/// </summary>
public sealed class CompanySettingsService(KontorDbContext db, UnitOfWork unitOfWork, AuditTrail audit, VatRates vatRates, ReferenceData referenceData, BusinessCalendar calendar)
{
    public const int MaxBankAccounts = 50;

    public async Task<CompanySettings> GetAsync(CancellationToken ct = default)
    {
        var profile = await db.CompanyProfiles.AsNoTracking().FirstOrDefaultAsync(c => c.Id == CompanyProfile.SingletonId, ct)
                      ?? throw new InvalidOperationException("The company profile is missing; the database was not initialised.");
        var accounts = await db.CompanyBankAccounts.AsNoTracking().OrderBy(a => a.Currency).ThenByDescending(a => a.IsDefault).ThenBy(a => a.Name).ToListAsync(ct);
        return new CompanySettings(profile.Name, profile.TaxId, profile.Street, profile.PostalCode, profile.City, profile.CountryCode,
            profile.BaseCurrency, await AnyIssuedDocumentAsync(ct), profile.DefaultPaymentTermDays, profile.DefaultVatRateCode,
            profile.DocumentLanguage, profile.Version, accounts, profile.CreditOverdueDaysThreshold);
    }

    public async Task<CompanySettings> UpdateAsync(UpdateCompanySettings c, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var name = errors.Text(c.Name, "name", 200);
        var country = (c.CountryCode ?? "").Trim().ToUpperInvariant();
        errors.Require(country.Length == 2 && country.All(char.IsAsciiLetterUpper), "countryCode", "countryCode must be a two-letter ISO 3166 code.");
        var taxId = ValidateTaxId(country, c.TaxId, errors);
        var street = errors.Text(c.Street, "street", 200, required: false);
        var postalCode = errors.Text(c.PostalCode, "postalCode", 20, required: false);
        var city = errors.Text(c.City, "city", 100, required: false);
        var baseCurrency = CurrencyCode(c.BaseCurrency, "baseCurrency", errors);
        var term = c.DefaultPaymentTermDays ?? CompanyProfile.InitialPaymentTermDays;
        errors.Require(term is >= 0 and <= 365, "defaultPaymentTermDays", "defaultPaymentTermDays must be between 0 and 365.");
        // Left out (null) keeps the current threshold: a client that does not know the field does not reset it.
        errors.Require(c.CreditOverdueDaysThreshold is null or (>= 0 and <= 3650), "creditOverdueDaysThreshold", "creditOverdueDaysThreshold must be between 0 and 3650 days.");
        var language = errors.Try(() => DocumentLanguages.Parse(c.DocumentLanguage, "documentLanguage"));
        // The default rate must exist in the company's country today: new products and lines use it from now on.
        VatRate? rate = null;
        if (country.Length == 2)
            rate = await errors.TryAsync(() => vatRates.ResolveAsync(country, c.DefaultVatRateCode, calendar.Today(), "defaultVatRateCode", ct));
        errors.ThrowIfAny();

        await unitOfWork.ExecuteAsync(async token =>
        {
            var profile = await db.CompanyProfiles.FirstAsync(p => p.Id == CompanyProfile.SingletonId, token);
            if (profile.Version != c.Version)
                throw new ConflictException("The company settings were changed by someone else in the meantime; reload them and apply your change again.");
            if (baseCurrency != profile.BaseCurrency && await AnyIssuedDocumentAsync(token))
                throw new ValidationException("baseCurrency",
                    $"The base currency cannot change from {profile.BaseCurrency} once a document has been issued: the books and every posted amount are kept in it.");
            var before = Describe(profile);
            profile.Name = name!;
            profile.TaxId = taxId!;
            profile.Street = street;
            profile.PostalCode = postalCode;
            profile.City = city;
            profile.CountryCode = country;
            profile.BaseCurrency = baseCurrency!;
            profile.DefaultPaymentTermDays = term;
            profile.DefaultVatRateCode = rate!.Code;
            profile.DocumentLanguage = language;
            profile.CreditOverdueDaysThreshold = c.CreditOverdueDaysThreshold ?? profile.CreditOverdueDaysThreshold;
            profile.Version = Guid.NewGuid();
            audit.Record("company.settings-changed", nameof(CompanyProfile), profile.Id, new { before, after = Describe(profile) });
            return 0;
        }, ct);
        referenceData.Invalidate();
        return await GetAsync(ct);
    }

    public async Task<CompanyBankAccount> AddBankAccountAsync(AddBankAccount c, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var name = errors.Text(c.Name, "name", 100);
        var iban = errors.Try(() => Iban.Parse(c.Iban, "iban")).Value;
        var currency = CurrencyCode(c.Currency, "currency", errors);
        var statementAccountId = errors.Text(c.StatementAccountId, "statementAccountId", 64, required: false);
        errors.ThrowIfAny();
        var account = new CompanyBankAccount { Name = name!, Iban = iban!, Currency = currency!, IsDefault = c.IsDefault, StatementAccountId = statementAccountId };
        await unitOfWork.ExecuteAsync(async token =>
        {
            if (await db.CompanyBankAccounts.AnyAsync(a => a.Iban == account.Iban, token))
                throw new ValidationException("iban", $"The account {account.Iban} is already on the list.");
            if (account.StatementAccountId is { } alias && await db.CompanyBankAccounts.AnyAsync(a => a.StatementAccountId == alias, token))
                throw new ValidationException("statementAccountId", $"Another account already has the statement account id {alias}.");
            var sameCurrency = await db.CompanyBankAccounts.Where(a => a.Currency == account.Currency).ToListAsync(token);
            if (await db.CompanyBankAccounts.CountAsync(token) >= MaxBankAccounts)
                throw new ValidationException("iban", $"At most {MaxBankAccounts} bank accounts can be kept.");
            // The first account of a currency is its default: documents in that currency need one to print.
            if (sameCurrency.Count == 0) account.IsDefault = true;
            if (account.IsDefault) foreach (var other in sameCurrency) other.IsDefault = false;
            db.CompanyBankAccounts.Add(account);
            audit.Record("company.bank-account-added", nameof(CompanyBankAccount), account.Id, new { account.Name, account.Iban, account.Currency, account.IsDefault, account.StatementAccountId });
            return 0;
        }, ct);
        referenceData.Invalidate();
        return account;
    }

    public async Task RemoveBankAccountAsync(Guid id, CancellationToken ct = default)
    {
        await unitOfWork.ExecuteAsync(async token =>
        {
            var account = await db.CompanyBankAccounts.FirstOrDefaultAsync(a => a.Id == id, token) ?? throw new NotFoundException("Bank account", id);
            if (account.IsDefault && await db.CompanyBankAccounts.AnyAsync(a => a.Currency == account.Currency && a.Id != id, token))
                throw new ConflictException($"{account.Iban} is the default {account.Currency} account; make another {account.Currency} account the default first.");
            db.CompanyBankAccounts.Remove(account);
            // Issued invoices keep the IBAN they were issued with (their snapshot), so removing it rewrites no document.
            audit.Record("company.bank-account-removed", nameof(CompanyBankAccount), account.Id, new { account.Name, account.Iban, account.Currency, account.IsDefault });
            return 0;
        }, ct);
        referenceData.Invalidate();
    }

    public async Task<CompanyBankAccount> SetDefaultBankAccountAsync(Guid id, CancellationToken ct = default)
    {
        var result = await unitOfWork.ExecuteAsync(async token =>
        {
            var account = await db.CompanyBankAccounts.FirstOrDefaultAsync(a => a.Id == id, token) ?? throw new NotFoundException("Bank account", id);
            var previous = await db.CompanyBankAccounts.Where(a => a.Currency == account.Currency && a.IsDefault && a.Id != id).ToListAsync(token);
            foreach (var other in previous) other.IsDefault = false;
            account.IsDefault = true;
            audit.Record("company.bank-account-default", nameof(CompanyBankAccount), account.Id,
                new { before = previous.Select(p => p.Iban).FirstOrDefault(), after = account.Iban, account.Currency });
            return account;
        }, ct);
        referenceData.Invalidate();
        return result;
    }

    /// <summary>Poland: a valid NIP (required on every VAT invoice). Russia: a valid INN. Elsewhere: the number as given.</summary>
    private static string? ValidateTaxId(string country, string? input, ValidationErrors errors) => country switch
    {
        "PL" => errors.Try(() => Nip.Parse(input, "taxId").Value),
        "RU" => errors.Try(() => Inn.Parse(input, "taxId").Value),
        _ => errors.Text(input, "taxId", 32),
    };

    private static string? CurrencyCode(string? code, string field, ValidationErrors errors)
    {
        if (Currency.TryParse(code, out var currency)) return currency.Code;
        if (string.IsNullOrWhiteSpace(code)) errors.Add(field, $"{field} is required.");
        else errors.Add(field, $"{field}: '{code.Trim()}' is not an ISO 4217 currency code.");
        return null;
    }

    private Task<bool> AnyIssuedDocumentAsync(CancellationToken ct) => db.Invoices.AnyAsync(i => i.Status == InvoiceStatus.Issued, ct);

    private static object Describe(CompanyProfile p) => new
    {
        p.Name, p.TaxId, p.Street, p.PostalCode, p.City, p.CountryCode, p.BaseCurrency,
        p.DefaultPaymentTermDays, p.DefaultVatRateCode, DocumentLanguage = p.DocumentLanguage.Code(),
        p.CreditOverdueDaysThreshold,
    };
}
