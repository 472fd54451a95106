using System.Globalization;
using Kontor.Common;
using Kontor.Company;
using Kontor.Crm.Duplicates;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Crm.Import;

/// <summary>The party CSV columns (docs/crm.md): the export writes them in this order, the import finds them by header name (any case, any order).</summary>
public static class PartyCsvColumns
{
    public const string Id = "Id", Kind = "Kind", Name = "Name", TaxIdKind = "TaxIdKind", TaxId = "TaxId", Kpp = "Kpp",
        Street = "Street", PostalCode = "PostalCode", City = "City", CountryCode = "CountryCode", Email = "Email", Phone = "Phone",
        PaymentTermDays = "PaymentTermDays", CreditLimit = "CreditLimit", CreditLimitCurrency = "CreditLimitCurrency",
        ContactFirstName = "ContactFirstName", ContactLastName = "ContactLastName", ContactPosition = "ContactPosition",
        ContactEmail = "ContactEmail", ContactPhone = "ContactPhone", Segment = "Segment", Tags = "Tags";

    public static readonly string[] Parties =
        [Id, Kind, Name, TaxIdKind, TaxId, Kpp, Street, PostalCode, City, CountryCode, Email, Phone, PaymentTermDays, CreditLimit, CreditLimitCurrency, Segment, Tags];

    /// <summary>Tags in one cell: separated by commas or "|" (the export writes ", ").</summary>
    public static IEnumerable<string> SplitTags(string cell) => cell.Split([',', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>One contact per imported row, optional (the export of contacts is a separate file).</summary>
    public static readonly string[] Contact = [ContactFirstName, ContactLastName, ContactPosition, ContactEmail, ContactPhone];
}

public enum ImportRowStatus { Ok, Error, PossibleDuplicate, Imported, Skipped }

public sealed record ImportFieldError(string Field, string Message);

/// <param name="Row">The line number in the file (the header is line 1), as a spreadsheet shows it.</param>
public sealed record ImportRowResult(int Row, string? Name, ImportRowStatus Status, IReadOnlyList<ImportFieldError> Errors, IReadOnlyList<DuplicateCandidate> Duplicates);

public sealed record ImportReport(int TotalRows, int ValidRows, int ErrorRows, int DuplicateRows, int Imported, int Skipped, IReadOnlyList<ImportRowResult> Rows)
{
    /// <summary>The rows a person has to look at: errors, possible duplicates, skipped rows.</summary>
    public IEnumerable<ImportRowResult> Problems => Rows.Where(r => r.Status is not (ImportRowStatus.Ok or ImportRowStatus.Imported));
}

/// <param name="SkipDuplicates">Rows that look like an existing party (e-mail, phone, similar name + city) are skipped instead of imported. A row with the tax id of an existing party is always rejected.</param>
public sealed record ImportOptions(bool SkipDuplicates = false, int BatchSize = 1000);

/// <summary>
/// Two-step import of parties (docs/crm.md, "Duplicates, merge and import"): a preview that validates every row with
/// the party rules (<see cref="PartyService.ValidateNew"/>) and looks for duplicates, writing nothing; and the import,
/// which writes the valid rows in batches (one transaction and one SaveChanges per batch) and reports the rejected rows
/// by line, field and message. Duplicate lookups use every party's keys loaded once, plus the rows before in the file.
/// </summary>
public sealed class PartyCsvImport(KontorDbContext db, UnitOfWork unitOfWork, PartyService parties, CompanyProfileProvider company, AuditTrail audit)
{
    public const long MaxFileBytes = 50L * 1024 * 1024;

    public async Task<ImportReport> PreviewAsync(byte[] file, ImportOptions options, CancellationToken ct = default)
    {
        var analysed = await AnalyseAsync(file, ct);
        return Report(analysed, options, imported: null);
    }

    public async Task<ImportReport> ImportAsync(byte[] file, ImportOptions options, IProgress<(int Processed, int Total)>? progress = null, CancellationToken ct = default)
    {
        var analysed = await AnalyseAsync(file, ct);
        var toWrite = analysed.Where(r => r.Party is not null && !(options.SkipDuplicates && r.Duplicates.Count > 0)).ToList();
        var batchSize = Math.Clamp(options.BatchSize, 1, 10_000);
        var done = 0;
        progress?.Report((0, analysed.Count));
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var batch in toWrite.Chunk(batchSize))
            {
                await unitOfWork.ExecuteAsync(token =>
                {
                    db.Parties.AddRange(batch.Select(r => r.Party!));
                    db.Set<Segmentation.PartyTag>().AddRange(batch.SelectMany(r => r.Tags.Select(tag => new Segmentation.PartyTag { PartyId = r.Party!.Id, Tag = tag, CreatedAt = r.Party.CreatedAt })));
                    audit.Record("party.imported", nameof(Party), batch[0].Party!.Id, new { count = batch.Length, firstRow = batch[0].Row, lastRow = batch[^1].Row });
                    return Task.FromResult(0);
                }, ct);
                db.ChangeTracker.Clear();
                done += batch.Length;
                progress?.Report((Math.Min(analysed.Count, batch[^1].Row - 1), analysed.Count));
            }
        }
        finally { db.ChangeTracker.AutoDetectChangesEnabled = true; }
        progress?.Report((analysed.Count, analysed.Count));
        return Report(analysed, options, imported: toWrite.Select(r => r.Row).ToHashSet());
    }

    private sealed record AnalysedRow(int Row, string? Name, Party? Party, List<ImportFieldError> Errors, IReadOnlyList<DuplicateCandidate> Duplicates,
        IReadOnlyList<string> Tags);

    private static ImportReport Report(List<AnalysedRow> rows, ImportOptions options, HashSet<int>? imported)
    {
        var results = rows.Select(r => new ImportRowResult(r.Row, r.Name,
            r.Errors.Count > 0 ? ImportRowStatus.Error
            : imported is null ? (r.Duplicates.Count > 0 ? ImportRowStatus.PossibleDuplicate : ImportRowStatus.Ok)
            : imported.Contains(r.Row) ? ImportRowStatus.Imported : ImportRowStatus.Skipped,
            r.Errors, r.Duplicates)).ToList();
        return new ImportReport(rows.Count, rows.Count(r => r.Errors.Count == 0), rows.Count(r => r.Errors.Count > 0),
            rows.Count(r => r.Errors.Count == 0 && r.Duplicates.Count > 0),
            imported?.Count ?? 0, imported is null ? 0 : rows.Count(r => r.Errors.Count == 0 && !imported.Contains(r.Row)), results);
    }

    private async Task<List<AnalysedRow>> AnalyseAsync(byte[] file, CancellationToken ct)
    {
        if (file.Length == 0) throw new ValidationException("file", "The file is empty.");
        if (file.Length > MaxFileBytes) throw new ValidationException("file", $"The file is larger than {MaxFileBytes / 1024 / 1024} MB.");
        var records = Csv.Read(Csv.Decode(file)).ToList();
        if (records.Count == 0) throw new ValidationException("file", "The file has no header line.");
        var header = records[0].Fields.Select((name, i) => (Name: name.Trim().TrimStart('\uFEFF'), i))
            .Where(h => h.Name.Length > 0).GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().i, StringComparer.OrdinalIgnoreCase);
        if (!header.ContainsKey(PartyCsvColumns.Name))
            throw new ValidationException("file", $"The header line has no \"{PartyCsvColumns.Name}\" column. Expected columns: {string.Join(";", PartyCsvColumns.Parties.Concat(PartyCsvColumns.Contact))}.");

        var defaultTerm = (await company.GetAsync(ct)).DefaultPaymentTermDays;
        var existing = await db.Parties.AsNoTracking().Where(p => p.Status == PartyStatus.Active)
            .Select(p => new PartyKeys(p.Id, p.Name, p.TaxId, p.Address.City, p.NameKey, p.CityKey, p.TaxKey, p.EmailKey, p.PhoneKey)).ToListAsync(ct);
        var index = new DuplicateIndex(existing, blockNamesByLongWords: true);
        var segments = await db.Set<Segmentation.Segment>().AsNoTracking().ToDictionaryAsync(x => x.Name, x => x.Id, StringComparer.OrdinalIgnoreCase, ct);

        var rows = new List<AnalysedRow>(records.Count - 1);
        foreach (var (line, fields) in records.Skip(1))
        {
            ct.ThrowIfCancellationRequested();
            string? Get(string column) => header.TryGetValue(column, out var i) && i < fields.Count && !string.IsNullOrWhiteSpace(fields[i]) ? Csv.Unquoted(fields[i].Trim()) : null;
            if (fields.All(string.IsNullOrWhiteSpace)) continue;
            var errors = new List<ImportFieldError>();
            var command = ToCommand(Get, errors);
            Party? party = null;
            if (command is not null)
            {
                try { party = parties.ValidateNew(command, defaultTerm); }
                catch (ValidationException ex) { errors.AddRange(ex.Errors.SelectMany(e => e.Value.Select(m => new ImportFieldError(e.Key, m)))); }
            }
            var tags = new List<string>();
            if (Get(PartyCsvColumns.Segment) is { } segmentName)
            {
                if (segments.TryGetValue(segmentName, out var segmentId)) { if (party is not null) party.SegmentId = segmentId; }
                else if (segments.Count == 0)
                    errors.Add(new ImportFieldError(PartyCsvColumns.Segment, Messages.Format("No segment \"{0}\" (Settings → Company → Customer segments has none).", segmentName)));
                else
                    errors.Add(new ImportFieldError(PartyCsvColumns.Segment, Messages.Format("No segment \"{0}\" (Settings → Company → Customer segments: {1}).",
                        segmentName, string.Join(", ", segments.Keys.Order()))));
            }
            foreach (var raw in Get(PartyCsvColumns.Tags) is { } cell ? PartyCsvColumns.SplitTags(cell) : [])
            {
                try { var tag = Segmentation.SegmentationService.NormalizeTag(raw, PartyCsvColumns.Tags); if (!tags.Contains(tag)) tags.Add(tag); }
                catch (ValidationException ex) { errors.AddRange(ex.Errors.SelectMany(e => e.Value.Select(m => new ImportFieldError(e.Key, m)))); }
            }
            IReadOnlyList<DuplicateCandidate> duplicates = [];
            if (party is not null && errors.Count == 0)
            {
                PartyMatchKeys.Apply(party);
                duplicates = index.Find(new PartyProbe(party.NameKey, party.CityKey, party.TaxKey, party.EmailKey, party.PhoneKey));
                var sameTax = duplicates.FirstOrDefault(d => d.SameTaxId);
                if (sameTax is not null)
                    errors.Add(new ImportFieldError("taxId", Messages.Format("A party with this tax id already exists: {0} ({1}). Merge or update it instead.", sameTax.Name, sameTax.TaxId)));
                else
                    index.Add(new PartyKeys(party.Id, party.Name, party.TaxId, party.Address.City, party.NameKey, party.CityKey, party.TaxKey, party.EmailKey, party.PhoneKey));
            }
            rows.Add(new AnalysedRow(line, Get(PartyCsvColumns.Name), errors.Count == 0 ? party : null, errors, duplicates, tags));
        }
        return rows;
    }

    /// <summary>Text → the create command; only what the party rules cannot see (a number that does not parse, an unknown kind) is checked here.</summary>
    private static CreateParty? ToCommand(Func<string, string?> get, List<ImportFieldError> errors)
    {
        var kind = PartyKind.Company;
        if (get(PartyCsvColumns.Kind) is { } k && !Enum.TryParse(k, ignoreCase: true, out kind) || !Enum.IsDefined(kind))
            errors.Add(new("kind", Messages.Translate("kind must be Company or Person.")));
        var taxIdKind = TaxIdKind.None;
        if (get(PartyCsvColumns.TaxIdKind) is { } t && (!Enum.TryParse(t, ignoreCase: true, out taxIdKind) || !Enum.IsDefined(taxIdKind) || int.TryParse(t, out _)))
            errors.Add(new("taxIdKind", Messages.Format("taxIdKind must be one of {0}.", string.Join(", ", Enum.GetNames<TaxIdKind>()))));
        int? term = null;
        if (get(PartyCsvColumns.PaymentTermDays) is { } d)
        {
            if (int.TryParse(d, NumberStyles.Integer, CultureInfo.InvariantCulture, out var days)) term = days;
            else errors.Add(new("paymentTermDays", Messages.Translate("paymentTermDays must be a whole number of days.")));
        }
        decimal? limit = null;
        if (get(PartyCsvColumns.CreditLimit) is { } l)
        {
            if (TryParseAmount(l, out var amount)) limit = amount;
            else errors.Add(new("creditLimit", Messages.Translate("creditLimit must be an amount, e.g. 10000,00.")));
        }
        if (errors.Count > 0) return null;
        var contact = PartyCsvColumns.Contact.Any(c => get(c) is not null)
            ? new ContactInput(get(PartyCsvColumns.ContactFirstName), get(PartyCsvColumns.ContactLastName), get(PartyCsvColumns.ContactPosition),
                get(PartyCsvColumns.ContactEmail), get(PartyCsvColumns.ContactPhone))
            : null;
        return new CreateParty(kind, get(PartyCsvColumns.Name), taxIdKind, get(PartyCsvColumns.TaxId),
            new AddressInput(get(PartyCsvColumns.Street), get(PartyCsvColumns.PostalCode), get(PartyCsvColumns.City), get(PartyCsvColumns.CountryCode) ?? "PL"),
            get(PartyCsvColumns.Email), get(PartyCsvColumns.Phone), term, limit, get(PartyCsvColumns.CreditLimitCurrency), null,
            contact is null ? null : [contact], get(PartyCsvColumns.Kpp));
    }

    /// <summary>"10 000,50", "10000.50", "10 000,50" (a non-breaking space from Excel): the decimal separator is the last "," or ".".</summary>
    public static bool TryParseAmount(string text, out decimal amount)
    {
        var compact = new string(text.Where(c => !char.IsWhiteSpace(c) && c != '\u00A0').ToArray());
        var lastSeparator = compact.LastIndexOfAny([',', '.']);
        if (lastSeparator >= 0)
            compact = compact[..lastSeparator].Replace(",", "").Replace(".", "") + "." + compact[(lastSeparator + 1)..];
        return decimal.TryParse(compact, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount);
    }
}
