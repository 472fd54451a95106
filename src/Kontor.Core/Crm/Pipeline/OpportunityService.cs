using Kontor.Common;
using Kontor.Persistence;
using Kontor.Sales;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Crm.Pipeline;

/// <param name="Amount">Net amount; computed from <paramref name="Lines"/> when lines are given.</param>
/// <param name="StageId">Default: the first open stage.</param>
/// <param name="Probability">Default: the stage's.</param>
public sealed record SaveOpportunity(
    string? Name,
    Guid PartyId,
    Guid? ContactId,
    Guid? OwnerUserId,
    decimal? Amount,
    string? Currency,
    int? Probability,
    DateOnly? ExpectedCloseDate,
    Guid? StageId,
    Guid? CampaignId,
    string? Notes,
    IReadOnlyList<InvoiceLineInput>? Lines,
    Guid? LeadId = null);

public enum WonDocument { Offer, Order }

public sealed record OpportunityView(Opportunity Opportunity, PipelineStage Stage, string PartyName, string? OwnerName,
    IReadOnlyList<StageChangeView> History, IReadOnlyList<LinkedDocument> Links);

public sealed record StageChangeView(Guid? FromStageId, string? FromStage, Guid ToStageId, string ToStage, DateTimeOffset At, string ByName);

public sealed record BoardCard(Guid Id, string Name, Guid PartyId, string PartyName, decimal Amount, string Currency, int Probability,
    DateOnly ExpectedCloseDate, Guid? OwnerUserId, string? OwnerName, Guid Version);

/// <summary>A column's sums in one currency: amount and Σ amount × probability.</summary>
public sealed record CurrencyTotal(string Currency, decimal Amount, decimal Weighted);

public sealed record BoardColumn(PipelineStage Stage, IReadOnlyList<BoardCard> Cards, IReadOnlyList<CurrencyTotal> Totals);

/// <summary>One row of the weighted forecast: one owner, one month of expected close, one currency; open stages only.</summary>
public sealed record ForecastRow(Guid? OwnerUserId, string OwnerName, int Year, int Month, string Currency, int Count, decimal Amount, decimal Weighted);

public sealed record WinResult(Opportunity Opportunity, string DocumentType, Guid DocumentId, string? Number);

public sealed record UserOption(Guid Id, string Name);

/// <summary>Opportunities: create, edit, stage moves with history, the board, the weighted forecast, won and lost.</summary>
public sealed class OpportunityService(
    KontorDbContext db,
    UnitOfWork unitOfWork,
    AuditTrail audit,
    ICurrentActor actor,
    Offers.OfferService offers,
    Orders.OrderService orders,
    DocumentLinkQueries links,
    TimeProvider clock)
{
    public const int MaxLines = 200;

    public async Task<Opportunity> CreateAsync(SaveOpportunity command, CancellationToken ct = default)
    {
        var opportunity = new Opportunity { CreatedAt = clock.GetUtcNow() };
        var stage = await ApplyAsync(opportunity, command, isNew: true, ct);
        return await unitOfWork.ExecuteAsync(async token =>
        {
            await AddAsync(opportunity, stage, token);
            return opportunity;
        }, ct);
    }

    /// <summary>Adds a validated opportunity in the caller's transaction (lead conversion), with its first history row.</summary>
    internal Task AddAsync(Opportunity opportunity, PipelineStage stage, CancellationToken ct)
    {
        db.Opportunities.Add(opportunity);
        db.OpportunityStageChanges.Add(new OpportunityStageChange
        {
            OpportunityId = opportunity.Id, FromStageId = null, ToStageId = stage.Id,
            At = opportunity.CreatedAt, ByUserId = actor.UserId, ByName = actor.Name,
        });
        audit.Record("opportunity.created", nameof(Opportunity), opportunity.Id,
            new { opportunity.Name, opportunity.PartyId, opportunity.Amount, opportunity.Currency, stage = stage.Name, opportunity.CampaignId });
        return Task.CompletedTask;
    }

    /// <summary>Validates <paramref name="command"/> into a new opportunity without saving it; returns its stage.</summary>
    internal async Task<PipelineStage> BuildAsync(Opportunity opportunity, SaveOpportunity command, string fieldPrefix, CancellationToken ct) =>
        await ApplyAsync(opportunity, command, isNew: true, ct, fieldPrefix);

    /// <summary>Changes what the opportunity says (not its stage: that is <see cref="MoveAsync"/>).</summary>
    public async Task<Opportunity> UpdateAsync(Guid id, SaveOpportunity command, Guid? expectedVersion, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var opportunity = await LoadAsync(id, token);
            RequireVersion(opportunity, expectedVersion);
            var before = new { opportunity.Name, opportunity.Amount, opportunity.Currency, opportunity.Probability, opportunity.ExpectedCloseDate, opportunity.OwnerUserId };
            db.OpportunityLines.RemoveRange(opportunity.Lines);
            opportunity.Lines.Clear();
            await ApplyAsync(opportunity, command with { StageId = opportunity.StageId }, isNew: false, token);
            db.OpportunityLines.AddRange(opportunity.Lines);
            opportunity.Version = Guid.NewGuid();
            audit.Record("opportunity.changed", nameof(Opportunity), opportunity.Id,
                new { before, after = new { opportunity.Name, opportunity.Amount, opportunity.Currency, opportunity.Probability, opportunity.ExpectedCloseDate, opportunity.OwnerUserId } });
            return opportunity;
        }, ct);

    /// <summary>
    /// Moves the opportunity to another stage: its probability becomes the stage's default, a history row records
    /// from, to, when and who, and the move is audited. <paramref name="expectedVersion"/> (the version the person
    /// saw) must match, else 409. A Lost stage needs <paramref name="lostReason"/>. Moving to the stage it is in changes nothing.
    /// </summary>
    public async Task<Opportunity> MoveAsync(Guid id, Guid stageId, Guid? expectedVersion, string? lostReason = null, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var opportunity = await LoadAsync(id, token);
            RequireVersion(opportunity, expectedVersion);
            var stage = await db.PipelineStages.FirstOrDefaultAsync(s => s.Id == stageId && !s.IsArchived, token)
                        ?? throw new ValidationException("stageId", $"Stage {stageId} does not exist.");
            await MoveInTransactionAsync(opportunity, stage, lostReason, token);
            return opportunity;
        }, ct);

    private async Task MoveInTransactionAsync(Opportunity opportunity, PipelineStage stage, string? lostReason, CancellationToken ct)
    {
        if (opportunity.StageId == stage.Id) return;
        var reason = string.IsNullOrWhiteSpace(lostReason) ? null : lostReason.Trim();
        if (stage.Kind == StageKind.Lost && reason is null)
            throw new ValidationException("lostReason", "Say why the opportunity was lost (lostReason).");
        if (reason is { Length: > 500 }) throw new ValidationException("lostReason", "lostReason must be at most 500 characters.");
        var from = await db.PipelineStages.AsNoTracking().FirstAsync(s => s.Id == opportunity.StageId, ct);
        var now = clock.GetUtcNow();
        opportunity.StageId = stage.Id;
        opportunity.Probability = stage.Probability;
        opportunity.LostReason = stage.Kind == StageKind.Lost ? reason : null;
        opportunity.ClosedAt = stage.Kind == StageKind.Open ? null : now;
        opportunity.Version = Guid.NewGuid();
        db.OpportunityStageChanges.Add(new OpportunityStageChange
        {
            OpportunityId = opportunity.Id, FromStageId = from.Id, ToStageId = stage.Id, At = now, ByUserId = actor.UserId, ByName = actor.Name,
        });
        audit.Record("opportunity.stage-moved", nameof(Opportunity), opportunity.Id,
            new { opportunity.Name, from = from.Name, to = stage.Name, opportunity.Probability, lostReason = opportunity.LostReason });
    }

    /// <summary>Moves the opportunity to the (first) Lost stage with the reason.</summary>
    public async Task<Opportunity> LoseAsync(Guid id, string? reason, Guid? expectedVersion, CancellationToken ct = default)
    {
        var lost = await db.PipelineStages.AsNoTracking().Where(s => s.Kind == StageKind.Lost && !s.IsArchived).OrderBy(s => s.Position).FirstAsync(ct);
        return await MoveAsync(id, lost.Id, expectedVersion, reason, ct);
    }

    /// <summary>
    /// Won: moves the opportunity to the (first) Won stage if it is not there yet and makes an offer draft or an order of
    /// it — its lines, or one line "name" × 1 at the amount when it has none — through <see cref="Offers.OfferService"/> /
    /// <see cref="Orders.OrderService"/> (so their rules and credit control apply), carrying the campaign and linking
    /// opportunity → document, all in one transaction. A won opportunity makes one document: a second attempt is 409.
    /// </summary>
    public async Task<WinResult> WinAsync(Guid id, WonDocument create, Guid? expectedVersion, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(create)) throw new ValidationException("create", "create must be \"offer\" or \"order\".");
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var opportunity = await LoadAsync(id, token);
            RequireVersion(opportunity, expectedVersion);
            var existing = await db.DocumentLinks.AsNoTracking().FirstOrDefaultAsync(l => l.FromId == opportunity.Id, token);
            // One sentence per document: a translation names the offer or the order in its own words.
            if (existing?.ToType == Offers.Offer.DocumentType)
                throw new ConflictException($"Opportunity '{opportunity.Name}' already made offer {existing.ToId}.");
            if (existing?.ToType == Orders.Order.DocumentType)
                throw new ConflictException($"Opportunity '{opportunity.Name}' already made order {existing.ToId}.");
            if (existing is not null)
                throw new ConflictException($"Opportunity '{opportunity.Name}' already made {existing.ToType} {existing.ToId}.");
            var stage = await db.PipelineStages.AsNoTracking().FirstAsync(s => s.Id == opportunity.StageId, token);
            if (stage.Kind == StageKind.Lost)
                throw new ConflictException($"Opportunity '{opportunity.Name}' was lost; move it back to an open stage before winning it.");
            if (stage.Kind != StageKind.Won)
            {
                var won = await db.PipelineStages.Where(s => s.Kind == StageKind.Won && !s.IsArchived).OrderBy(s => s.Position).FirstAsync(token);
                await MoveInTransactionAsync(opportunity, won, null, token);
            }
            var lines = opportunity.Lines.Count > 0
                ? opportunity.Lines.OrderBy(l => l.Position).Select(l => l.ToCopiedInput() is var input && input.VatRateCode == "" ? input with { VatRateCode = null } : input).ToList()
                : [new InvoiceLineInput(null, opportunity.Name, 1, opportunity.Amount, 0, null, null)];
            string type; Guid documentId; string? number;
            if (create == WonDocument.Offer)
            {
                var offer = await offers.CreateDraftAsync(new Offers.SaveOfferDraft(opportunity.PartyId, opportunity.Currency, PricingMode.Net, null,
                    opportunity.Name, lines, opportunity.CampaignId), token);
                (type, documentId, number) = (Offers.Offer.DocumentType, offer.Id, offer.Number);
            }
            else
            {
                var order = await orders.CreateAsync(new Orders.CreateOrder(opportunity.PartyId, opportunity.Currency, PricingMode.Net, opportunity.Name,
                    lines, opportunity.CampaignId), token);
                (type, documentId, number) = (Orders.Order.DocumentType, order.Id, order.Number);
            }
            db.DocumentLinks.Add(new DocumentLink
            {
                FromType = Opportunity.DocumentType, FromId = opportunity.Id, ToType = type, ToId = documentId, CreatedAt = clock.GetUtcNow(),
            });
            opportunity.Version = Guid.NewGuid();
            audit.Record("opportunity.won", nameof(Opportunity), opportunity.Id, new { opportunity.Name, documentType = type, documentId, number });
            return new WinResult(opportunity, type, documentId, number);
        }, ct);
    }

    public async Task<OpportunityView> GetAsync(Guid id, CancellationToken ct = default)
    {
        var opportunity = await db.Opportunities.AsNoTracking().Include(o => o.Lines.OrderBy(l => l.Position))
                              .FirstOrDefaultAsync(o => o.Id == id, ct) ?? throw new NotFoundException("Opportunity", id);
        var stages = await db.PipelineStages.AsNoTracking().ToDictionaryAsync(s => s.Id, ct);
        var partyName = await db.Parties.Where(p => p.Id == opportunity.PartyId).Select(p => p.Name).FirstAsync(ct);
        var owners = await OwnerNamesAsync(ct);
        var history = await db.OpportunityStageChanges.AsNoTracking().Where(c => c.OpportunityId == id).ToListAsync(ct);
        return new OpportunityView(opportunity, stages[opportunity.StageId], partyName,
            opportunity.OwnerUserId is { } owner ? owners.GetValueOrDefault(owner) : null,
            history.OrderBy(c => c.At).ThenBy(c => c.Id).Select(c => new StageChangeView(c.FromStageId, c.FromStageId is { } f ? stages[f].Name : null,
                c.ToStageId, stages[c.ToStageId].Name, c.At, c.ByName)).ToList(),
            await links.OfAsync(id, ct));
    }

    /// <summary>The board: one column per active stage in order, its cards by expected close date, and its totals per currency.</summary>
    public async Task<IReadOnlyList<BoardColumn>> BoardAsync(Guid? ownerUserId, CancellationToken ct = default)
    {
        var stages = await db.PipelineStages.AsNoTracking().Where(s => !s.IsArchived).OrderBy(s => s.Position).ToListAsync(ct);
        var query = db.Opportunities.AsNoTracking();
        if (ownerUserId is not null) query = query.Where(o => o.OwnerUserId == ownerUserId);
        var rows = await query.Join(db.Parties, o => o.PartyId, p => p.Id, (o, p) => new { o, PartyName = p.Name }).ToListAsync(ct);
        var owners = await OwnerNamesAsync(ct);
        return stages.Select(stage =>
        {
            var cards = rows.Where(r => r.o.StageId == stage.Id)
                .OrderBy(r => r.o.ExpectedCloseDate).ThenBy(r => r.o.Name, StringComparer.CurrentCulture)
                .Select(r => new BoardCard(r.o.Id, r.o.Name, r.o.PartyId, r.PartyName, r.o.Amount, r.o.Currency, r.o.Probability, r.o.ExpectedCloseDate,
                    r.o.OwnerUserId, r.o.OwnerUserId is { } u ? owners.GetValueOrDefault(u) : null, r.o.Version)).ToList();
            var totals = cards.GroupBy(c => c.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new CurrencyTotal(g.Key, g.Sum(c => c.Amount), Weighted(g.Select(c => (c.Amount, c.Probability)), g.Key))).ToList();
            return new BoardColumn(stage, cards, totals);
        }).ToList();
    }

    /// <summary>
    /// The weighted pipeline: open-stage opportunities expected to close between <paramref name="from"/> and <paramref name="to"/>
    /// (inclusive), per owner, month of expected close and currency: count, Σ amount and Σ amount × probability
    /// (the weighted sum is rounded once per row to the currency's minor units).
    /// </summary>
    public async Task<IReadOnlyList<ForecastRow>> ForecastAsync(DateOnly? from, DateOnly? to, Guid? ownerUserId = null, CancellationToken ct = default)
    {
        if (from is not null && to is not null && to < from) throw new ValidationException("to", "to cannot be before from.");
        var query = from o in db.Opportunities.AsNoTracking()
                    join s in db.PipelineStages on o.StageId equals s.Id
                    where s.Kind == StageKind.Open
                    select o;
        if (from is not null) query = query.Where(o => o.ExpectedCloseDate >= from);
        if (to is not null) query = query.Where(o => o.ExpectedCloseDate <= to);
        if (ownerUserId is not null) query = query.Where(o => o.OwnerUserId == ownerUserId);
        var rows = await query.Select(o => new { o.OwnerUserId, o.ExpectedCloseDate, o.Currency, o.Amount, o.Probability }).ToListAsync(ct);
        var owners = await OwnerNamesAsync(ct);
        return rows.GroupBy(r => (r.OwnerUserId, r.ExpectedCloseDate.Year, r.ExpectedCloseDate.Month, r.Currency))
            .Select(g => new ForecastRow(g.Key.OwnerUserId, g.Key.OwnerUserId is { } u ? owners.GetValueOrDefault(u) ?? u.ToString() : "—",
                g.Key.Year, g.Key.Month, g.Key.Currency, g.Count(), g.Sum(r => r.Amount), Weighted(g.Select(r => (r.Amount, r.Probability)), g.Key.Currency)))
            .OrderBy(r => r.OwnerName, StringComparer.CurrentCulture).ThenBy(r => r.Year).ThenBy(r => r.Month).ThenBy(r => r.Currency, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Users who can own leads, opportunities and campaigns, for pickers and filters.</summary>
    public async Task<IReadOnlyList<UserOption>> UsersAsync(CancellationToken ct = default) =>
        (await OwnerNamesAsync(ct)).Select(p => new UserOption(p.Key, p.Value)).OrderBy(u => u.Name, StringComparer.CurrentCulture).ToList();

    internal async Task<Dictionary<Guid, string>> OwnerNamesAsync(CancellationToken ct) =>
        (await db.Users.AsNoTracking().Select(u => new { u.Id, u.DisplayName, u.Email, u.UserName }).ToListAsync(ct))
        .ToDictionary(u => u.Id, u => !string.IsNullOrWhiteSpace(u.DisplayName) ? u.DisplayName : u.Email ?? u.UserName ?? u.Id.ToString());

    private static decimal Weighted(IEnumerable<(decimal Amount, int Probability)> items, string currency) =>
        Money.RoundToMinorUnits(items.Sum(i => i.Amount * i.Probability / 100m), Common.Currency.Parse(currency));

    private static void RequireVersion(Opportunity opportunity, Guid? expected)
    {
        if (expected is not null && expected != opportunity.Version)
            throw new ConflictException($"Opportunity '{opportunity.Name}' was changed by someone else; reload it and try again.");
    }

    private async Task<Opportunity> LoadAsync(Guid id, CancellationToken ct) =>
        await db.Opportunities.Include(o => o.Lines).FirstOrDefaultAsync(o => o.Id == id, ct) ?? throw new NotFoundException("Opportunity", id);

    private async Task<PipelineStage> ApplyAsync(Opportunity o, SaveOpportunity c, bool isNew, CancellationToken ct, string prefix = "")
    {
        if (c is null) throw new ValidationException("body", "An opportunity is required.");
        var errors = new ValidationErrors();
        var name = errors.Text(c.Name, prefix + "name", 200);
        var notes = errors.Text(c.Notes, prefix + "notes", 4000, required: false);
        var currency = errors.Try(() => Common.Currency.Parse(c.Currency ?? "PLN"));
        errors.Require(c.Probability is null or >= 0 and <= 100, prefix + "probability", "probability must be between 0 and 100.");
        errors.Require(c.ExpectedCloseDate is not null, prefix + "expectedCloseDate", "expectedCloseDate is required.");
        if (c.LeadId is null)
        {
            errors.Require(await db.Parties.AnyAsync(p => p.Id == c.PartyId, ct), prefix + "partyId", $"Party {c.PartyId} does not exist.");
            if (c.ContactId is { } contactId)
                errors.Require(await db.Contacts.AnyAsync(x => x.Id == contactId && x.PartyId == c.PartyId, ct), prefix + "contactId", $"Contact {contactId} is not a contact of party {c.PartyId}.");
        }
        if (c.OwnerUserId is { } owner)
            errors.Require(await db.Users.AnyAsync(u => u.Id == owner, ct), prefix + "ownerUserId", $"User {owner} does not exist.");
        if (c.CampaignId is { } campaign)
            errors.Require(await db.Campaigns.AnyAsync(x => x.Id == campaign, ct), prefix + "campaignId", $"Campaign {campaign} does not exist.");
        PipelineStage? stage = c.StageId is { } stageId
            ? await db.PipelineStages.AsNoTracking().FirstOrDefaultAsync(s => s.Id == stageId && !s.IsArchived, ct)
            : await db.PipelineStages.AsNoTracking().Where(s => s.Kind == StageKind.Open && !s.IsArchived).OrderBy(s => s.Position).FirstOrDefaultAsync(ct);
        if (stage is null && c.StageId is null) errors.Add(prefix + "stageId", "No open pipeline stage is defined.");
        else if (stage is null) errors.Add(prefix + "stageId", $"Stage {c.StageId} does not exist.");
        else if (isNew && stage.Kind == StageKind.Lost) errors.Add(prefix + "stageId", "A new opportunity cannot start lost.");

        var lines = c.Lines ?? [];
        errors.Require(lines.Count <= MaxLines, prefix + "lines", $"An opportunity has at most {MaxLines} lines.");
        var productIds = lines.Where(l => l?.ProductId is not null).Select(l => l!.ProductId!.Value).Distinct().ToList();
        var products = await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        decimal linesNet = 0;
        var built = new List<OpportunityLine>();
        for (var i = 0; i < Math.Min(lines.Count, MaxLines); i++)
        {
            var input = lines[i];
            var field = $"{prefix}lines[{i}].";
            if (input is null) { errors.Add($"{prefix}lines[{i}]", "line is required."); continue; }
            Catalog.Product? product = null;
            if (input.ProductId is { } productId && !products.TryGetValue(productId, out product))
                errors.Add(field + "productId", $"Product {productId} does not exist.");
            var description = errors.Text(input.Description ?? product?.Name, field + "description", 500);
            errors.Require(input.Quantity > 0 && decimal.Round(input.Quantity, 4) == input.Quantity, field + "quantity", "quantity must be positive with at most 4 decimal places.");
            var price = input.UnitPrice ?? product?.NetPrice;
            errors.Require(price is >= 0, field + "unitPrice", "unitPrice is required (a product's list price is used when it is left out) and cannot be negative.");
            var discount = input.DiscountPercent ?? 0;
            errors.Require(discount is >= 0 and <= 100, field + "discountPercent", "discountPercent must be between 0 and 100.");
            if (price is { } p && currency.Code is not null)
                linesNet += Money.RoundToMinorUnits(input.Quantity * p * (100 - discount) / 100m, currency);
            built.Add(new OpportunityLine
            {
                OpportunityId = o.Id, Position = i + 1, ProductId = input.ProductId, Description = description ?? "",
                Unit = input.Unit ?? product?.Unit ?? "szt.", Quantity = input.Quantity, UnitPrice = price ?? 0, DiscountPercent = discount,
                VatRateCode = input.VatRateCode ?? product?.VatRateCode ?? "",
            });
        }
        var amount = lines.Count > 0 ? linesNet : c.Amount;
        errors.Require(amount is >= 0, prefix + "amount", "amount is required (or give lines) and cannot be negative.");
        if (amount is { } a && currency.Code is not null)
            errors.Require(Money.RoundToMinorUnits(a, currency) == a, prefix + "amount", $"amount has more decimal places than {currency.Code} allows.");
        errors.ThrowIfAny();

        o.Name = name!;
        o.PartyId = c.PartyId;
        o.ContactId = c.ContactId;
        o.OwnerUserId = c.OwnerUserId;
        o.Amount = amount!.Value;
        o.Currency = currency.Code!;
        o.ExpectedCloseDate = c.ExpectedCloseDate!.Value;
        o.CampaignId = c.CampaignId;
        o.Notes = notes;
        if (isNew)
        {
            o.StageId = stage!.Id;
            o.LeadId = c.LeadId;
        }
        o.Probability = c.Probability ?? (isNew ? stage!.Probability : o.Probability);
        o.Lines.AddRange(built);
        return stage!;
    }
}
