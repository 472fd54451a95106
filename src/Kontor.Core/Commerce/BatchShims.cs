// TEMPORARY (session 7): stand-ins for the batch methods being written on other branches; instance methods of the same
// signature win over these extension methods, so this file is deleted when they land.
using Kontor.Crm;
using Kontor.Ledger;
using Kontor.Orders;
using Kontor.Sales;

namespace Kontor.Commerce;

internal static class BatchShims
{
    public static async Task<IReadOnlyList<Order>> CreateManyAsync(this OrderService orders, IReadOnlyList<CreateOrder> commands, CancellationToken ct = default)
    {
        var created = new List<Order>();
        foreach (var c in commands) created.Add(await orders.CreateAsync(c, ct));
        return created;
    }

    public static async Task<IReadOnlyList<Invoice>> InvoiceEachAsync(this OrderService orders, IReadOnlyList<Guid> orderIds, CancellationToken ct = default)
    {
        var drafts = new List<Invoice>();
        foreach (var id in orderIds) drafts.Add(await orders.InvoiceAsync([id], ct));
        return drafts;
    }

    public static async Task<IReadOnlyList<PaymentResult>> RegisterManyAsync(this PaymentService payments, IReadOnlyList<RegisterPayment> commands, CancellationToken ct = default)
    {
        var results = new List<PaymentResult>();
        foreach (var c in commands) results.Add(await payments.RegisterAsync(c, ct));
        return results;
    }
}
