using System.Security.Cryptography;
using Kontor.Common;
using Kontor.Company;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Commerce;

/// <param name="Secret">Null or empty on an update keeps the stored secret; on creation a random one is generated.</param>
public sealed record SaveSalesChannel(string? Name, ChannelType Type, string? Secret, string? BaseAddress, string? ApiKey, string? ApiSecret,
    InvoiceMoment InvoiceMoment, string? DefaultWarehouseCode, IReadOnlyList<CustomerMatchKey>? CustomerMatching, bool CreateCompanyForVatId,
    Sales.PricingMode PriceMode, string? ShopLocationId, bool IsActive = true, bool RestockOnRefund = true);

/// <summary>
/// What the integration log shows, every given criterion combined with AND. <paramref name="Search"/> finds the shop's id of
/// the order (or product) in <see cref="IntegrationLogEntry.ExternalId"/>, any part, any case, a leading '#' ignored;
/// <paramref name="From"/>/<paramref name="To"/> bound <see cref="IntegrationLogEntry.At"/> by the company's calendar days (its time zone,
/// as every date in Kontor and as the pages show the entries' times), both inclusive;
/// <paramref name="OrderId"/> keeps an order's entries, with those of its shop order that name no order (a held delivery);
/// <paramref name="Before"/> is the paging key: only entries older than that entry's id.
/// </summary>
public sealed record IntegrationLogFilter(Guid? ChannelId = null, IntegrationDirection? Direction = null, IntegrationStatus? Status = null,
    string? Search = null, DateOnly? From = null, DateOnly? To = null, Guid? OrderId = null, Guid? Before = null)
{
    public const int MaxSearchLength = 100;
}

public sealed class SalesChannelService(KontorDbContext db, UnitOfWork unitOfWork, AuditTrail audit, TimeProvider clock, ChannelSecrets secrets,
    ReferenceData referenceData, BusinessCalendar calendar)
{
    public async Task<SalesChannel> CreateAsync(SaveSalesChannel command, CancellationToken ct = default)
    {
        var channel = new SalesChannel { CreatedAt = clock.GetUtcNow() };
        Apply(channel, command, isNew: true);
        await unitOfWork.ExecuteAsync(async token =>
        {
            await ValidateWarehouseAsync(channel.DefaultWarehouseCode, token);
            db.SalesChannels.Add(channel);
            audit.Record("channel.created", nameof(SalesChannel), channel.Id, new { channel.Name, type = channel.Type.ToString() });
            return 0;
        }, ct);
        // Webhooks find channels in the reference snapshot: this node sees the change at once (others within its lifetime).
        referenceData.Invalidate();
        return channel;
    }

    public async Task<SalesChannel> UpdateAsync(Guid id, SaveSalesChannel command, CancellationToken ct = default)
    {
        var updated = await unitOfWork.ExecuteAsync(async token =>
        {
            var channel = await db.SalesChannels.FirstOrDefaultAsync(c => c.Id == id, token) ?? throw new NotFoundException("Sales channel", id);
            var secretChanged = !string.IsNullOrEmpty(command.Secret) && command.Secret != secrets.TryReveal(channel.Secret);
            Apply(channel, command, isNew: false);
            await ValidateWarehouseAsync(channel.DefaultWarehouseCode, token);
            channel.Version = Guid.NewGuid();
            audit.Record("channel.updated", nameof(SalesChannel), channel.Id, new { channel.Name, secretChanged });
            return channel;
        }, ct);
        referenceData.Invalidate();
        return updated;
    }

    public async Task<SalesChannel> GetAsync(Guid id, CancellationToken ct = default) =>
        await db.SalesChannels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("Sales channel", id);

    public async Task<IReadOnlyList<SalesChannel>> ListAsync(CancellationToken ct = default) =>
        await db.SalesChannels.AsNoTracking().OrderBy(c => c.Name).ToListAsync(ct);

    public async Task<IReadOnlyList<HeldShopOrder>> HeldAsync(HoldStatus? status, CancellationToken ct = default)
    {
        var query = db.HeldShopOrders.AsNoTracking();
        if (status is not null) query = query.Where(h => h.Status == status);
        return await query.OrderByDescending(h => h.UpdatedAt).Take(500).ToListAsync(ct);
    }

    /// <summary>The most a page of the integration log holds.</summary>
    public const int MaxLogTake = 1000;

    /// <summary>
    /// A page of the integration log matching <paramref name="filter"/>, newest first by id (entries are version-7 ids, so
    /// that is the order they were written in); the next page passes the last entry's id as <see cref="IntegrationLogFilter.Before"/>,
    /// so pages neither repeat nor skip an entry even while new ones arrive. 400 naming the field: take outside
    /// 1..<see cref="MaxLogTake"/>, from after to, search longer than <see cref="IntegrationLogFilter.MaxSearchLength"/>.
    /// </summary>
    public async Task<IReadOnlyList<IntegrationLogEntry>> LogAsync(IntegrationLogFilter filter, int take = 200, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        errors.Require(take is >= 1 and <= MaxLogTake, "take", $"take must be between 1 and {MaxLogTake}.");
        errors.Require(filter.From is null || filter.To is null || filter.From <= filter.To, "from", $"from ({filter.From:yyyy-MM-dd}) is after to ({filter.To:yyyy-MM-dd}).");
        errors.Require((filter.Search?.Trim().Length ?? 0) <= IntegrationLogFilter.MaxSearchLength, "search", $"search is longer than {IntegrationLogFilter.MaxSearchLength} characters.");
        errors.ThrowIfAny();

        var query = db.IntegrationLog.AsNoTracking();
        if (filter.OrderId is { } orderId)
        {
            // The order's own entries, and those of its shop order that name no order: a delivery held before the order
            // existed, the statuses sent back to the shop (docs/commerce.md "Integration log").
            var origin = await db.Orders.AsNoTracking().Where(o => o.Id == orderId).Select(o => new { o.ChannelId, o.ExternalOrderId }).FirstOrDefaultAsync(ct);
            query = origin is { ChannelId: { } channelId, ExternalOrderId: { } externalId }
                ? query.Where(e => e.OrderId == orderId || (e.OrderId == null && e.ChannelId == channelId && e.ExternalId == externalId))
                : query.Where(e => e.OrderId == orderId);
        }
        if (filter.ChannelId is { } channel) query = query.Where(e => e.ChannelId == channel);
        if (filter.Direction is { } direction) query = query.Where(e => e.Direction == direction);
        if (filter.Status is { } status) query = query.Where(e => e.Status == status);
        // The calendar's first and last days bound nothing (their midnight in a zone east or west of UTC is not an instant there is).
        if (filter.From is { } from && from > DateOnly.MinValue) { var start = calendar.At(from); query = query.Where(e => e.At >= start); }
        if (filter.To is { } to && to < DateOnly.MaxValue.AddDays(-1)) { var end = calendar.At(to.AddDays(1)); query = query.Where(e => e.At < end); }
        if (Orders.ShopOrigin.SearchTerm(filter.Search) is { } term)
            query = query.Where(e => e.ExternalId != null && e.ExternalId.ToLower().Contains(term));
        if (filter.Before is { } before) query = query.Where(e => e.Id < before);
        return await query.OrderByDescending(e => e.Id).Take(take).ToListAsync(ct);
    }

    /// <summary>The channel's warehouse must exist and be active: its orders reserve there and its stock pushes read it.</summary>
    private async Task ValidateWarehouseAsync(string? code, CancellationToken ct)
    {
        if (code is null) return;
        if (!await db.Warehouses.AnyAsync(w => w.Code == code && w.IsActive, ct))
            throw new ValidationException("defaultWarehouseCode", $"There is no active warehouse {code}.");
    }

    private void Apply(SalesChannel channel, SaveSalesChannel c, bool isNew)
    {
        if (c is null) throw new ValidationException("body", "A channel is required.");
        var errors = new ValidationErrors();
        var name = errors.Text(c.Name, "name", 100);
        errors.Require(Enum.IsDefined(c.Type), "type", "type must be WooCommerce, Shopify or Generic.");
        errors.Require(Enum.IsDefined(c.InvoiceMoment), "invoiceMoment", "invoiceMoment must be OnPayment, OnShipment or Never.");
        errors.Require(Enum.IsDefined(c.PriceMode), "priceMode", "priceMode must be Net or Gross.");
        errors.Require(c.Secret is null || c.Secret.Length == 0 || c.Secret.Length is >= 16 and <= 200, "secret", "The secret must have 16 to 200 characters (leave it empty to keep the current one).");
        var baseAddress = errors.Text(c.BaseAddress, "baseAddress", 300, required: false);
        errors.Require(baseAddress is null || Uri.TryCreate(baseAddress, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https", "baseAddress", "baseAddress must be an http(s) address.");
        var apiKey = errors.Text(c.ApiKey, "apiKey", 200, required: false);
        var apiSecret = errors.Text(c.ApiSecret, "apiSecret", 200, required: false);
        var warehouse = errors.Text(c.DefaultWarehouseCode, "defaultWarehouseCode", 32, required: false)?.ToUpperInvariant();
        var location = errors.Text(c.ShopLocationId, "shopLocationId", 64, required: false);
        var matching = c.CustomerMatching ?? [CustomerMatchKey.Email, CustomerMatchKey.Nip, CustomerMatchKey.Phone];
        errors.Require(matching.All(Enum.IsDefined), "customerMatching", "customerMatching lists Email, Nip and Phone.");
        errors.ThrowIfAny();
        channel.Name = name!;
        channel.Type = c.Type;
        // Stored encrypted (ChannelSecrets); an empty value on update keeps the stored one (and re-protects a legacy plain one).
        if (!string.IsNullOrEmpty(c.Secret)) channel.Secret = secrets.Protect(c.Secret)!;
        else if (isNew) channel.Secret = secrets.Protect(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)))!;
        else channel.Secret = secrets.Protect(channel.Secret)!;
        channel.BaseAddress = baseAddress;
        if (apiKey is not null || isNew) channel.ApiKey = apiKey;
        channel.ApiSecret = secrets.Protect(apiSecret is not null || isNew ? apiSecret : channel.ApiSecret);
        channel.InvoiceMoment = c.InvoiceMoment;
        channel.DefaultWarehouseCode = warehouse;
        channel.CustomerMatching = string.Join(',', matching.Distinct());
        channel.CreateCompanyForVatId = c.CreateCompanyForVatId;
        channel.PriceMode = c.PriceMode;
        channel.ShopLocationId = location;
        channel.IsActive = c.IsActive;
        channel.RestockOnRefund = c.RestockOnRefund;
    }
}
