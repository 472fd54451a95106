using System.Text.RegularExpressions;
using Kontor.Common;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Vat;

/// <summary>
/// What the JPK_V7M header needs beyond the company profile: the tax office (kod urzędu skarbowego) and the contact
/// e-mail of the taxpayer. One row; kept beside the VAT module so the company settings stay as they are.
/// </summary>
public sealed class VatSettings
{
    public const int SingletonId = 1;
    public int Id { get; init; } = SingletonId;
    /// <summary>Four-digit code of the tax office (TKodUS), e.g. "1471" for Warszawa-Śródmieście.</summary>
    public string? TaxOfficeCode { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
}

public sealed record UpdateVatSettings(string? TaxOfficeCode, string? Email, string? Phone);

public sealed partial class VatSettingsService(KontorDbContext db, UnitOfWork unitOfWork, AuditTrail audit)
{
    public async Task<VatSettings> GetAsync(CancellationToken ct = default) =>
        await db.VatSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new VatSettings();

    public async Task<VatSettings> UpdateAsync(UpdateVatSettings command, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var office = errors.Text(command.TaxOfficeCode, "taxOfficeCode", 4);
        if (office is not null) errors.Require(FourDigits().IsMatch(office), "taxOfficeCode", "taxOfficeCode is the tax office's four-digit code, e.g. 1471.");
        var email = errors.Text(command.Email, "email", 255);
        if (email is not null) errors.Require(email.Length >= 3 && email.IndexOf('@') is > 0 and var at && at < email.Length - 1, "email", "email must be an e-mail address.");
        var phone = errors.Text(command.Phone, "phone", 16, required: false);
        errors.ThrowIfAny();
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var settings = await db.VatSettings.FirstOrDefaultAsync(token);
            if (settings is null) db.VatSettings.Add(settings = new VatSettings());
            settings.TaxOfficeCode = office;
            settings.Email = email;
            settings.Phone = phone;
            audit.Record("vat.settings-changed", nameof(VatSettings), VatSettings.SingletonId, new { office, email, phone });
            return settings;
        }, ct);
    }

    [GeneratedRegex("^[0-9]{4}$")]
    private static partial Regex FourDigits();
}
