using System.Text;
using Kontor.Common;
using Kontor.Persistence;

namespace Kontor.Commerce;

public enum WebhookVerdict { NoSuchChannel, BadSignature, Ping, Ingested, Busy }

/// <summary>The receiver's answer; <see cref="WebhookVerdict.Busy"/> carries why and the seconds the shop should wait before resending.</summary>
public sealed record WebhookReceipt(WebhookVerdict Verdict, IngestResult? Result = null, QueueRefusal? Refusal = null, int RetryAfterSeconds = 0);

/// <summary>
/// One shop webhook delivery, from raw bytes to an ingested order: the channel must exist, be active and of the type the
/// address names; the signature must match the channel's secret over the exact bytes (nothing is stored otherwise);
/// WooCommerce's "webhook_id=…" ping is acknowledged; a body that is no order is logged with its raw payload and refused
/// (400 naming "body"); the rest goes to <see cref="ShopOrderIngestion"/> through <see cref="ShopOrderQueue"/> — or, when the
/// queue is full or closing, is refused as <see cref="WebhookVerdict.Busy"/> with nothing stored (503 + Retry-After, decision 50).
/// The endpoint only reads the body and maps the verdict.
/// </summary>
public sealed class ShopWebhookReceiver(ReferenceData referenceData, ShopOrderIngestion ingestion, ShopOrderQueue queue, Microsoft.Extensions.Options.IOptions<ShopIngestionOptions> options,
    IntegrationLog log, TimeProvider clock, ChannelSecrets secrets, ShopIngestionMetrics metrics)
{
    public async Task<WebhookReceipt> ReceiveAsync(Guid channelId, ChannelType type, byte[] body, Func<string, string?> header, CancellationToken ct = default)
    {
        try
        {
            var receipt = await VerifyAndIngestAsync(channelId, type, body, header, ct);
            metrics.Answered(type, receipt.Verdict switch
            {
                WebhookVerdict.Ingested => ShopIngestionMetrics.Outcome(receipt.Result!.Outcome),
                WebhookVerdict.NoSuchChannel => "no_such_channel",
                WebhookVerdict.BadSignature => "bad_signature",
                WebhookVerdict.Ping => "ping",
                WebhookVerdict.Busy => ShopIngestionMetrics.Busy,
                _ => throw new InvalidOperationException($"Unknown webhook verdict {receipt.Verdict}."),
            });
            return receipt;
        }
        catch (ValidationException)
        {
            metrics.Answered(type, "malformed");
            throw;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The shop hung up: its delivery is still taken (ShopOrderQueue), so the order exists and the resent copy answers duplicate.
            metrics.Answered(type, "abandoned");
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            metrics.Answered(type, "failed");
            throw;
        }
    }

    private async Task<WebhookReceipt> VerifyAndIngestAsync(Guid channelId, ChannelType type, byte[] body, Func<string, string?> header, CancellationToken ct)
    {
        var channel = (await referenceData.GetAsync(ct)).Channels.GetValueOrDefault(channelId);
        if (channel is null || channel.Type != type || !channel.IsActive) return new(WebhookVerdict.NoSuchChannel);
        // Kept encrypted at rest; a secret that cannot be decrypted (key ring lost) verifies nothing: 401 until it is re-entered.
        var secret = secrets.TryReveal(channel.Secret) ?? "";
        var valid = type switch
        {
            ChannelType.WooCommerce => WebhookSignatures.VerifyBase64(secret, body, header(WebhookSignatures.WooCommerceHeader)),
            ChannelType.Shopify => WebhookSignatures.VerifyBase64(secret, body, header(WebhookSignatures.ShopifyHeader)),
            _ => WebhookSignatures.VerifyGeneric(secret, body, header(WebhookSignatures.GenericHeader), header(WebhookSignatures.GenericTimestampHeader),
                clock.GetUtcNow()),
        };
        if (!valid) return new(WebhookVerdict.BadSignature);

        var payload = Encoding.UTF8.GetString(body);
        // WooCommerce pings a new webhook with "webhook_id=…" (form-encoded): there is no order in it.
        if (type == ChannelType.WooCommerce && payload.StartsWith("webhook_id=", StringComparison.Ordinal)) return new(WebhookVerdict.Ping);
        ShopOrder order;
        try { order = ShopOrderParser.Parse(type, channel.PriceMode, body); }
        catch (ShopOrderFormatException e)
        {
            await log.WriteAsync(new IntegrationLogEntry
            {
                ChannelId = channel.Id, Direction = IntegrationDirection.In, Kind = IntegrationLogKinds.OrderWebhook, Status = IntegrationStatus.Rejected,
                Payload = payload, Error = e.Message, At = clock.GetUtcNow(),
            }, ct);
            throw new ValidationException("body", e.Message);
        }
        if (!options.Value.Batching) return new(WebhookVerdict.Ingested, await ingestion.IngestAsync(channel, order, payload, ct));
        // Batched: the delivery joins whatever else arrived meanwhile (docs/commerce.md "Batched ingestion"); answered once
        // committed. A full queue refuses it before anything is written: the shop resends it later instead of timing out.
        if (queue.TryIngest(new ShopDelivery(channel, order, payload), ct, out var answer) is { } refusal)
            return new(WebhookVerdict.Busy, Refusal: refusal, RetryAfterSeconds: options.Value.RetryAfterSeconds);
        return new(WebhookVerdict.Ingested, await answer);
    }
}
