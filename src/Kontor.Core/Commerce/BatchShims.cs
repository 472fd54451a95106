// TEMPORARY (session 7): stand-in for the batch method being written on another branch; an instance method of the same
// signature wins over this extension method, so this file is deleted when it lands.
using Kontor.Orders;

namespace Kontor.Commerce;

internal static class BatchShims
{
    public static async Task<IReadOnlyList<Order>> CreateManyAsync(this OrderService orders, IReadOnlyList<CreateOrder> commands, CancellationToken ct = default)
    {
        var created = new List<Order>();
        foreach (var c in commands) created.Add(await orders.CreateAsync(c, ct));
        return created;
    }
}
