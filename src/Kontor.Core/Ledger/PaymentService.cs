using Kontor.Common;
using Kontor.Company;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kontor.Ledger;

public sealed record AllocationInput(Guid InvoiceId, decimal Amount);

/// <param name="Allocations">Explicit settlement of invoices; null or empty settles the oldest open invoices first.</param>
/// <param name="Direction">Outgoing: a payment to a supplier, settling its booked purchase invoices (InvoiceId = the purchase invoice).</param>
/// <param name="OnAccount">Settle nothing: the whole amount stays as the party's credit (a payment on account, e.g. a bank line assigned to a party without invoices).</param>
/// <param name="Via">Which money account the payment moves: the bank (130) or the payment-gateway clearing account (145) for web-shop money
/// the gateway has not paid out yet (docs/commerce.md "Gateway clearing"): a customer's payment or a refund to a customer; a supplier is paid from the bank.</param>
/// <param name="CustomerRefund">With <see cref="PaymentDirection.Outgoing"/>: money paid back to a customer, settling the customer's credits
/// (a correction that lowered an invoice already paid, or an overpayment; Allocations name the correction invoice or the payment):
/// Dr 201 / Cr the money account, and the exchange difference against the rate the credit was booked at (docs/currencies.md).</param>
public sealed record RegisterPayment(Guid PartyId, DateOnly? Date, decimal Amount, string? Currency, string? Reference, IReadOnlyList<AllocationInput>? Allocations,
    PaymentDirection Direction = PaymentDirection.Incoming, bool OnAccount = false, PaymentVia Via = PaymentVia.Bank, bool CustomerRefund = false);

public sealed record PaymentResult(Payment Payment, decimal Unallocated);

/// <summary>
/// Registers money received from a party: posts bank against receivables and settles open items in
/// one transaction. What is not allocated stays as a credit open item (overpayment) on the party.
/// An outgoing payment (to a supplier) is the mirror image: payables against bank, settling payable open items,
/// the rest staying as a prepaid open item.
/// </summary>
public sealed class PaymentService(KontorDbContext db, UnitOfWork unitOfWork, Journal journal, AuditTrail audit,
    IOptions<PostingAccounts> accounts, BusinessCalendar calendar, TimeProvider clock, ICurrentActor actor,
    ExchangeDifferences exchangeDifferences)
{
    /// <summary>Most payments <see cref="RegisterManyAsync"/> takes at once (the transaction is held for all of them).</summary>
    public const int MaxBatch = 500;

    /// <summary>The source type of a payment's journal entry and of the credit it leaves (the document trail names the payment).</summary>
    public const string SourceType = "payment";

    /// <summary>One payment: <see cref="RegisterManyAsync"/> with one item, field names unprefixed.</summary>
    public async Task<PaymentResult> RegisterAsync(RegisterPayment command, CancellationToken ct = default) =>
        (await RegisterAsync([command], batch: false, ct))[0];

    /// <summary>
    /// Several payments in one unit of work (joining the caller's), each registered exactly as <see cref="RegisterAsync"/>
    /// would register it, in the order given: the same journal entries, allocations, open items, realised exchange
    /// differences and audit records, a later payment seeing the open items earlier ones of the batch settled or left.
    /// The parties and their open items are read once for the whole batch; nothing is saved per payment. All or nothing:
    /// one refused payment refuses the batch, and its errors name it (<c>payments[3].allocations[0].amount</c>; a ledger
    /// refusal's message starts with <c>payments[3]:</c>). Foreign-currency payments each read their book rate; PLN ones read nothing more.
    /// </summary>
    public async Task<IReadOnlyList<PaymentResult>> RegisterManyAsync(IReadOnlyList<RegisterPayment> commands, CancellationToken ct = default)
    {
        if (commands is null || commands.Count == 0) throw new ValidationException("payments", "Give at least one payment.");
        if (commands.Count > MaxBatch) throw new ValidationException("payments", $"At most {MaxBatch} payments can be registered at once.");
        return await RegisterAsync(commands, batch: true, ct);
    }

    private sealed record Checked(RegisterPayment Command, Currency Currency, string? Reference, IReadOnlyList<AllocationInput> Allocations, DateOnly Date);

    private async Task<IReadOnlyList<PaymentResult>> RegisterAsync(IReadOnlyList<RegisterPayment> commands, bool batch, CancellationToken ct)
    {
        string Prefix(int i) => batch ? $"payments[{i}]." : "";
        var valid = new Checked[commands.Count];
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < commands.Count; i++)
        {
            if (commands[i] is null) { errors[batch ? $"payments[{i}]" : "body"] = [Messages.Translate("payment is required.")]; continue; }
            try { valid[i] = Check(commands[i]); }
            catch (ValidationException e) { foreach (var (field, messages) in e.Errors) errors[Prefix(i) + field] = messages; }
        }
        if (errors.Count > 0) throw new ValidationException(errors);

        return await unitOfWork.ExecuteAsync(async token =>
        {
            var partyIds = valid.Select(v => v.Command.PartyId).Distinct().ToList();
            var existing = new HashSet<Guid>();
            foreach (var chunk in partyIds.Chunk(500))
                existing.UnionWith(await db.Parties.Where(p => chunk.Contains(p.Id)).Select(p => p.Id).ToListAsync(token));
            for (var i = 0; i < valid.Length; i++)
                if (!existing.Contains(valid[i].Command.PartyId))
                    errors[Prefix(i) + "partyId"] = [Messages.Format("Party {0} does not exist.", valid[i].Command.PartyId)];
            if (errors.Count > 0) throw new ValidationException(errors);

            var settling = valid.Where(v => !v.Command.OnAccount).ToList();
            // Payments that name what they settle (a shop's gateway payment, a person's allocation) read only those documents'
            // items, not every open item of the party; one that settles oldest first needs them all.
            var only = settling.All(v => v.Command.Allocations is { Count: > 0 })
                ? settling.SelectMany(v => v.Command.Allocations!).Select(a => a.InvoiceId).Distinct().ToList()
                : null;
            var pool = await OpenItemPool.LoadAsync(db, [.. settling.Select(v => (v.Command.PartyId, Side(v.Command), v.Currency.Code!))], only, token);
            var results = new List<PaymentResult>(valid.Length);
            for (var i = 0; i < valid.Length; i++)
            {
                try { results.Add(await RegisterOneAsync(valid[i], pool, token)); }
                catch (ValidationException e) when (batch)
                {
                    throw new ValidationException(e.Errors.ToDictionary(x => Prefix(i) + x.Key, x => x.Value.ToArray()));
                }
                catch (LedgerPostingException e) when (batch)
                {
                    throw new LedgerPostingException($"payments[{i}]: {e.Message}");
                }
            }
            return results;
        }, ct);
    }

    private Checked Check(RegisterPayment command)
    {
        var errors = new ValidationErrors();
        var currency = errors.Try(() => Currency.Parse(command.Currency ?? "PLN"));
        errors.Require(command.Amount > 0, "amount", "amount must be greater than zero.");
        errors.Require(command.Amount < Sales.InvoiceService.MaxAmount, "amount", $"amount must stay below {Sales.InvoiceService.MaxAmount:#,0}.");
        if (currency.Code is not null)
            errors.Require(Money.RoundToMinorUnits(command.Amount, currency) == command.Amount, "amount", $"amount must be in whole {currency.Code} minor units.");
        var reference = errors.Text(command.Reference, "reference", 200, required: false);
        var allocations = command.Allocations ?? [];
        for (var i = 0; i < allocations.Count; i++)
        {
            errors.Require(allocations[i].Amount > 0, $"allocations[{i}].amount", "an allocation must be greater than zero.");
            if (currency.Code is not null)
                errors.Require(Money.RoundToMinorUnits(allocations[i].Amount, currency) == allocations[i].Amount, $"allocations[{i}].amount", $"an allocation must be in whole {currency.Code} minor units.");
        }
        errors.Require(allocations.Sum(a => a.Amount) <= command.Amount, "allocations", "allocations add up to more than the payment.");
        errors.Require(allocations.Select(a => a.InvoiceId).Distinct().Count() == allocations.Count, "allocations", "an invoice appears twice in allocations.");
        errors.Require(!command.OnAccount || allocations.Count == 0, "allocations", "a payment on account settles no invoices.");
        errors.Require(!command.CustomerRefund || command.Direction == PaymentDirection.Outgoing, "direction", "a refund to a customer is an outgoing payment.");
        errors.Require(!command.CustomerRefund || !command.OnAccount, "onAccount", "a refund settles the customer's credit; it is not a payment on account.");
        errors.Require(Enum.IsDefined(command.Via), "via", "via must be Bank or GatewayClearing.");
        // 145 holds what the gateway owes the company for its customers' payments; paying a supplier takes money out of the
        // company's own account (even through a gateway's pay-by-link the payer's bank is debited), so a supplier's payment
        // through 145 would leave the clearing account below what the payout brings and the bank debit unmatched.
        errors.Require(command.Via != PaymentVia.GatewayClearing || command.Direction == PaymentDirection.Incoming || command.CustomerRefund, "via",
            "a supplier is paid from the bank; the payment gateway clearing account only takes customers' payments and their refunds.");
        errors.ThrowIfAny();
        return new Checked(command, currency, reference, allocations, command.Date ?? calendar.Today());
    }

    private static OpenItemSide Side(RegisterPayment command) =>
        command.CustomerRefund ? OpenItemSide.Credit : command.Direction == PaymentDirection.Outgoing ? OpenItemSide.Payable : OpenItemSide.Receivable;

    /// <summary>One payment inside the batch's unit of work: posts, allocates, leaves the rest as a credit, audits.</summary>
    private async Task<PaymentResult> RegisterOneAsync(Checked v, OpenItemPool pool, CancellationToken token)
    {
        var (command, currency, reference, allocations, date) = v;
        var outgoing = command.Direction == PaymentDirection.Outgoing;
        var refund = command.CustomerRefund;
        var payment = new Payment
        {
            PartyId = command.PartyId,
            Date = date,
            Amount = command.Amount,
            Currency = currency.Code!,
            Reference = reference,
            Direction = command.Direction,
            Via = command.Via,
            RegisteredAt = clock.GetUtcNow(),
            RegisteredBy = actor.Name,
        };
        var plan = PlanAllocations(command, currency.Code!, allocations, pool);
        var remaining = command.Amount - plan.Sum(p => p.Amount);
        // A refund only gives back what the customer has to its credit: paying out more would make a receivable out of nothing.
        if (refund && remaining > 0)
            throw new ValidationException("amount", $"The refund is {remaining} {currency.Code} more than the customer's credit it settles.");
        var a = accounts.Value;
        var money = command.Via == PaymentVia.GatewayClearing ? a.GatewayClearing : a.Bank;
        var entry = await journal.PostAsync(date, $"{(refund ? "Refund" : "Payment")} {reference}".TrimEnd(), SourceType, payment.Id, reference, currency, refund
            ?
            [
                new JournalLineDraft(a.Receivables, Debit: command.Amount, Credit: 0, command.PartyId),
                new JournalLineDraft(money, Debit: 0, Credit: command.Amount),
            ]
            : outgoing
            ?
            [
                new JournalLineDraft(a.Payables, Debit: command.Amount, Credit: 0, command.PartyId),
                new JournalLineDraft(money, Debit: 0, Credit: command.Amount),
            ]
            :
            [
                new JournalLineDraft(money, Debit: command.Amount, Credit: 0),
                new JournalLineDraft(a.Receivables, Debit: 0, Credit: command.Amount, command.PartyId),
            ], token);

        // The PLN the payment moved on the party's account, shared over what it settles (docs/currencies.md "Realised exchange
        // differences"). Payables carry no book amount yet (TakeBase gives null), so a payment to a supplier realises nothing;
        // a refund of a customer's credit does (the credit carries the PLN it was booked at).
        var bookCurrency = Currency.Parse(entry.BaseCurrency);
        var credited = entry.Lines.Where(l => l.AccountCode == (outgoing && !refund ? a.Payables : a.Receivables)).Sum(l => l.BaseCredit + l.BaseDebit);
        var shares = ExchangeDifferences.Split(credited, [.. plan.Select(p => p.Amount), remaining], bookCurrency);
        var differences = new List<RealisedDifference>();
        for (var i = 0; i < plan.Count; i++)
        {
            var (item, amount) = plan[i];
            var settledBase = ExchangeDifferences.TakeBase(item, amount, bookCurrency);
            item.OpenAmount -= amount;
            item.Version = Guid.NewGuid();
            if (item.OpenAmount == 0) item.SettledOn = date;
            var allocation = new PaymentAllocation { PaymentId = payment.Id, OpenItemId = item.Id, SourceId = item.SourceId, Amount = amount, Date = date };
            if (settledBase is { } settled)
            {
                // Positive is a gain either way: a payment that brought in more PLN than the receivable carried, or a refund that
                // paid out less than the credit carried (the credit sits on 201 at the rate it was booked at, the refund leaves at its own).
                var difference = refund ? settled - shares[i] : shares[i] - settled;
                allocation.SettledBaseAmount = settled;
                allocation.PaymentBaseAmount = shares[i];
                allocation.ExchangeDifference = difference;
                differences.Add(new RealisedDifference(command.PartyId, item, difference));
            }
            payment.Allocations.Add(allocation);
        }
        if (remaining > 0)
        {
            var credit = new OpenItem
            {
                PartyId = command.PartyId,
                Side = outgoing ? OpenItemSide.Prepaid : OpenItemSide.Credit,
                SourceType = PaymentService.SourceType,
                SourceId = payment.Id,
                DocumentNumber = reference,
                DocumentDate = date,
                Currency = currency.Code!,
                Amount = remaining,
                OpenAmount = remaining,
                BaseAmount = shares[^1],
                OpenBaseAmount = shares[^1],
            };
            db.OpenItems.Add(credit);
            // A later refund of the same batch may give it back, as it would once this payment were committed.
            pool.Add(credit);
        }
        db.Payments.Add(payment);
        await exchangeDifferences.PostAsync(date, payment.Id, reference, bookCurrency, differences, token);
        audit.Record(refund ? "payment.refunded" : outgoing ? "payment.paid" : "payment.registered", nameof(Payment), payment.Id, new
        {
            command.PartyId, payment.Direction, via = command.Via.ToString(), money, payment.Date, payment.Amount, payment.Currency, payment.Reference,
            allocations = payment.Allocations.Select(x => new { invoiceId = x.SourceId, x.Amount, x.ExchangeDifference }),
            unallocated = remaining,
        });
        return new PaymentResult(payment, remaining);
    }

    private static List<(OpenItem Item, decimal Amount)> PlanAllocations(RegisterPayment command, string currency,
        IReadOnlyList<AllocationInput> explicitAllocations, OpenItemPool pool)
    {
        var plan = new List<(OpenItem, decimal)>();
        if (command.OnAccount) return plan;
        var open = pool.OpenOldestFirst(command.PartyId, Side(command), currency);
        if (explicitAllocations.Count > 0)
        {
            var ids = explicitAllocations.Select(a => a.InvoiceId).ToHashSet();
            var items = open.Where(o => ids.Contains(o.SourceId)).ToDictionary(o => o.SourceId);
            var errors = new ValidationErrors();
            for (var i = 0; i < explicitAllocations.Count; i++)
            {
                var allocation = explicitAllocations[i];
                if (!items.TryGetValue(allocation.InvoiceId, out var item))
                {
                    if (command.CustomerRefund)
                        errors.Add($"allocations[{i}].invoiceId", $"Document {allocation.InvoiceId} leaves this party no open {currency} credit to refund.");
                    else
                        errors.Add($"allocations[{i}].invoiceId", $"Invoice {allocation.InvoiceId} is not an open {currency} invoice of this party.");
                }
                else if (allocation.Amount > item.OpenAmount)
                    errors.Add($"allocations[{i}].amount", $"Invoice {item.DocumentNumber} has only {item.OpenAmount} {currency} left to pay.");
                else
                    plan.Add((item, allocation.Amount));
            }
            errors.ThrowIfAny();
            return plan;
        }

        var left = command.Amount;
        foreach (var item in open)
        {
            if (left <= 0) break;
            var amount = Math.Min(left, item.OpenAmount);
            plan.Add((item, amount));
            left -= amount;
        }
        return plan;
    }

    /// <summary>
    /// The open items a batch of payments may settle, read once (tracked) and then kept in memory: a payment lowers them
    /// and adds its unallocated rest, so the next payment of the batch sees what it would see had the earlier ones been committed.
    /// Oldest first is the database's order (due date, document date, number — read with ORDER BY, so each provider's
    /// collation and NULL placement decide as before); an item added by the batch is placed among them by the same keys.
    /// </summary>
    private sealed class OpenItemPool
    {
        private readonly Dictionary<(Guid PartyId, OpenItemSide Side, string Currency), List<OpenItem>> items = new();
        private readonly Dictionary<OpenItem, int> rank = new(ReferenceEqualityComparer.Instance);
        private readonly bool nullsFirst;

        private OpenItemPool(bool nullsFirst) => this.nullsFirst = nullsFirst;

        /// <param name="onlySources">When given, only the open items of these documents (every payment names what it settles).</param>
        public static async Task<OpenItemPool> LoadAsync(KontorDbContext db, IReadOnlyList<(Guid PartyId, OpenItemSide Side, string Currency)> wanted,
            IReadOnlyList<Guid>? onlySources, CancellationToken ct)
        {
            // SQLite sorts NULL first in ascending order, PostgreSQL last.
            var pool = new OpenItemPool(nullsFirst: !db.Database.IsNpgsql());
            var keys = wanted.ToHashSet();
            var parties = keys.Select(k => k.PartyId).Distinct().ToList();
            var sides = keys.Select(k => k.Side).Distinct().ToList();
            var currencies = keys.Select(k => k.Currency).Distinct().ToList();
            foreach (var chunk in parties.Chunk(500))
            {
                var query = db.OpenItems.Where(o => chunk.Contains(o.PartyId) && sides.Contains(o.Side) && currencies.Contains(o.Currency) && o.OpenAmount > 0);
                if (onlySources is not null) query = query.Where(o => onlySources.Contains(o.SourceId));
                var loaded = await query.OrderBy(o => o.DueDate).ThenBy(o => o.DocumentDate).ThenBy(o => o.DocumentNumber).ToListAsync(ct);
                foreach (var item in loaded)
                {
                    if (!keys.Contains((item.PartyId, item.Side, item.Currency))) continue;
                    pool.rank[item] = pool.rank.Count;
                    pool.List(item).Add(item);
                }
            }
            return pool;
        }

        private List<OpenItem> List(OpenItem item)
        {
            var key = (item.PartyId, item.Side, item.Currency);
            if (!items.TryGetValue(key, out var list)) items[key] = list = [];
            return list;
        }

        public void Add(OpenItem item)
        {
            var list = List(item);
            var at = list.FindIndex(existing => Compare(item, existing) < 0);
            list.Insert(at < 0 ? list.Count : at, item);
        }

        public List<OpenItem> OpenOldestFirst(Guid partyId, OpenItemSide side, string currency) =>
            items.TryGetValue((partyId, side, currency), out var list) ? list.Where(o => o.OpenAmount > 0).ToList() : [];

        private int Compare(OpenItem x, OpenItem y)
        {
            var due = (x.DueDate, y.DueDate) switch
            {
                (null, null) => 0,
                (null, _) => nullsFirst ? -1 : 1,
                (_, null) => nullsFirst ? 1 : -1,
                var (a, b) => a.Value.CompareTo(b.Value),
            };
            if (due != 0) return due;
            var date = x.DocumentDate.CompareTo(y.DocumentDate);
            if (date != 0) return date;
            if (rank.TryGetValue(x, out var rx) && rank.TryGetValue(y, out var ry)) return rx.CompareTo(ry);
            // Equal dates: by number; an item of the batch after the read ones when even that ties.
            var number = string.CompareOrdinal(x.DocumentNumber, y.DocumentNumber);
            return number != 0 ? number : rank.ContainsKey(x) ? -1 : 1;
        }
    }
}
