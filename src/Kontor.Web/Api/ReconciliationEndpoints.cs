using System.ComponentModel;
using System.Globalization;
using Kontor.Banking;
using Kontor.Banking.Matching;
using Kontor.Common;
using Kontor.Ledger;
using Kontor.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Kontor.Web.Api;

public sealed record SuggestedAllocationDto(Guid InvoiceId, string? Number, MoneyDto Amount, MoneyDto OpenAmount);

[Description("A proposal of the matcher. allocations empty = a payment on account. confidence 0–1 (≥ 0.95 is posted automatically). " +
             "reasons: invoice-number, invoice-number-typo, several-invoices, split-payment-invoice, amounts-add-up, amount-equal, pays-all-open, " +
             "partial-payment, overpayment, nip-of-payer, nip-in-title, iban-known, payer-differs, ambiguous, on-account.")]
public sealed record MatchSuggestionDto(Guid PartyId, string PartyName, IReadOnlyList<SuggestedAllocationDto> Allocations, MoneyDto Unallocated, decimal Confidence,
    IReadOnlyList<string> Reasons)
{
    public static MatchSuggestionDto From(MatchSuggestion s, string currency) => new(s.PartyId, s.PartyName,
        s.Allocations.Select(a => new SuggestedAllocationDto(a.InvoiceId, a.Number, MoneyDto.From(a.Amount, currency), MoneyDto.From(a.OpenAmount, currency))).ToList(),
        MoneyDto.From(s.Unallocated, currency), s.Confidence, s.Reasons);
}

[Description("A statement line in the reconciliation queue with the matcher's suggestions, best first (for money out: the supplier and its purchase invoices). " +
             "resolution: Automatic | Accepted | Split | Assigned | Ignored | Booked once settled.")]
public sealed record ReconciliationItemDto(BankStatementLineDto Line, Guid StatementId, string StatementReference, string BankAccountIban,
    IReadOnlyList<MatchSuggestionDto> Suggestions, BankLineResolution? Resolution, Guid? PartyId, string? PartyName, Guid? PaymentId,
    decimal? MatchConfidence, string? ResolutionNote, DateTimeOffset? ResolvedAt, string? ResolvedBy)
{
    public static ReconciliationItemDto From(ReconciliationItem i) => new(BankStatementLineDto.From(i.Line), i.Line.StatementId, i.StatementId, i.BankAccountIban,
        i.Suggestions.Select(s => MatchSuggestionDto.From(s, i.Line.Currency)).ToList(), i.Line.Resolution, i.Line.PartyId, i.PartyName, i.Line.PaymentId,
        i.Line.MatchConfidence, i.Line.ResolutionNote, i.Line.ResolvedAt, i.Line.ResolvedBy);
}

public sealed record AcceptSuggestionRequest(int? Suggestion);
public sealed record SplitAllocationRequest(Guid InvoiceId, string? Amount);
public sealed record SplitLineRequest(Guid? PartyId, IReadOnlyList<SplitAllocationRequest?>? Allocations);
public sealed record AssignLineRequest(Guid? PartyId);
public sealed record IgnoreLineRequest(string? Reason);
[Description("accountCode: the account of the chart the line is booked to; empty on money out = the bank-fees account (Ledger:BankFees, 402-1). note: optional text (≤ 200).")]
public sealed record BookLineRequest(string? AccountCode, string? Note);
public sealed record LineBookedDto(Guid LineId, Guid EntryId, string AccountCode);

public sealed record LineSettledDto(Guid LineId, Guid? PaymentId, MoneyDto? Unallocated);

/// <summary>The reconciliation queue: reading (ReadBooks) and settling lines (PostToBooks).</summary>
public static class ReconciliationEndpoints
{
    public static void MapReconciliationApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/reconciliation").WithTags("Reconciliation").RequireAuthorization(Policies.ReadBooks);

        group.MapGet("", async (string? status, string? direction, Guid? statementId, int? skip, int? take, Reconciliation reconciliation, CancellationToken ct) =>
            {
                var s = ParseEnum(status, "status", QueueStatus.Open);
                var d = ParseEnum(direction, "direction", QueueDirection.Credit);
                return TypedResults.Ok((await reconciliation.QueueAsync(s, d, statementId, skip ?? 0, take ?? 100, ct)).Select(ReconciliationItemDto.From).ToList());
            })
            .WithSummary("Statement lines needing attention (status=Open: Unmatched and Suggested; also Matched, Ignored, All), incoming only unless direction=Debit|All.");

        group.MapPost("/run", async (Reconciliation reconciliation, CancellationToken ct) => TypedResults.Ok(await reconciliation.MatchAsync(null, ct)))
            .RequireAuthorization(Policies.PostToBooks)
            .WithSummary("Match every waiting line of every statement again.");

        group.MapPost("/{lineId:guid}/accept", async (Guid lineId, AcceptSuggestionRequest? request, Reconciliation reconciliation, CancellationToken ct) =>
                Settled(lineId, await reconciliation.AcceptAsync(lineId, request?.Suggestion ?? 0, ct)))
            .RequireAuthorization(Policies.PostToBooks)
            .WithSummary("Accept a suggestion (suggestion = its position, 0 = the best): registers the payment with its allocations. 409 when the line is already settled.");

        group.MapPost("/{lineId:guid}/split", async (Guid lineId, SplitLineRequest? request, Reconciliation reconciliation, CancellationToken ct) =>
            {
                if (request?.PartyId is not { } partyId) throw new ValidationException("partyId", "partyId is required.");
                var errors = new ValidationErrors();
                var allocations = new List<SplitAllocation>();
                for (var i = 0; i < (request.Allocations?.Count ?? 0); i++)
                {
                    var a = request.Allocations![i];
                    if (a is null) { errors.Add($"allocations[{i}]", "allocation is required."); continue; }
                    if (!decimal.TryParse(a.Amount, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                        errors.Add($"allocations[{i}].amount", "amount must be a decimal string such as \"100.00\".");
                    else allocations.Add(new SplitAllocation(a.InvoiceId, value));
                }
                errors.ThrowIfAny();
                return Settled(lineId, await reconciliation.SplitAsync(lineId, partyId, allocations, ct));
            })
            .RequireAuthorization(Policies.PostToBooks)
            .WithSummary("Register the line as a payment of partyId settling the given invoices with the given amounts; what is left stays as the customer's credit.");

        group.MapPost("/{lineId:guid}/assign", async (Guid lineId, AssignLineRequest? request, Reconciliation reconciliation, CancellationToken ct) =>
            {
                if (request?.PartyId is not { } partyId) throw new ValidationException("partyId", "partyId is required.");
                return Settled(lineId, await reconciliation.AssignAsync(lineId, partyId, ct));
            })
            .RequireAuthorization(Policies.PostToBooks)
            .WithSummary("Register the line as a payment on account of partyId: no invoice is settled, the amount is the customer's credit.");

        group.MapPost("/{lineId:guid}/ignore", async (Guid lineId, IgnoreLineRequest? request, Reconciliation reconciliation, CancellationToken ct) =>
            {
                await reconciliation.IgnoreAsync(lineId, request?.Reason, ct);
                return TypedResults.Ok(new LineSettledDto(lineId, null, null));
            })
            .RequireAuthorization(Policies.PostToBooks)
            .WithSummary("Take a line out of the queue without a payment or posting (own transfer, a line booked elsewhere…); reason is required.");

        group.MapPost("/{lineId:guid}/book", async (Guid lineId, BookLineRequest? request, Reconciliation reconciliation, IOptions<PostingAccounts> accounts, CancellationToken ct) =>
                Booked(lineId, await reconciliation.BookAsync(lineId, request?.AccountCode, request?.Note, ct), accounts))
            .RequireAuthorization(Policies.PostToBooks)
            .WithSummary("Book a line that is no payment straight to an account: money out Dr accountCode (default: the bank-fees account) / Cr bank; money in Dr bank / Cr accountCode. 409 when already settled.");
    }

    private static Ok<LineBookedDto> Booked(Guid lineId, JournalEntry entry, IOptions<PostingAccounts> accounts) =>
        TypedResults.Ok(new LineBookedDto(lineId, entry.Id, entry.Lines.First(l => l.AccountCode != accounts.Value.Bank).AccountCode));

    private static Ok<LineSettledDto> Settled(Guid lineId, PaymentResult result) =>
        TypedResults.Ok(new LineSettledDto(lineId, result.Payment.Id, MoneyDto.From(result.Unallocated, result.Payment.Currency)));

    private static T ParseEnum<T>(string? text, string field, T fallback) where T : struct, Enum =>
        string.IsNullOrWhiteSpace(text) ? fallback
        : Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) ? value
        : throw new ValidationException(field, $"{field} must be one of {string.Join(", ", Enum.GetNames<T>())}.");
}
