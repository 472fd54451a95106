using System.Globalization;
using Kontor.Common;
using Kontor.CustomerCard;
using Kontor.Persistence;
using Kontor.Security;

namespace Kontor.Crm.Credit;

/// <summary>An approval to create or issue a document credit control blocks; honoured only with <see cref="Policies.OverrideCreditBlock"/>.</summary>
public sealed record CreditOverride(string? Reason);

public enum CreditBlockReason { LimitExceeded, Overdue }

/// <summary>
/// What credit control decided for one new document. Amounts are in <see cref="LimitCurrency"/> (the party's credit-limit
/// currency; the company's base currency when the party has no limit). <see cref="Exposure"/> = ledger balance of the
/// party in that currency + the document's gross when it is in that currency.
/// </summary>
public sealed record CreditDecision(
    Guid PartyId,
    string PartyName,
    string LimitCurrency,
    decimal? CreditLimit,
    decimal Balance,
    string DocumentCurrency,
    decimal DocumentGross,
    decimal Exposure,
    decimal? ExceededBy,
    decimal OverdueAmount,
    int DaysOverdue,
    int OverdueDaysThreshold,
    IReadOnlyList<CreditBlockReason> Reasons)
{
    public bool Blocked => Reasons.Count > 0;

    /// <summary>English, invariant figures: the API's problem detail and the audit read the same sentence.</summary>
    public string Message
    {
        get
        {
            var parts = new List<string>();
            if (Reasons.Contains(CreditBlockReason.LimitExceeded))
                parts.Add(DocumentCurrency == LimitCurrency
                    ? $"credit limit {F(CreditLimit!.Value)} {LimitCurrency} exceeded by {F(ExceededBy!.Value)} {LimitCurrency} (balance {F(Balance)} + this document {F(DocumentGross)})"
                    : $"credit limit {F(CreditLimit!.Value)} {LimitCurrency} is used up (balance {F(Balance)} {LimitCurrency}; this document is in {DocumentCurrency})");
            if (Reasons.Contains(CreditBlockReason.Overdue))
                parts.Add($"overdue debt {DaysOverdue} days past due, more than the allowed {OverdueDaysThreshold} days (overdue {F(OverdueAmount)} {LimitCurrency})");
            return parts.Count == 0
                ? $"{PartyName}: within credit."
                : $"Credit control blocks new documents for {PartyName}: {string.Join("; ", parts)}. A user with the {Policies.OverrideCreditBlock} permission may approve it with a reason.";
        }
    }

    private static string F(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}

/// <summary>Creating or issuing the document was refused by credit control (409, code "credit-blocked"); nothing was written.</summary>
public sealed class CreditBlockedException : Exception
{
    public const string Code = "credit-blocked";

    public CreditBlockedException(CreditDecision decision) : base(decision.Message) => Decision = decision;

    /// <summary>A batch item refused: the message starts with <paramref name="item"/> (e.g. <c>orders[3]</c>).</summary>
    public CreditBlockedException(CreditDecision decision, string item) : base($"{item}: {decision.Message}")
    {
        Decision = decision;
        Item = item;
    }

    public CreditDecision Decision { get; }

    /// <summary>The refused item of a batch (<c>orders[3]</c>); null for a single document.</summary>
    public string? Item { get; }
}

/// <summary>One new document credit control is asked about in <see cref="CreditControl.CheckInOrderAsync"/>.</summary>
public sealed record CreditRequest(Guid PartyId, string Currency, decimal Gross);

/// <summary>
/// Credit control (docs/decisions.md, "Credit control"): a new order, pro forma or invoice is blocked when the party's
/// exposure would go over its credit limit, or when its oldest unpaid receivable is more than the company's
/// <see cref="Company.CompanyProfile.CreditOverdueDaysThreshold"/> days past due. Figures come from
/// <see cref="CustomerOverviewQuery"/> (the ledger), so the card and the block never disagree.
/// </summary>
public sealed class CreditControl(CustomerOverviewQuery overviews, ReferenceData referenceData, ICurrentActor actor, AuditTrail audit)
{
    public const string OverrideAuditAction = "credit.override";
    public const int MaxReasonLength = 1000;

    /// <summary>The rule itself, free of the database: table-tested.</summary>
    public static IReadOnlyList<CreditBlockReason> Decide(decimal? creditLimit, string limitCurrency, decimal balance,
        decimal documentGross, string documentCurrency, int daysOverdue, int overdueDaysThreshold) =>
        Decide(creditLimit, limitCurrency, balance, documentGross, documentCurrency, daysOverdue, overdueDaysThreshold, out _);

    private static IReadOnlyList<CreditBlockReason> Decide(decimal? creditLimit, string limitCurrency, decimal balance,
        decimal documentGross, string documentCurrency, int daysOverdue, int overdueDaysThreshold, out decimal exposure)
    {
        var reasons = new List<CreditBlockReason>();
        var sameCurrency = documentCurrency == limitCurrency;
        exposure = balance + (sameCurrency ? documentGross : 0m);
        // A document in another currency cannot be added to the limit without a rate; it is refused only once the limit
        // is already used up (any further amount would exceed it). Exactly at the limit is allowed for a same-currency document.
        if (creditLimit is { } limit && (sameCurrency ? exposure > limit : balance >= limit))
            reasons.Add(CreditBlockReason.LimitExceeded);
        // "Beyond" the threshold: 30 days past due with a threshold of 30 is still allowed, 31 is not.
        if (daysOverdue > overdueDaysThreshold)
            reasons.Add(CreditBlockReason.Overdue);
        return reasons;
    }

    public async Task<CreditDecision> CheckAsync(Guid partyId, string documentCurrency, decimal documentGross, CancellationToken ct = default) =>
        (await CheckInOrderAsync([new CreditRequest(partyId, documentCurrency, documentGross)], earlierAddUp: false, ct))[0];

    /// <summary>
    /// Credit control over several new documents, in the order given, with the parties' figures read once for all of them
    /// (<see cref="CustomerOverviewQuery.CreditFiguresAsync"/>), each decided as <see cref="CheckAsync"/> would. With
    /// <paramref name="earlierAddUp"/> (invoices: they become the party's debt in the same transaction) a document is decided
    /// with the party's earlier documents of the list in the same currency that were not blocked added to it
    /// (<see cref="CreditDecision.DocumentGross"/> is that sum); a blocked one adds nothing. Without it (orders: an accepted
    /// order is no debt in the ledger, so a committed one does not change the next one's exposure either) each is decided
    /// alone. A party that does not exist is <see cref="NotFoundException"/>.
    /// </summary>
    public async Task<IReadOnlyList<CreditDecision>> CheckInOrderAsync(IReadOnlyList<CreditRequest> requests, bool earlierAddUp, CancellationToken ct = default)
    {
        var figures = await overviews.CreditFiguresAsync(requests.Select(r => r.PartyId).Distinct().ToList(), ct);
        var threshold = await ThresholdAsync(ct);
        var accepted = new Dictionary<(Guid PartyId, string Currency), decimal>();
        var decisions = new List<CreditDecision>(requests.Count);
        foreach (var request in requests)
        {
            var party = figures.GetValueOrDefault(request.PartyId) ?? throw new NotFoundException("Party", request.PartyId);
            var earlier = earlierAddUp ? accepted.GetValueOrDefault((request.PartyId, request.Currency)) : 0m;
            var decision = Decide(party, request.Currency, earlier + request.Gross, threshold);
            if (!decision.Blocked) accepted[(request.PartyId, request.Currency)] = earlier + request.Gross;
            decisions.Add(decision);
        }
        return decisions;
    }

    private async Task<int> ThresholdAsync(CancellationToken ct) =>
        (await referenceData.GetAsync(ct)).Company?.CreditOverdueDaysThreshold ?? Company.CompanyProfile.InitialCreditOverdueDaysThreshold;

    private static CreditDecision Decide(CreditFigures party, string documentCurrency, decimal documentGross, int threshold)
    {
        var reasons = Decide(party.CreditLimit, party.Currency, party.Balance, documentGross, documentCurrency,
            party.DaysOverdue, threshold, out var exposure);
        return new CreditDecision(party.PartyId, party.PartyName, party.Currency, party.CreditLimit, party.Balance,
            documentCurrency, documentGross, exposure,
            party.CreditLimit is { } limit && exposure > limit && documentCurrency == party.Currency ? exposure - limit : null,
            party.OverdueAmount, party.DaysOverdue, threshold, reasons);
    }

    /// <summary>
    /// For the customer card: would the next sale (the smallest amount, 0.01 in the limit's currency) be blocked?
    /// The same rule as at creation, so the flag and the editor never disagree.
    /// </summary>
    public async Task<CreditDecision> ForNextSaleAsync(Guid partyId, CancellationToken ct = default) =>
        await ForNextSaleAsync((await overviews.CreditFiguresAsync([partyId], ct)).GetValueOrDefault(partyId) ?? throw new NotFoundException("Party", partyId), ct);

    /// <summary>
    /// <see cref="ForNextSaleAsync(Guid, CancellationToken)"/> on figures the caller already has — the customer card passes
    /// its overview's (<see cref="CustomerOverview.CreditFigures"/>), so one card computes the overview once.
    /// </summary>
    public async Task<CreditDecision> ForNextSaleAsync(CreditFigures party, CancellationToken ct = default) =>
        Decide(party, party.Currency, 0.01m, await ThresholdAsync(ct));

    /// <summary>
    /// Before a document is written: an override from a user without the permission is 403 (whether or not it was needed);
    /// a block without an override is <see cref="CreditBlockedException"/>; an honoured override is audited as
    /// <see cref="OverrideAuditAction"/> in the caller's transaction. Returns the override reason recorded, or null.
    /// </summary>
    public async Task<string?> EnforceAsync(string documentType, Guid documentId, Guid partyId, string documentCurrency, decimal documentGross,
        CreditOverride? creditOverride, CancellationToken ct = default)
    {
        if (creditOverride is not null && !actor.HasPermission(Policies.OverrideCreditBlock))
            throw new ForbiddenException(Policies.OverrideCreditBlock,
                $"Approving a credit block needs the {Policies.OverrideCreditBlock} permission (roles {string.Join(", ", Policies.RolesByPolicy[Policies.OverrideCreditBlock])}).");
        var decision = await CheckAsync(partyId, documentCurrency, documentGross, ct);
        if (!decision.Blocked) return null;
        if (creditOverride is null) throw new CreditBlockedException(decision);
        var reason = creditOverride.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
            throw new ValidationException("creditOverride.reason", "Give the reason for approving the document despite the credit block.");
        if (reason.Length > MaxReasonLength)
            throw new ValidationException("creditOverride.reason", $"The reason is at most {MaxReasonLength} characters.");
        audit.Record(OverrideAuditAction, documentType, documentId, new
        {
            partyId, partyName = decision.PartyName, documentType, documentId,
            currency = documentCurrency, gross = documentGross,
            limitCurrency = decision.LimitCurrency, creditLimit = decision.CreditLimit, balance = decision.Balance,
            exposure = decision.Exposure, exceededBy = decision.ExceededBy,
            daysOverdue = decision.DaysOverdue, overdueDaysThreshold = decision.OverdueDaysThreshold, overdueAmount = decision.OverdueAmount,
            reasons = decision.Reasons.Select(r => r.ToString()).ToList(),
            reason, user = actor.Name,
        });
        return reason;
    }
}
