using System.Text.Json;
using Kontor.Commerce;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kontor.Outbox;

/// <summary>Adds outbox rows to the current unit of work (the caller's transaction commits them with its change).</summary>
public sealed class OutboxWriter(KontorDbContext db, TimeProvider clock)
{
    public OutboxMessage Enqueue(string type, Guid? channelId, object payload, string? coalesceKey = null)
    {
        var now = clock.GetUtcNow();
        var message = new OutboxMessage
        {
            Type = type, ChannelId = channelId, Payload = JsonSerializer.Serialize(payload, JsonSerializerOptions.Web),
            CreatedAt = now, NextAttemptAt = now, Status = OutboxStatus.Pending, ClaimToken = Guid.NewGuid(), CoalesceKey = coalesceKey,
        };
        db.OutboxMessages.Add(message);
        return message;
    }
}

/// <summary>What the far side answered; <see cref="Success"/> false is retried.</summary>
public sealed record ConnectorResult(bool Success, string Request, string Response);

/// <summary>Sends one outbox message to one kind of channel (WooCommerce REST, Shopify Admin API…).</summary>
public interface IChannelConnector
{
    ChannelType Type { get; }
    Task<ConnectorResult> SendAsync(SalesChannel channel, OutboxMessage message, CancellationToken ct);
}

/// <summary>
/// Sends due outbox messages. Each message is CLAIMED by a conditional update (status still Pending, claim token
/// unchanged, due) that moves its next attempt a lease into the future; only the dispatcher whose update hit the row
/// sends it, so two instances never send the same message at once. Every attempt is written to the integration log;
/// failures retry with <see cref="OutboxBackoff"/>, and after <see cref="OutboxOptions.MaxAttempts"/> the message is dead-lettered.
/// </summary>
public sealed class OutboxDispatcher(IServiceScopeFactory scopes, TimeProvider clock, IOptions<OutboxOptions> options)
{
    private readonly Random random = new();

    /// <summary>Sends what is due now; returns how many messages were attempted.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken ct = default)
    {
        var settings = options.Value;
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
            var now = clock.GetUtcNow();
            due = await db.OutboxMessages.AsNoTracking().Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now)
                .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id).Select(m => m.Id).Take(settings.BatchSize).ToListAsync(ct);
        }
        var attempted = 0;
        foreach (var id in due)
            if (await TrySendAsync(id, settings, ct)) attempted++;
        return attempted;
    }

    private async Task<bool> TrySendAsync(Guid id, OutboxOptions settings, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<KontorDbContext>();
        var gate = services.GetRequiredService<WriteGate>();
        var now = clock.GetUtcNow();
        var claim = Guid.NewGuid();
        var leaseUntil = now.AddSeconds(settings.ClaimSeconds);
        int claimed;
        using (await gate.EnterAsync(ct))
            claimed = await db.OutboxMessages
                .Where(m => m.Id == id && m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, leaseUntil).SetProperty(m => m.ClaimToken, claim), ct);
        if (claimed == 0) return false;   // another dispatcher has it, or it is no longer due

        var message = await db.OutboxMessages.AsNoTracking().FirstAsync(m => m.Id == id, ct);
        var channel = message.ChannelId is { } channelId ? await db.SalesChannels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == channelId, ct) : null;
        ConnectorResult result;
        // An older message is superseded by ANY newer message of its key that is not itself Superseded — also a dead-lettered
        // one: sending the older value after the newest failed for good would put an even staler value in the shop.
        var superseded = message.CoalesceKey is { } key && await db.OutboxMessages.AnyAsync(m => m.CoalesceKey == key && m.Id != message.Id
            && m.CreatedAt > message.CreatedAt && m.Status != OutboxStatus.Superseded, ct);
        if (superseded)
            result = new ConnectorResult(true, message.Payload, "Superseded: a newer message with the current value exists; not sent.");
        else if (channel is null)
            result = new ConnectorResult(false, message.Payload, "The message's channel does not exist.");
        else
        {
            var connector = services.GetServices<IChannelConnector>().FirstOrDefault(c => c.Type == channel.Type);
            try
            {
                result = connector is null
                    ? new ConnectorResult(false, message.Payload, $"No connector for {channel.Type} channels.")
                    : await connector.SendAsync(channel, message, ct);
            }
            // Any failure of a connector is a failed attempt (counted, logged, retried, dead-lettered at the limit) —
            // an exception escaping here would leave the message claimed and uncounted forever. Only shutdown stops it.
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                result = new ConnectorResult(false, message.Payload, e.GetType().Name + ": " + e.Message);
            }
        }

        var after = clock.GetUtcNow();
        var attempts = message.Attempts + 1;
        var status = superseded ? OutboxStatus.Superseded : result.Success ? OutboxStatus.Sent : attempts >= settings.MaxAttempts ? OutboxStatus.DeadLetter : OutboxStatus.Pending;
        var next = result.Success ? after : after + OutboxBackoff.Delay(attempts, settings, random.NextDouble());
        var error = result.Success ? null : Truncate(result.Response, 2000);
        using (await gate.EnterAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.OutboxMessages.Where(m => m.Id == id && m.ClaimToken == claim)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Attempts, attempts).SetProperty(m => m.Status, status)
                    .SetProperty(m => m.NextAttemptAt, next).SetProperty(m => m.LastError, error)
                    .SetProperty(m => m.SentAt, result.Success ? after : (DateTimeOffset?)null), ct);
            if (result.Success && !superseded) await RecordPushAsync(db, message, after, ct);
            db.IntegrationLog.Add(new IntegrationLogEntry
            {
                ChannelId = message.ChannelId, Direction = IntegrationDirection.Out, Kind = message.Type,
                Status = superseded ? IntegrationStatus.Info : result.Success ? IntegrationStatus.Sent : status == OutboxStatus.DeadLetter ? IntegrationStatus.DeadLetter : IntegrationStatus.Failed,
                Payload = result.Request, Response = Truncate(result.Response, 8000), Error = error,
                ExternalId = ShopOrderId(message), OutboxMessageId = message.Id, At = after,
            });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        return true;
    }

    /// <summary>
    /// The shop's order id of a status message: the log finds what was sent back about "#627949", and the order's page lists
    /// it with the order's other shop messages (docs/commerce.md "Integration log").
    /// </summary>
    private static string? ShopOrderId(OutboxMessage message)
    {
        if (message.Type != OutboxMessageTypes.OrderStatus) return null;
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(message.Payload) is System.Text.Json.Nodes.JsonObject payload
                   && payload["externalOrderId"] is System.Text.Json.Nodes.JsonValue value
                   && value.TryGetValue<string>(out var id) && id.Length is > 0 and <= 64 ? id : null;
        }
        catch (JsonException) { return null; }
    }

    /// <summary>What the shop now has, on the channel's mapping row (the Integrations page shows it).</summary>
    private static async Task RecordPushAsync(KontorDbContext db, OutboxMessage message, DateTimeOffset at, CancellationToken ct)
    {
        if (message.Type is not (OutboxMessageTypes.Stock or OutboxMessageTypes.Price) || message.ChannelId is not { } channelId) return;
        var payload = System.Text.Json.Nodes.JsonNode.Parse(message.Payload)?.AsObject();
        if (payload?["productId"] is null || !Guid.TryParse((string?)payload["productId"], out var productId)) return;
        var row = db.ChannelProducts.Where(m => m.ChannelId == channelId && m.ProductId == productId);
        if (message.Type == OutboxMessageTypes.Stock && payload["quantity"] is { } quantity)
        {
            var value = (decimal)quantity;
            await row.ExecuteUpdateAsync(s => s.SetProperty(m => m.LastPushedQuantity, value).SetProperty(m => m.LastPushedAt, at), ct);
        }
        else if (message.Type == OutboxMessageTypes.Price && decimal.TryParse((string?)payload["regularPrice"], System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var price))
            await row.ExecuteUpdateAsync(s => s.SetProperty(m => m.LastPushedPrice, price).SetProperty(m => m.LastPushedAt, at), ct);
    }

    private static string? Truncate(string? text, int length) => text is null || text.Length <= length ? text : text[..length];
}

/// <summary>The outbox list and manual replay (Integrations page, /api/outbox).</summary>
public sealed class OutboxQueries(KontorDbContext db, UnitOfWork unitOfWork, Security.AuditTrail audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<OutboxMessage>> ListAsync(OutboxStatus? status, Guid? channelId, int take = 200, CancellationToken ct = default)
    {
        var query = db.OutboxMessages.AsNoTracking();
        if (status is not null) query = query.Where(m => m.Status == status);
        if (channelId is not null) query = query.Where(m => m.ChannelId == channelId);
        return await query.OrderByDescending(m => m.Id).Take(Math.Clamp(take, 1, 1000)).ToListAsync(ct);
    }

    /// <summary>Puts a dead-lettered (or waiting) message back in line now, with a fresh attempt count; a sent one is 409.</summary>
    public async Task<OutboxMessage> ReplayAsync(Guid id, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var message = await db.OutboxMessages.FirstOrDefaultAsync(m => m.Id == id, token) ?? throw new Common.NotFoundException("Outbox message", id);
            if (message.Status == OutboxStatus.Sent) throw new Common.ConflictException("The message was sent already; nothing to replay.");
            message.Status = OutboxStatus.Pending;
            message.Attempts = 0;
            message.NextAttemptAt = clock.GetUtcNow();
            message.ClaimToken = Guid.NewGuid();
            audit.Record("outbox.replayed", nameof(OutboxMessage), message.Id, new { message.Type, message.LastError });
            return message;
        }, ct);
}
