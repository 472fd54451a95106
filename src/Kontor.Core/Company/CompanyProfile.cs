using Kontor.Documents;
using Kontor.Persistence;
using Microsoft.Extensions.Options;

namespace Kontor.Company;

/// <summary>The seller: the company that runs this Kontor. One row; its data is snapshotted onto every issued document.</summary>
public sealed class CompanyProfile
{
    public const int SingletonId = 1;
    public int Id { get; init; } = SingletonId;
    public string Name { get; set; } = "";
    public string TaxId { get; set; } = "";
    public string? Street { get; set; }
    public string? PostalCode { get; set; }
    public string? City { get; set; }
    public string CountryCode { get; set; } = "PL";
    public string BaseCurrency { get; set; } = "PLN";
    /// <summary>Given to a new party created without a payment term.</summary>
    public int DefaultPaymentTermDays { get; set; } = InitialPaymentTermDays;
    /// <summary>VAT rate code of a new product or free-text invoice line that names none.</summary>
    public string DefaultVatRateCode { get; set; } = "23";
    /// <summary>Language of a PDF downloaded without naming one.</summary>
    public DocumentLanguage DocumentLanguage { get; set; } = DocumentLanguages.Default;
    /// <summary>
    /// Credit control: a party whose oldest unpaid invoice is more than this many days past due gets no new order,
    /// pro forma or invoice without an approved override (docs/decisions.md, credit control).
    /// </summary>
    public int CreditOverdueDaysThreshold { get; set; } = InitialCreditOverdueDaysThreshold;
    /// <summary>Complaints: days from receipt within which the customer must get an answer (14: Polish consumer law).</summary>
    public int ComplaintResponseDays { get; set; } = InitialComplaintResponseDays;
    /// <summary>Complaints: days from receipt within which a complaint should be resolved.</summary>
    public int ComplaintResolutionDays { get; set; } = InitialComplaintResolutionDays;
    /// <summary>Optimistic concurrency: an update names the version it was based on.</summary>
    public Guid Version { get; set; } = Guid.NewGuid();

    /// <summary>
    /// Not stored: the IBAN of the default account in the base currency, filled in by <see cref="ReferenceData"/>
    /// for readers that print one account (a draft's PDF). An issued invoice keeps the account chosen for its currency.
    /// </summary>
    public string? BankAccount { get; set; }

    public const int InitialPaymentTermDays = 14;
    public const int InitialCreditOverdueDaysThreshold = 30;
    public const int InitialComplaintResponseDays = 14;
    public const int InitialComplaintResolutionDays = 30;
}

/// <summary>One of the seller's bank accounts; at most one per currency is the default printed on documents in that currency.</summary>
public sealed class CompanyBankAccount
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    /// <summary>Electronic format: uppercase, no spaces.</summary>
    public string Iban { get; set; } = "";
    public string Currency { get; set; } = "PLN";
    public bool IsDefault { get; set; }
    /// <summary>
    /// How bank statements name this account when not by its IBAN or NRB (MT940 :25: such as "50880050/0194787400888",
    /// camt Acct/Id/Othr/Id); null when the statements use the IBAN. See docs/banking.md.
    /// </summary>
    public string? StatementAccountId { get; set; }
}

/// <summary>The seller's data, from the host's <see cref="ReferenceData"/> (shared: do not modify the returned object).</summary>
public sealed class CompanyProfileProvider(ReferenceData referenceData)
{
    public async Task<CompanyProfile> GetAsync(CancellationToken ct = default) =>
        (await referenceData.GetAsync(ct)).Company
        ?? throw new InvalidOperationException("The company profile is missing; the database was not initialised.");
}

public sealed class KontorOptions
{
    /// <summary>IANA zone that decides which calendar day "today" is for issue and due dates.</summary>
    public string TimeZone { get; set; } = "Europe/Warsaw";
}

/// <summary>Business dates come from here, so that tests move time through <see cref="TimeProvider"/>.</summary>
public sealed class BusinessCalendar(TimeProvider clock, IOptions<KontorOptions> options)
{
    private readonly TimeZoneInfo zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    public DateOnly Today() => DateOf(clock.GetUtcNow());

    /// <summary>The company's calendar day an instant falls on: 00:30 in Warsaw is that day, although in UTC it is still the one before.</summary>
    public DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant));

    /// <summary>The wall-clock time in the company's zone, for showing an instant.</summary>
    public DateTime ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, zone).DateTime;

    /// <summary>The UTC instant at which <paramref name="date"/> begins in the company's zone, local time <paramref name="time"/> (midnight by default): "due today" is a local day.</summary>
    public DateTimeOffset At(DateOnly date, TimeOnly time = default)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
