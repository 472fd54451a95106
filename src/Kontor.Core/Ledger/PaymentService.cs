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
/// the gateway has not paid out yet (docs/commerce.md "Gateway clearing").</param>
/// <param name="CustomerRefund">With <see cref="PaymentDirection.Outgoing"/>: money paid back to a customer, settling the customer's credits
/// (a correction that lowered an invoice already paid; Allocations name the correction invoice): Dr 201 / Cr the money account.</param>
public sealed record RegisterPayment(Guid PartyId, DateOnly? Date, decimal Amount, string? Currency, string? Reference, IReadOnlyList<AllocationInput>? Allocations,
    PaymentDirection Direction = PaymentDirection.Incoming, bool OnAccount = false, PaymentVia Via = PaymentVia.Bank, bool CustomerRefund = false);

/// <summary>The money account a payment goes through.</summary>
public enum PaymentVia { Bank, GatewayClearing }

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
    public async Task<PaymentResult> RegisterAsync(RegisterPayment command, CancellationToken ct = default)
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
        errors.ThrowIfAny();
        var date = command.Date ?? calendar.Today();

        return await unitOfWork.ExecuteAsync(async token =>
        {
            if (!await db.Parties.AnyAsync(p => p.Id == command.PartyId, token))
                throw new ValidationException("partyId", $"Party {command.PartyId} does not exist.");

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
                RegisteredAt = clock.GetUtcNow(),
                RegisteredBy = actor.Name,
            };
            var plan = await PlanAllocationsAsync(command, currency.Code!, allocations, token);
            var remaining = command.Amount - plan.Sum(p => p.Amount);
            // A refund only gives back what the customer has to its credit: paying out more would make a receivable out of nothing.
            if (refund && remaining > 0)
                throw new ValidationException("amount", $"The refund is {remaining} {currency.Code} more than the customer's credit it settles.");
            var a = accounts.Value;
            var money = command.Via == PaymentVia.GatewayClearing ? a.GatewayClearing : a.Bank;
            var entry = await journal.PostAsync(date, $"{(refund ? "Refund" : "Payment")} {reference}".TrimEnd(), "payment", payment.Id, reference, currency, refund
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
            // differences"). Payables carry no book amount yet (TakeBase gives null), so an outgoing payment realises nothing.
            var bookCurrency = Currency.Parse(entry.BaseCurrency);
            var credited = entry.Lines.Where(l => l.AccountCode == (outgoing && !refund ? a.Payables : a.Receivables)).Sum(l => l.BaseCredit + l.BaseDebit);
            var shares = ExchangeDifferences.Split(credited, [.. plan.Select(p => p.Amount), remaining], bookCurrency);
            var differences = new List<RealisedDifference>();
            for (var i = 0; i < plan.Count; i++)
            {
                var (item, amount) = plan[i];
                var settledBase = ExchangeDifferences.TakeBase(item, amount, bookCurrency);
                // A refund gives back a credit at the rate it was booked at (the correction keeps the invoice's rate): no difference is realised here.
                if (refund) settledBase = null;
                item.OpenAmount -= amount;
                item.Version = Guid.NewGuid();
                if (item.OpenAmount == 0) item.SettledOn = date;
                var allocation = new PaymentAllocation { PaymentId = payment.Id, OpenItemId = item.Id, SourceId = item.SourceId, Amount = amount, Date = date };
                if (settledBase is { } settled)
                {
                    allocation.SettledBaseAmount = settled;
                    allocation.PaymentBaseAmount = shares[i];
                    allocation.ExchangeDifference = shares[i] - settled;
                    differences.Add(new RealisedDifference(command.PartyId, item, shares[i] - settled));
                }
                payment.Allocations.Add(allocation);
            }
            if (remaining > 0)
            {
                db.OpenItems.Add(new OpenItem
                {
                    PartyId = command.PartyId,
                    Side = outgoing ? OpenItemSide.Prepaid : OpenItemSide.Credit,
                    SourceType = "payment",
                    SourceId = payment.Id,
                    DocumentNumber = reference,
                    DocumentDate = date,
                    Currency = currency.Code!,
                    Amount = remaining,
                    OpenAmount = remaining,
                    BaseAmount = shares[^1],
                    OpenBaseAmount = shares[^1],
                });
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
        }, ct);
    }

    private async Task<List<(OpenItem Item, decimal Amount)>> PlanAllocationsAsync(RegisterPayment command, string currency,
        IReadOnlyList<AllocationInput> explicitAllocations, CancellationToken ct)
    {
        var side = command.CustomerRefund ? OpenItemSide.Credit : command.Direction == PaymentDirection.Outgoing ? OpenItemSide.Payable : OpenItemSide.Receivable;
        var open = db.OpenItems.Where(o => o.PartyId == command.PartyId && o.Side == side && o.Currency == currency && o.OpenAmount > 0);
        var plan = new List<(OpenItem, decimal)>();
        if (command.OnAccount) return plan;
        if (explicitAllocations.Count > 0)
        {
            var ids = explicitAllocations.Select(a => a.InvoiceId).ToList();
            var items = await open.Where(o => ids.Contains(o.SourceId)).ToDictionaryAsync(o => o.SourceId, ct);
            var errors = new ValidationErrors();
            for (var i = 0; i < explicitAllocations.Count; i++)
            {
                var allocation = explicitAllocations[i];
                if (!items.TryGetValue(allocation.InvoiceId, out var item))
                    errors.Add($"allocations[{i}].invoiceId", command.CustomerRefund
                        ? $"Document {allocation.InvoiceId} leaves this party no open {currency} credit to refund."
                        : $"Invoice {allocation.InvoiceId} is not an open {currency} invoice of this party.");
                else if (allocation.Amount > item.OpenAmount)
                    errors.Add($"allocations[{i}].amount", $"Invoice {item.DocumentNumber} has only {item.OpenAmount} {currency} left to pay.");
                else
                    plan.Add((item, allocation.Amount));
            }
            errors.ThrowIfAny();
            return plan;
        }

        var left = command.Amount;
        var oldestFirst = await open.OrderBy(o => o.DueDate).ThenBy(o => o.DocumentDate).ThenBy(o => o.DocumentNumber).ToListAsync(ct);
        foreach (var item in oldestFirst)
        {
            if (left <= 0) break;
            var amount = Math.Min(left, item.OpenAmount);
            plan.Add((item, amount));
            left -= amount;
        }
        return plan;
    }
}
