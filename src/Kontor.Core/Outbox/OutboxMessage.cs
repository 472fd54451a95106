namespace Kontor.Outbox;

/// <summary><see cref="Superseded"/>: not sent because a newer message of the same coalesce key exists (docs/commerce.md, "Outbound sync").</summary>
public enum OutboxStatus { Pending, Sent, DeadLetter, Superseded }

/// <summary>
/// Something to tell a system outside Kontor, written in the same transaction as the change that causes it and sent
/// afterwards by <see cref="OutboxDispatcher"/> (at least once; the receiving side's operations are idempotent: PUT a
/// status, SET a stock level). docs/commerce.md, "Outbox".
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    /// <summary><see cref="OutboxMessageTypes"/>.</summary>
    public string Type { get; init; } = "";
    public Guid? ChannelId { get; init; }
    public string Payload { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; init; }
    public int Attempts { get; set; }
    /// <summary>When the message may be sent (again); also the claim: a dispatcher moves it into the future while it sends.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }
    public OutboxStatus Status { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    /// <summary>Changes on every claim, so only the dispatcher that claimed a message may record its outcome.</summary>
    public Guid ClaimToken { get; set; }
    /// <summary>
    /// "{type}:{channel}:{product}" for messages that say "the current value is…" (stock, price): a pending, unclaimed
    /// message of the same key is updated instead of adding another, and an older one is dropped when a newer exists.
    /// Null for messages that must each be sent (order statuses).
    /// </summary>
    public string? CoalesceKey { get; init; }
}

public static class OutboxMessageTypes
{
    /// <summary>{"externalOrderId":"727","status":"processing"} — the shop's order status.</summary>
    public const string OrderStatus = "order-status";
    /// <summary>{"productId":…,"externalProductId":"794","externalVariantId":null,"sku":"ABC","quantity":12} — stock available to sell (Commerce/ChannelSync).</summary>
    public const string Stock = "stock";
    /// <summary>{"productId":…,"externalProductId":"794","sku":"ABC","regularPrice":"49.99","currency":"PLN"} — the shop's price (Commerce/ChannelSync).</summary>
    public const string Price = "price";
}

public sealed class OutboxOptions
{
    /// <summary>Failed attempts after which a message is dead-lettered (replay by hand).</summary>
    public int MaxAttempts { get; set; } = 8;
    public double BaseDelaySeconds { get; set; } = 5;
    public double MaxDelaySeconds { get; set; } = 3600;
    /// <summary>How long a claim lasts: a dispatcher that died while sending lets another send after it (at least once).</summary>
    public double ClaimSeconds { get; set; } = 120;
    public double PollSeconds { get; set; } = 2;
    public bool Enabled { get; set; } = true;
    public int BatchSize { get; set; } = 20;
}

/// <summary>
/// Exponential backoff with jitter ("equal jitter"): attempt n waits between half and all of min(base·2^(n−1), max),
/// so retries of many messages after an outage spread out instead of arriving together. (Polly.Core is on the package
/// mirror but not used: these retries are persisted in the message row — they outlive a restart and any node may make
/// the next attempt — which an in-memory resilience pipeline does not model; only its delay formula is needed.)
/// </summary>
public static class OutboxBackoff
{
    public static TimeSpan Delay(int attempt, OutboxOptions options, double random01)
    {
        var exponent = Math.Min(Math.Max(attempt, 1) - 1, 30);
        var ceiling = Math.Min(options.BaseDelaySeconds * Math.Pow(2, exponent), options.MaxDelaySeconds);
        return TimeSpan.FromSeconds(ceiling / 2 + ceiling / 2 * Math.Clamp(random01, 0, 1));
    }
}
