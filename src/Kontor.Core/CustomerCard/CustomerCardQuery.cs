using Kontor.Crm;
using Kontor.Crm.Complaints;
using Kontor.Crm.Credit;
using Kontor.Persistence;
using Kontor.Sales;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.CustomerCard;

/// <summary>Corrections of the party's invoices that lowered a quantity (goods returned or not delivered).</summary>
public sealed record ReturnsSummary(int CorrectionCount, int ReturnCount);

public sealed record ComplaintCounts(int Open, int Overdue, int Total);

/// <summary>
/// The complete customer card (docs/crm.md, "Customer card"): the ledger overview plus CRM figures.
/// <see cref="Margin"/> is null unless the reader may see cost and margin (<see cref="CustomerCardQuery.MayReadMargin"/>);
/// <see cref="OpenOpportunities"/> is null while no pipeline is wired (<see cref="IOpenOpportunityCounter"/>).
/// </summary>
/// <param name="Dso">Days sales outstanding: balance ÷ credit sales of the period × the period's days (docs/decisions.md §35); null without such sales.</param>
/// <param name="DsoPeriodDays">The period DSO is taken over: the last 90 days, or fewer for a customer whose first sale is more recent
/// (from that sale's day to today) — a month-old customer's unpaid first invoice is 30 days outstanding, not 90.</param>
/// <param name="AtRisk">Credit control would block the next sale (overdue beyond the threshold or over the limit): the same decision, not recomputed.</param>
public sealed record CustomerCardFigures(
    CustomerOverview Overview,
    MarginFigures? Margin,
    bool MarginHidden,
    ReturnsSummary Returns,
    ComplaintCounts Complaints,
    int? OpenOpportunities,
    PaymentMethod? PreferredPaymentMethod,
    decimal CreditSales90Days,
    decimal? Dso,
    bool AtRisk,
    IReadOnlyList<CreditBlockReason> RiskReasons,
    string RiskMessage,
    int DsoPeriodDays = CustomerCardQuery.DsoWindowDays);

/// <summary>
/// Hook for the pipeline: how many open opportunities a party has. Nothing implements it in this branch, so the card
/// shows none; the pipeline registers its implementation (services.AddScoped&lt;IOpenOpportunityCounter, …&gt;()).
/// </summary>
public interface IOpenOpportunityCounter
{
    Task<int> CountOpenAsync(Guid partyId, CancellationToken ct);
}

public sealed class CustomerCardQuery(
    KontorDbContext db, CustomerOverviewQuery overviews, SalesMargins margins, CreditControl creditControl, ICurrentActor actor,
    Company.BusinessCalendar calendar, IEnumerable<IOpenOpportunityCounter> opportunityCounters)
{
    public const int DsoWindowDays = 90;

    /// <summary>Margin and cost of goods are for those who read the books (Admin, Manager, Accountant); Sales sees the rest of the card.</summary>
    public bool MayReadMargin => actor.HasPermission(Policies.ReadBooks);

    public async Task<CustomerCardFigures> GetAsync(Guid partyId, CancellationToken ct = default)
    {
        var overview = await overviews.GetAsync(partyId, ct);
        var today = calendar.Today();
        var preferred = await db.Parties.Where(p => p.Id == partyId).Select(p => p.PreferredPaymentMethod).FirstAsync(ct);
        var margin = MayReadMargin ? await margins.ForPartyAsync(partyId, ct) : null;

        var corrections = await db.Invoices.AsNoTracking()
            .Where(i => i.PartyId == partyId && i.Kind == InvoiceKind.Correction && i.Status == InvoiceStatus.Issued)
            .Select(i => new { i.Id, Lowered = i.Lines.Any(l => l.BeforeQuantity != null && l.Quantity < l.BeforeQuantity) })
            .ToListAsync(ct);

        var complaints = await db.Set<Complaint>().AsNoTracking().Where(c => c.PartyId == partyId)
            .Select(c => new { c.Status, c.ResponseDueOn, c.ResolutionDueOn }).ToListAsync(ct);
        bool Open(ComplaintStatus s) => s is ComplaintStatus.New or ComplaintStatus.InReview;

        var windowStart = today.AddDays(-(DsoWindowDays - 1));
        var sales = db.Invoices.AsNoTracking()
            .Where(i => i.PartyId == partyId && i.Status == InvoiceStatus.Issued && i.Kind != InvoiceKind.ProForma && i.Currency == overview.Currency && i.IssueDate <= today);
        // One statement for both figures: the card's page has a statement budget (CustomerCardRenderTests).
        var salesFigures = await sales.GroupBy(i => i.PartyId)
            .Select(g => new { InWindow = g.Sum(i => i.IssueDate >= windowStart ? i.TotalGross : 0m), First = g.Min(i => i.IssueDate) })
            .FirstOrDefaultAsync(ct);
        var creditSales = salesFigures?.InWindow ?? 0m;
        var periodDays = DsoPeriodDays(salesFigures?.First, today);

        // Credit control decides on the overview just read, not on a second reading of the same ledger rows.
        var credit = await creditControl.ForNextSaleAsync(overview.CreditFigures, ct);
        int? opportunities = null;
        foreach (var counter in opportunityCounters) opportunities = (opportunities ?? 0) + await counter.CountOpenAsync(partyId, ct);

        return new CustomerCardFigures(
            overview, margin, !MayReadMargin,
            new ReturnsSummary(corrections.Count, corrections.Count(c => c.Lowered)),
            new ComplaintCounts(
                complaints.Count(c => Open(c.Status)),
                complaints.Count(c => Open(c.Status) && (today > c.ResolutionDueOn || (c.Status == ComplaintStatus.New && today > c.ResponseDueOn))),
                complaints.Count),
            opportunities, preferred, creditSales, Dso(overview.Balance, creditSales, periodDays), credit.Blocked, credit.Reasons, credit.Message, periodDays);
    }

    /// <summary>
    /// The days DSO is taken over: <see cref="DsoWindowDays"/>, or from the customer's first sale to today (both counted) when that is
    /// later — sales that cannot have happened before the first one must not be averaged over days without them.
    /// </summary>
    public static int DsoPeriodDays(DateOnly? firstSale, DateOnly today) =>
        firstSale is { } first ? Math.Clamp(today.DayNumber - first.DayNumber + 1, 1, DsoWindowDays) : DsoWindowDays;

    /// <summary>
    /// Days sales outstanding = receivables balance ÷ credit sales of the period × the period's days (<see cref="DsoPeriodDays"/>),
    /// rounded to 0.1 day; 0 when nothing is owed; null when there were no credit sales in the period (the ratio means nothing).
    /// </summary>
    public static decimal? Dso(decimal balance, decimal creditSales, int periodDays = DsoWindowDays)
    {
        if (balance <= 0) return creditSales > 0 ? 0m : null;
        if (creditSales <= 0) return null;
        return decimal.Round(balance / creditSales * periodDays, 1, MidpointRounding.AwayFromZero);
    }
}
