using Kontor.Company;
using Kontor.Ledger;
using Kontor.Security;

namespace Kontor.Web.Api;

public sealed record ReverseEntryRequest(DateOnly? Date, string? Reason);

public sealed record ReopenPeriodRequest(string? Reason);

public sealed record PeriodDto(string Period, int Year, int Month, PeriodStatus Status, DateTimeOffset? ClosedAt, string? ClosedBy)
{
    public static PeriodDto From(PeriodView p) => new(p.Key, p.Year, p.Month, p.Status, p.ClosedAt, p.ClosedBy);
}

/// <summary>The accountant's side of the books: periods, manual entries, storno, opening balances, year-end close.</summary>
public static class BooksEndpoints
{
    public static void MapBooksApi(this IEndpointRouteBuilder app)
    {
        var ledger = app.MapGroup("/api/ledger").WithTags("Ledger");

        ledger.MapGet("/periods", async (int? year, AccountingPeriods periods, BusinessCalendar calendar, CancellationToken ct) =>
                TypedResults.Ok((await periods.YearAsync(year ?? calendar.Today().Year, ct)).Select(PeriodDto.From).ToList()))
            .RequireAuthorization(Policies.ReadBooks)
            .WithSummary("The twelve months of a year (default: this year), open or closed.");
        ledger.MapPost("/periods/{year:int}/{month:int}/close", async (int year, int month, AccountingPeriods periods, CancellationToken ct) =>
                TypedResults.Ok(PeriodDto.From(await periods.CloseAsync(year, month, ct))))
            .RequireAuthorization(Policies.PostToBooks)
            .WithSummary("Close a month: nothing can be posted dated in it any more. Months close in order.");
        ledger.MapPost("/periods/{year:int}/{month:int}/reopen", async (int year, int month, ReopenPeriodRequest request, AccountingPeriods periods, CancellationToken ct) =>
                TypedResults.Ok(PeriodDto.From(await periods.ReopenAsync(year, month, request.Reason, ct))))
            .RequireAuthorization(Policies.ManageSettings)
            .WithSummary("Reopen the last closed month (Admin); the reason is audited.");

        ledger.MapPost("/entries", async (PostManualEntry request, GeneralJournal journal, CancellationToken ct) =>
            {
                var entry = await journal.PostManualAsync(request, ct);
                return TypedResults.Created($"/api/ledger/entries?documentId={entry.SourceId}", JournalEntryDto.From(entry));
            })
            .RequireAuthorization(Policies.PostToBooks)
            .WithSummary("A manual entry (polecenie księgowania): balanced lines, each a debit or a credit; receivables follow documents and payments only.");
        ledger.MapPost("/entries/{id:guid}/reverse", async (Guid id, ReverseEntryRequest request, GeneralJournal journal, CancellationToken ct) =>
            {
                var entry = await journal.ReverseAsync(id, request.Date, request.Reason, ct);
                return TypedResults.Created($"/api/ledger/entries?documentId={entry.SourceId}", JournalEntryDto.From(entry));
            })
            .RequireAuthorization(Policies.PostToBooks)
            .WithSummary("Storno of a manual entry: the same lines on the other side, dated in an open period (default today), once.");
        ledger.MapPost("/opening-balances", async (ImportOpeningBalances request, GeneralJournal journal, CancellationToken ct) =>
            {
                var entries = await journal.ImportOpeningBalancesAsync(request, ct);
                return TypedResults.Created($"/api/ledger/entries?documentId={entries[0].SourceId}", entries.Select(JournalEntryDto.From).ToList());
            })
            .RequireAuthorization(Policies.PostToBooks)
            .WithSummary("Opening balances (bilans otwarcia) once per year: one entry per currency against the technical account BO; receivables and payables with a documentNumber become open items.");
        ledger.MapPost("/years/{year:int}/close", async (int year, GeneralJournal journal, CancellationToken ct) =>
            {
                var closing = await journal.CloseYearAsync(year, ct);
                return TypedResults.Created($"/api/ledger/entries?documentId={closing.Entries[0].SourceId}", closing.Entries.Select(JournalEntryDto.From).ToList());
            })
            .RequireAuthorization(Policies.PostToBooks)
            .WithSummary("Year-end close: revenue and expense balances (book currency) moved to the financial result account by an entry dated 31 December.");
    }
}
