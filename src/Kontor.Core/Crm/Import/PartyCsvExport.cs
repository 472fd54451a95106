using System.Globalization;
using System.Text;
using Kontor.Common;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Crm.Import;

/// <summary>
/// Parties and contacts as CSV for Polish Excel: UTF-8 with a BOM (so Excel does not read it as Windows-1250), ";"
/// separated, amounts with a decimal comma. The party file has the import's columns, so it can be edited and imported
/// elsewhere. Merged parties are left out (their records belong to the survivor).
/// </summary>
public sealed class PartyCsvExport(KontorDbContext db)
{
    public static readonly string[] ContactColumns = ["PartyId", "PartyName", "PartyTaxId", "FirstName", "LastName", "Position", "Email", "Phone"];
    private static readonly CultureInfo Polish = CultureInfo.GetCultureInfo("pl-PL");

    public async Task<byte[]> PartiesAsync(CancellationToken ct = default)
    {
        var output = new StringBuilder();
        Csv.WriteRow(output, PartyCsvColumns.Parties);
        var segments = await db.Set<Segmentation.Segment>().AsNoTracking().ToDictionaryAsync(x => x.Id, x => x.Name, ct);
        var tags = (await db.Set<Segmentation.PartyTag>().AsNoTracking().Select(t => new { t.PartyId, t.Tag }).ToListAsync(ct))
            .GroupBy(t => t.PartyId).ToDictionary(g => g.Key, g => string.Join(", ", g.Select(t => t.Tag).Order(StringComparer.Ordinal)));
        await foreach (var p in db.Parties.AsNoTracking().Where(p => p.Status == PartyStatus.Active).OrderBy(p => p.Name).ThenBy(p => p.Id).AsAsyncEnumerable().WithCancellation(ct))
            Csv.WriteRow(output, [
                p.Id.ToString(), p.Kind.ToString(), p.Name, p.TaxId is null ? null : p.TaxIdKind.ToString(), p.TaxId, p.Kpp,
                p.Address.Street, p.Address.PostalCode, p.Address.City, p.Address.CountryCode, p.Email, p.Phone,
                p.PaymentTermDays.ToString(CultureInfo.InvariantCulture),
                p.CreditLimit?.ToString("0.00", Polish), p.CreditLimit is null ? null : p.CreditLimitCurrency,
                p.SegmentId is { } segmentId ? segments.GetValueOrDefault(segmentId) : null, tags.GetValueOrDefault(p.Id),
            ]);
        return Csv.Encode(output);
    }

    public async Task<byte[]> ContactsAsync(CancellationToken ct = default)
    {
        var output = new StringBuilder();
        Csv.WriteRow(output, ContactColumns);
        var rows = db.Contacts.AsNoTracking()
            .Join(db.Parties.Where(p => p.Status == PartyStatus.Active), c => c.PartyId, p => p.Id, (c, p) => new { c, p.Name, p.TaxId })
            .OrderBy(x => x.Name).ThenBy(x => x.c.LastName).ThenBy(x => x.c.Id);
        await foreach (var x in rows.AsAsyncEnumerable().WithCancellation(ct))
            Csv.WriteRow(output, [x.c.PartyId.ToString(), x.Name, x.TaxId, x.c.FirstName, x.c.LastName, x.c.Position, x.c.Email, x.c.Phone]);
        return Csv.Encode(output);
    }
}
