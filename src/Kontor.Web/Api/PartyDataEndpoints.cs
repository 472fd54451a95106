using Kontor.Common;
using Kontor.Crm;
using Kontor.Crm.Duplicates;
using Kontor.Crm.Import;
using Kontor.Crm.Merge;
using Kontor.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kontor.Web.Api;

/// <summary>Duplicates, merge, CSV import and export of parties (docs/crm.md, "Duplicates, merge and import").</summary>
public static class PartyDataEndpoints
{
    public static void MapPartyDataApi(this IEndpointRouteBuilder app)
    {
        var parties = app.MapGroup("/api/parties").WithTags("Parties").RequireAuthorization(Policies.Sell);

        parties.MapPost("/duplicates", async (CreatePartyRequest request, DuplicateDetector detector, CancellationToken ct) =>
            {
                var probe = PartyProbe.Of(request.Name, request.Address?.City, request.TaxIdKind, request.TaxId, request.Email, request.Phone);
                return TypedResults.Ok((await detector.FindAsync(probe, ct: ct)).Select(DuplicateCandidateDto.From).ToList());
            })
            .WithSummary("Existing parties a new one (same body as POST /api/parties) may duplicate, with the reasons: TaxId, Email, Phone, NameAndCity. Writes nothing.");

        parties.MapGet("/{id:guid}/merge/preview", async (Guid id, Guid mergedPartyId, PartyMerge merge, CancellationToken ct) =>
                TypedResults.Ok(MergePreviewDto.From(await merge.PreviewAsync(id, mergedPartyId, ct))))
            .RequireAuthorization(Policies.MergeParties)
            .WithSummary("What merging ?mergedPartyId into this party would move (rows per table, balances per account and currency) and why it would be refused.");
        parties.MapPost("/{id:guid}/merge", async (Guid id, MergePartiesRequest request, PartyMerge merge, CancellationToken ct) =>
                TypedResults.Ok(MergeResultDto.From(await merge.MergeAsync(id, request.MergedPartyId, request.Reason, ct))))
            .RequireAuthorization(Policies.MergeParties)
            .WithSummary("Merge mergedPartyId into this party (the survivor): balances move by transfer entries, every document, open item, payment, contact " +
                         "and other reference is re-pointed, the merged party stays read-only with status Merged. 409 when the tax ids differ, the kinds differ, " +
                         "either party is already merged or it is the same party; nothing is written then.");

        parties.MapGet("/export.csv", async (PartyCsvExport export, CancellationToken ct) =>
                TypedResults.File(await export.PartiesAsync(ct), "text/csv; charset=utf-8", "kontrahenci.csv"))
            .WithSummary("All active parties as CSV for Excel: UTF-8 with BOM, ';' separated, decimal comma. Columns: " + string.Join(";", PartyCsvColumns.Parties) + ".");
        parties.MapGet("/contacts/export.csv", async (PartyCsvExport export, CancellationToken ct) =>
                TypedResults.File(await export.ContactsAsync(ct), "text/csv; charset=utf-8", "kontakty.csv"))
            .WithSummary("All contacts of active parties as CSV (UTF-8 with BOM, ';'). Columns: " + string.Join(";", PartyCsvExport.ContactColumns) + ".");

        parties.MapPost("/import/preview", async (HttpRequest request, PartyCsvImport import, CancellationToken ct) =>
            {
                var (file, _, options, _) = await ReadImportAsync(request, ct);
                return TypedResults.Ok(ImportReportDto.From(await import.PreviewAsync(file, options, ct)));
            })
            .Accepts<IFormFile>("multipart/form-data")
            .WithSummary("Validate a party CSV (multipart: file; optional skipDuplicates) without writing: per row ok, error (field and message) or possible duplicate. " +
                         "Separator ';' or ',', quoted fields, UTF-8 (with or without BOM) or Windows-1250. Header names as in the export; Name is required.");
        parties.MapPost("/import", async Task<IResult> (HttpRequest request, PartyCsvImport import, PartyImportJobs jobs, ICurrentActor actor, CancellationToken ct) =>
            {
                var (file, name, options, background) = await ReadImportAsync(request, ct);
                if (background)
                {
                    var job = jobs.Start(file, name ?? "import.csv", options, actor.Name);
                    return TypedResults.Accepted($"/api/parties/import/jobs/{job.Id}", ImportJobDto.From(job));
                }
                return TypedResults.Ok(ImportReportDto.From(await import.ImportAsync(file, options, ct: ct)));
            })
            .Accepts<IFormFile>("multipart/form-data")
            .WithSummary("Import the valid rows of a party CSV in batches of 1,000; rejected rows are reported by row, field and message and nothing of them is written. " +
                         "Form fields: file, skipDuplicates (true: skip rows resembling an existing party), background (true: 202 with a job to poll at /api/parties/import/jobs/{id}).");
        parties.MapGet("/import/jobs/{jobId:guid}", Results<Ok<ImportJobDto>, NotFound> (Guid jobId, PartyImportJobs jobs) =>
                jobs.Get(jobId) is { } job ? TypedResults.Ok(ImportJobDto.From(job)) : TypedResults.NotFound())
            .WithSummary("Progress of a background import (rows processed / total) and, when completed, its report.");
    }

    private static async Task<(byte[] File, string? Name, ImportOptions Options, bool Background)> ReadImportAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType) throw new ValidationException("file", "Send the CSV as multipart/form-data with one file.");
        var form = await request.ReadFormAsync(ct);
        if (form.Files.Count != 1) throw new ValidationException("file", $"Send exactly one file in the form (found {form.Files.Count}).");
        var file = form.Files[0];
        if (file.Length > PartyCsvImport.MaxFileBytes) throw new ValidationException("file", $"The file is larger than {PartyCsvImport.MaxFileBytes / 1024 / 1024} MB.");
        using var copy = new MemoryStream();
        await file.CopyToAsync(copy, ct);
        return (copy.ToArray(), file.FileName, new ImportOptions(SkipDuplicates: Flag(form, "skipDuplicates")), Flag(form, "background"));
    }

    private static bool Flag(IFormCollection form, string name)
    {
        var value = form[name].ToString();
        if (string.IsNullOrWhiteSpace(value)) return false;
        return bool.TryParse(value, out var flag) ? flag : throw new ValidationException(name, $"{name} must be true or false.");
    }
}

public sealed record MergePartiesRequest(Guid MergedPartyId, string? Reason);

public sealed record DuplicateCandidateDto(Guid PartyId, string Name, string? TaxId, string? City, IReadOnlyList<string> Reasons)
{
    public static DuplicateCandidateDto From(DuplicateCandidate c) => new(c.PartyId, c.Name, c.TaxId, c.City, c.Reasons.Select(r => r.ToString()).ToList());
}

public sealed record BalanceTransferDto(string AccountCode, string Currency, string Amount, string BaseAmount)
{
    public static BalanceTransferDto From(BalanceTransfer t) => new(t.AccountCode, t.Currency,
        t.Amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), t.BaseAmount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
}

public sealed record MergePreviewDto(Guid SurvivorId, string SurvivorName, Guid MergedPartyId, string MergedPartyName, bool CanMerge,
    IReadOnlyList<string> Refusals, IReadOnlyList<MovedReferences> Moves, IReadOnlyList<BalanceTransferDto> Transfers)
{
    public static MergePreviewDto From(MergePreview p) => new(p.SurvivorId, p.SurvivorName, p.MergedPartyId, p.MergedPartyName, p.CanMerge, p.Refusals, p.Moves,
        p.Transfers.Select(BalanceTransferDto.From).ToList());
}

public sealed record MergeResultDto(Guid SurvivorId, Guid MergedPartyId, IReadOnlyList<MovedReferences> Moved, IReadOnlyList<BalanceTransferDto> Transfers, IReadOnlyList<Guid> TransferEntryIds)
{
    public static MergeResultDto From(MergeResult r) => new(r.SurvivorId, r.MergedPartyId, r.Moved, r.Transfers.Select(BalanceTransferDto.From).ToList(), r.TransferEntryIds);
}

public sealed record ImportRowDto(int Row, string? Name, string Status, IReadOnlyList<ImportFieldError> Errors, IReadOnlyList<DuplicateCandidateDto> Duplicates);

public sealed record ImportReportDto(int TotalRows, int ValidRows, int ErrorRows, int DuplicateRows, int Imported, int Skipped, IReadOnlyList<ImportRowDto> Rows)
{
    /// <summary>Rows that imported or would import cleanly are left out of the list (a 50,000-row report would be mostly those); the counts cover them.</summary>
    public static ImportReportDto From(ImportReport r) => new(r.TotalRows, r.ValidRows, r.ErrorRows, r.DuplicateRows, r.Imported, r.Skipped,
        r.Problems.Select(x => new ImportRowDto(x.Row, x.Name, x.Status.ToString(), x.Errors, x.Duplicates.Select(DuplicateCandidateDto.From).ToList())).ToList());
}

public sealed record ImportJobDto(Guid Id, string Status, int Processed, int Total, string? Error, ImportReportDto? Report)
{
    public static ImportJobDto From(ImportJob j) => new(j.Id, j.Status.ToString(), j.Processed, j.Total, j.Error, j.Report is null ? null : ImportReportDto.From(j.Report));
}
