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
    public string? BankAccount { get; set; }
    public string BaseCurrency { get; set; } = "PLN";
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

    public DateOnly Today() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);
}
