using System.ComponentModel;
using Kontor.Banking;
using Kontor.Common;
using Kontor.Security;

namespace Kontor.Web.Api;

public sealed record ImportedStatementDto(Guid Id, Guid BankAccountId, string BankAccountIban, string StatementId, string StatementNumber,
    DateOnly OpeningDate, MoneyDto OpeningBalance, DateOnly ClosingDate, MoneyDto ClosingBalance, MoneyDto TotalCredits, MoneyDto TotalDebits, int LineCount)
{
    public static ImportedStatementDto From(ImportedStatement s) => new(s.Id, s.BankAccountId, s.BankAccountIban, s.StatementId, s.StatementNumber,
        s.OpeningDate, MoneyDto.From(s.OpeningBalance, s.Currency), s.ClosingDate, MoneyDto.From(s.ClosingBalance, s.Currency),
        MoneyDto.From(s.TotalCredits, s.Currency), MoneyDto.From(s.TotalDebits, s.Currency), s.LineCount);
}

[Description("What an import stored: every statement of the file with its balances and totals. format: Mt940 | Camt053; encoding: how the file was read.")]
public sealed record BankImportResultDto(StatementFormat Format, string Encoding, string FileName, int StatementCount, int LineCount,
    IReadOnlyList<ImportedStatementDto> Statements)
{
    public static BankImportResultDto From(BankImportResult r) => new(r.Format, r.Encoding, r.FileName, r.Statements.Count, r.LineCount,
        r.Statements.Select(ImportedStatementDto.From).ToList());
}

public sealed record BankStatementDto(Guid Id, Guid BankAccountId, string BankAccountIban, string BankAccountName, string StatementId, string StatementNumber,
    string Currency, DateOnly OpeningDate, MoneyDto OpeningBalance, DateOnly ClosingDate, MoneyDto ClosingBalance, MoneyDto TotalCredits, MoneyDto TotalDebits,
    int LineCount, StatementFormat Format, string FileName, DateTimeOffset ImportedAt, string ImportedBy)
{
    public static BankStatementDto From(BankStatementListItem s) => new(s.Id, s.BankAccountId, s.BankAccountIban, s.BankAccountName, s.StatementId,
        s.StatementNumber, s.Currency, s.OpeningDate, MoneyDto.From(s.OpeningBalance, s.Currency), s.ClosingDate, MoneyDto.From(s.ClosingBalance, s.Currency),
        MoneyDto.From(s.TotalCredits, s.Currency), MoneyDto.From(s.TotalDebits, s.Currency), s.LineCount, s.Format, s.FileName, s.ImportedAt, s.ImportedBy);
}

[Description("One statement line. direction: Credit (money in) | Debit (money out); status: Unmatched until matching runs.")]
public sealed record BankStatementLineDto(Guid Id, int Position, MoneyDto Amount, BankLineDirection Direction, bool IsReversal, DateOnly? BookingDate,
    DateOnly ValueDate, string? Title, string? CounterpartyName, string? CounterpartyAccount, string? CounterpartyAddress, string? CounterpartyNip,
    string? EndToEndId, string? BankReference, string? CreditorReference, string? TransactionCode, bool IsSplitPayment, MoneyDto? SplitPaymentVat,
    string? SplitPaymentInvoice, string? SplitPaymentTaxId, string? RawDetails, BankLineStatus Status)
{
    public static BankStatementLineDto From(BankStatementLine l) => new(l.Id, l.Position, MoneyDto.From(l.Amount, l.Currency), l.Direction, l.IsReversal,
        l.BookingDate, l.ValueDate, l.Title, l.CounterpartyName, l.CounterpartyAccount, l.CounterpartyAddress, l.CounterpartyNip, l.EndToEndId,
        l.BankReference, l.CreditorReference, l.TransactionCode, l.IsSplitPayment, MoneyDto.FromNullable(l.SplitPaymentVat, l.Currency),
        l.SplitPaymentInvoice, l.SplitPaymentTaxId, l.RawDetails, l.Status);
}

public sealed record BankStatementDetailDto(BankStatementDto Statement, IReadOnlyList<BankStatementLineDto> Lines);

/// <summary>Bank statements: import (PostToBooks) and reading (ReadBooks).</summary>
public static class BankStatementEndpoints
{
    public static void MapBankStatementApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/bank-statements").WithTags("Bank statements").RequireAuthorization(Policies.ReadBooks);

        group.MapPost("/import", async (HttpRequest request, string? fileName, BankStatementImporter importer, CancellationToken ct) =>
            {
                var (content, name) = await ReadFileAsync(request, fileName, ct);
                return TypedResults.Ok(BankImportResultDto.From(await importer.ImportAsync(content, name, ct)));
            })
            .RequireAuthorization(Policies.PostToBooks)
            .Accepts<string>("multipart/form-data", "application/octet-stream", "text/plain", "application/xml", "text/xml")
            .WithSummary("Import an MT940 or camt.053 statement file: multipart/form-data with one file, or the file as the raw body (name in ?fileName=). " +
                         "The format is recognised from the content. All or nothing: every statement must add up, belong to a company bank account in its currency " +
                         "and not be imported yet (409). A bad file answers 400 with the reason under errors.file.");

        group.MapGet("", async (Guid? bankAccountId, int? skip, int? take, BankStatementQueries queries, CancellationToken ct) =>
                TypedResults.Ok((await queries.ListAsync(bankAccountId, skip ?? 0, take ?? 100, ct)).Select(BankStatementDto.From).ToList()))
            .WithSummary("Imported statements, newest closing date first (take ≤ 500).");

        group.MapGet("/{id:guid}", async (Guid id, BankStatementQueries queries, CancellationToken ct) =>
            {
                var detail = await queries.GetAsync(id, ct);
                return TypedResults.Ok(new BankStatementDetailDto(BankStatementDto.From(detail.Statement), detail.Lines.Select(BankStatementLineDto.From).ToList()));
            })
            .WithSummary("One statement with its lines.");
    }

    private static async Task<(ReadOnlyMemory<byte> Content, string? Name)> ReadFileAsync(HttpRequest request, string? fileName, CancellationToken ct)
    {
        if (request.ContentLength > StatementFiles.MaxFileBytes) throw TooLarge();
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            if (form.Files.Count != 1)
                throw new ValidationException(BankStatementImporter.FileField, $"Send exactly one file in the form (found {form.Files.Count}).");
            var file = form.Files[0];
            if (file.Length > StatementFiles.MaxFileBytes) throw TooLarge();
            using var copy = new MemoryStream();
            await file.CopyToAsync(copy, ct);
            return (copy.ToArray(), file.FileName);
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > StatementFiles.MaxFileBytes) throw TooLarge();
        }
        return (buffer.ToArray(), fileName);
    }

    private static ValidationException TooLarge() =>
        new(BankStatementImporter.FileField, $"The file is larger than {StatementFiles.MaxFileBytes / 1024 / 1024} MB.");
}
