using Kontor.Common;
using Kontor.Persistence;

namespace Kontor.Catalog;

/// <summary>How a rate behaves on an invoice; all but <see cref="Percentage"/> carry no VAT amount.</summary>
public enum VatRateKind
{
    Percentage,
    /// <summary>PL "zw": exempt.</summary>
    Exempt,
    /// <summary>PL "np": supply outside the scope of Polish VAT.</summary>
    OutOfScope,
    /// <summary>PL "oo": the buyer accounts for the VAT.</summary>
    ReverseCharge,
    /// <summary>RU "без НДС".</summary>
    NoVat,
}

/// <summary>A VAT rate as data: valid in one country over a range of dates, so a rate change is a new row, not a code change.</summary>
public sealed class VatRate
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public string CountryCode { get; init; } = "PL";
    /// <summary>The code written on documents and sent by API clients: "23", "8", "zw", "np", "oo", "bez_nds".</summary>
    public string Code { get; init; } = "";
    public VatRateKind Kind { get; init; }
    /// <summary>Percent, e.g. 23 for 23 %. Zero for every kind but <see cref="VatRateKind.Percentage"/>.</summary>
    public decimal Percent { get; init; }
    public string Label { get; init; } = "";
    public DateOnly ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }

    public bool IsValidOn(DateOnly date) => ValidFrom <= date && (ValidTo is null || date <= ValidTo);

    public static IReadOnlyList<VatRate> Defaults { get; } =
    [
        new() { CountryCode = "PL", Code = "23", Percent = 23, Label = "23%", ValidFrom = new(2011, 1, 1) },
        new() { CountryCode = "PL", Code = "8", Percent = 8, Label = "8%", ValidFrom = new(2011, 1, 1) },
        new() { CountryCode = "PL", Code = "5", Percent = 5, Label = "5%", ValidFrom = new(2011, 1, 1) },
        new() { CountryCode = "PL", Code = "0", Percent = 0, Label = "0%", ValidFrom = new(2011, 1, 1) },
        new() { CountryCode = "PL", Code = "zw", Kind = VatRateKind.Exempt, Label = "zw", ValidFrom = new(2011, 1, 1) },
        new() { CountryCode = "PL", Code = "np", Kind = VatRateKind.OutOfScope, Label = "np", ValidFrom = new(2011, 1, 1) },
        new() { CountryCode = "PL", Code = "oo", Kind = VatRateKind.ReverseCharge, Label = "oo", ValidFrom = new(2011, 1, 1) },
        new() { CountryCode = "RU", Code = "20", Percent = 20, Label = "20%", ValidFrom = new(2019, 1, 1) },
        new() { CountryCode = "RU", Code = "18", Percent = 18, Label = "18%", ValidFrom = new(2004, 1, 1), ValidTo = new(2018, 12, 31) },
        new() { CountryCode = "RU", Code = "10", Percent = 10, Label = "10%", ValidFrom = new(2004, 1, 1) },
        new() { CountryCode = "RU", Code = "0", Percent = 0, Label = "0%", ValidFrom = new(2004, 1, 1) },
        new() { CountryCode = "RU", Code = "bez_nds", Kind = VatRateKind.NoVat, Label = "без НДС", ValidFrom = new(2004, 1, 1) },
    ];
}

public sealed record VatRateView(string CountryCode, string Code, VatRateKind Kind, decimal Percent, string Label, DateOnly ValidFrom, DateOnly? ValidTo);

/// <summary>Looks up the rate in force; rates change rarely, so the table comes from the host's <see cref="ReferenceData"/>.</summary>
public sealed class VatRates(ReferenceData referenceData)
{
    /// <summary>Every rate, by country and start date (shared: do not modify).</summary>
    public async Task<IReadOnlyList<VatRate>> AllAsync(CancellationToken ct = default) =>
        (await referenceData.GetAsync(ct)).VatRates;

    public async Task<IReadOnlyList<VatRate>> InForceAsync(string countryCode, DateOnly date, CancellationToken ct = default) =>
        (await AllAsync(ct)).Where(r => r.CountryCode == countryCode && r.IsValidOn(date)).ToList();

    /// <summary>The rate with <paramref name="code"/> valid in the country on the date, or a validation error on <paramref name="field"/>.</summary>
    public async Task<VatRate> ResolveAsync(string countryCode, string? code, DateOnly date, string field, CancellationToken ct = default)
    {
        var trimmed = code?.Trim() ?? "";
        var rate = (await AllAsync(ct)).FirstOrDefault(r => r.CountryCode == countryCode && string.Equals(r.Code, trimmed, StringComparison.OrdinalIgnoreCase) && r.IsValidOn(date));
        if (rate is not null) return rate;
        var known = string.Join(", ", (await InForceAsync(countryCode, date, ct)).Select(r => r.Code));
        throw new ValidationException(field, $"'{trimmed}' is not a VAT rate in force in {countryCode} on {date:yyyy-MM-dd}; use one of: {known}.");
    }
}
