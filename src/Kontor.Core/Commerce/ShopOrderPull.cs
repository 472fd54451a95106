using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kontor.Common;
using Kontor.Outbox;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kontor.Commerce;

/// <summary>Configuration section <c>Commerce:OrderPull</c> (docs/commerce.md "Catch-up pull").</summary>
public sealed class OrderPullOptions : ICheckedOptions
{
    /// <summary>How often the worker pulls every pullable channel; 0 turns the worker off (the manual pull still works).</summary>
    public double IntervalMinutes { get; set; } = 15;
    /// <summary>A pull asks from the watermark less this: the shops' modification times are not committed in their order.</summary>
    public double OverlapMinutes { get; set; } = 10;
    /// <summary>
    /// A channel's first pull looks back at most this far (to the channel's creation if that is later): a channel that
    /// existed long before the pull did would otherwise create — and invoice — its whole unseen history at the first
    /// round after an upgrade. A manual pull with <c>since</c> reaches further on purpose.
    /// </summary>
    public double FirstPullHours { get; set; } = 24;
    /// <summary>A guard against a shop that never says "last page".</summary>
    public int MaxPages { get; set; } = 1000;
    /// <summary>
    /// The largest answer a page may be (100 WooCommerce or 250 Shopify orders are a few MB); a proxy or shop sending without
    /// end must not fill Kontor's memory.
    /// </summary>
    public int MaxPageMegabytes { get; set; } = 20;
    /// <summary>
    /// How long the worker's round lets one channel's pull run: a shop that hangs or pages without end must not hold up the
    /// other channels' pulls. A pull stopped by it moves no watermark; the next round starts from the same place.
    /// </summary>
    public double ChannelTimeoutMinutes { get; set; } = 10;

    /// <summary>A negative overlap would ask from after the watermark and skip orders; no pages would fail every pull.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (IntervalMinutes < 0) problems.Add($"Commerce:OrderPull:IntervalMinutes must be 0 (off) or more; it is {IntervalMinutes}.");
        if (OverlapMinutes < 0) problems.Add($"Commerce:OrderPull:OverlapMinutes must be 0 or more (less would skip orders changed just before the watermark); it is {OverlapMinutes}.");
        if (FirstPullHours <= 0) problems.Add($"Commerce:OrderPull:FirstPullHours must be more than 0; it is {FirstPullHours}.");
        if (MaxPages < 1) problems.Add($"Commerce:OrderPull:MaxPages must be at least 1; it is {MaxPages}.");
        if (MaxPageMegabytes < 1) problems.Add($"Commerce:OrderPull:MaxPageMegabytes must be at least 1; it is {MaxPageMegabytes}.");
        if (ChannelTimeoutMinutes <= 0) problems.Add($"Commerce:OrderPull:ChannelTimeoutMinutes must be more than 0 (no channel's pull could finish); it is {ChannelTimeoutMinutes}.");
        return problems;
    }
}

/// <summary>What one pull did. <see cref="PulledUntil"/> is the channel's watermark after it.</summary>
public sealed record OrderPullSummary(Guid ChannelId, DateTimeOffset Since, int Fetched, int Created, int Updated, int Unchanged, int Held, int Rejected,
    DateTimeOffset? PulledUntil);

/// <summary>The shop did not answer a list call, or answered with an error (502 to the caller; the pull changed no watermark).</summary>
public sealed class ShopPullFailedException(string message, int? shopStatus, string? shopBody) : Exception(message)
{
    public int? ShopStatus { get; } = shopStatus;
    public string? ShopBody { get; } = shopBody;
}

/// <summary>
/// The order catch-up pull (docs/commerce.md "Catch-up pull", decision record "Nothing lost when a webhook never arrives"):
/// asks the shop's REST API for the orders modified since the channel's watermark (less an overlap) and takes each one
/// through exactly the webhook's ingestion (<see cref="ShopOrderIngestion.IngestPulledAsync"/>), so an order that already
/// arrived changes nothing, a missed one is created and a missed update is applied. Orders are ingested one at a time,
/// each in its own scope and transaction, as the pages arrive; the watermark moves only when every page was read.
/// </summary>
public sealed partial class ShopOrderPull(
    KontorDbContext db,
    IServiceScopeFactory scopes,
    ConnectorHttp http,
    ChannelSecrets secrets,
    IntegrationLog log,
    TimeProvider clock,
    IOptions<OrderPullOptions> options,
    ShopIngestionMetrics metrics,
    Microsoft.Extensions.Logging.ILogger<ShopOrderPull> logger,
    WriteGate gate)
{
    public const int WooCommercePageSize = 100;
    public const int ShopifyPageSize = 250;
    /// <summary>How much of a shop's error body is kept in the log and shown to the caller.</summary>
    private const int MaxBodyShown = 2000;

    /// <summary>Channels the worker pulls: active WooCommerce/Shopify channels with a base address and API credentials.</summary>
    /// <summary>Whether Kontor can ask a channel of this type for its orders: WooCommerce and Shopify have an order API; a generic sender only pushes.</summary>
    public static bool HasOrderApi(ChannelType type) => type is ChannelType.WooCommerce or ChannelType.Shopify;

    public async Task<IReadOnlyList<Guid>> PullableChannelsAsync(CancellationToken ct = default) =>
        await db.SalesChannels.AsNoTracking()
            // HasOrderApi and EnsurePullable's checks, as SQL.
            .Where(c => c.IsActive && (c.Type == ChannelType.WooCommerce || c.Type == ChannelType.Shopify)
                        && c.BaseAddress != null && c.BaseAddress != "" && c.ApiSecret != null && c.ApiSecret != ""
                        && (c.Type == ChannelType.Shopify || (c.ApiKey != null && c.ApiKey != "")))
            .OrderBy(c => c.Name).Select(c => c.Id).ToListAsync(ct);

    /// <summary>
    /// Pulls one channel. <paramref name="since"/> (manual) overrides the watermark; without it the pull asks from the
    /// watermark less the overlap, or — first pull — from the channel's creation. 404 no channel; 409 a channel that
    /// cannot be pulled (Generic, inactive, no base address or credentials); 400 <c>since</c> in the future;
    /// <see cref="ShopPullFailedException"/> (502) when the shop fails or the pull takes longer than <paramref name="timeLimit"/>.
    /// </summary>
    public async Task<OrderPullSummary> PullAsync(Guid channelId, DateTimeOffset? since = null, TimeSpan? timeLimit = null, CancellationToken ct = default)
    {
        var channel = await db.SalesChannels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == channelId, ct)
                      ?? throw new NotFoundException("Sales channel", channelId);
        EnsurePullable(channel);
        var now = clock.GetUtcNow();
        if (since > now) throw new ValidationException("since", "since may not be in the future.");
        var settings = options.Value;
        var scheduledFrom = channel.OrdersPulledUntil is { } mark
            ? mark - TimeSpan.FromMinutes(settings.OverlapMinutes)
            : Max(channel.CreatedAt, now - TimeSpan.FromHours(settings.FirstPullHours));
        var from = (since ?? scheduledFrom).ToUniversalTime();
        // A manual pull that starts later than the scheduled one leaves a gap behind it: it must not move the watermark past
        // that gap — except on the channel's first pull, where the person chose where the channel's history starts.
        var coversWatermark = channel.OrdersPulledUntil is null || from <= scheduledFrom;

        var tally = new Tally();
        var requests = new List<string>();
        // The limit covers the pages and their orders; once every page is read, the watermark and the log entry are written
        // whatever the time.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeLimit is { } span) limit.CancelAfter(span);
        try
        {
            await FetchAsync(channel, from, requests, tally, async elements =>
            {
                var modified = new List<DateTimeOffset>(elements.Count);
                foreach (var element in elements)
                    if (await IngestElementAsync(channel, element, from, tally, limit.Token) is { } at) modified.Add(at);
                return modified;
            }, limit.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var failure = e is OperationCanceledException && limit.IsCancellationRequested
                ? new ShopPullFailedException(Messages.Format("The pull took longer than {0} min (Commerce:OrderPull:ChannelTimeoutMinutes) and was stopped: " +
                                              "the shop answered too slowly or kept giving pages. The orders taken so far stay; the watermark stays, so the next round starts from the same place.",
                                              timeLimit!.Value.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture)), null, null)
                : e;
            // The orders ingested so far stay (each was its own transaction, and they are idempotent); the watermark stays.
            await log.WriteAsync(Entry(channel, IntegrationStatus.Failed, requests, Describe(tally, from, channel.OrdersPulledUntil), failure.Message), CancellationToken.None);
            metrics.Pulled(channel.Type, false, tally.Created, tally.Updated, tally.Unchanged, tally.Held, tally.Rejected);
            if (ReferenceEquals(failure, e)) throw;
            throw failure;
        }

        var pulledUntil = channel.OrdersPulledUntil;
        // Where the pull may say "everything up to here is in": the newest order seen — but not past an order that failed (it
        // is read again next time), and not at all when an order showed up twice while pages were counted by number (it
        // changed during the pull and moved pages, so one order may have slid onto a page already read: the next pull reads
        // the window again). WooCommerce's keyset pages cannot lose an order that way (see WooCommerceAsync). A quiet shop's
        // first pulls still fix where the channel's history starts, so the look-back does not slide with the clock.
        var reached = tally.Repeated && (channel.Type != ChannelType.WooCommerce || tally.NumberedPages) ? null
            : tally.FailedAt is { } failedAt ? (tally.Newest is { } seen && seen < failedAt ? seen : failedAt)
            : tally.Newest ?? (channel.OrdersPulledUntil is null ? from : null);
        if (coversWatermark && reached is { } newest)
        {
            // Never past Kontor's "now" (a shop clock running ahead must not make the next pull skip orders), never backwards
            // (a concurrent pull of another node may have moved it further already).
            var target = newest > now ? now : newest;
            using (await gate.EnterAsync(ct))
                await db.SalesChannels.Where(c => c.Id == channel.Id && (c.OrdersPulledUntil == null || c.OrdersPulledUntil < target))
                    .ExecuteUpdateAsync(u => u.SetProperty(c => c.OrdersPulledUntil, target), ct);
            pulledUntil = await db.SalesChannels.AsNoTracking().Where(c => c.Id == channel.Id).Select(c => c.OrdersPulledUntil).FirstAsync(ct);
        }
        var summary = new OrderPullSummary(channel.Id, from, tally.Fetched, tally.Created, tally.Updated, tally.Unchanged, tally.Held, tally.Rejected, pulledUntil);
        await log.WriteAsync(Entry(channel, IntegrationStatus.Info, requests, Describe(tally, from, pulledUntil), null), ct);
        metrics.Pulled(channel.Type, true, tally.Created, tally.Updated, tally.Unchanged, tally.Held, tally.Rejected);
        return summary;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static void EnsurePullable(SalesChannel channel)
    {
        if (!HasOrderApi(channel.Type))
            throw new ConflictException($"Channel {channel.Name} is a {channel.Type} channel: it has no order API Kontor could ask. Only WooCommerce and Shopify channels can fetch missed orders.");
        if (!channel.IsActive) throw new ConflictException($"Channel {channel.Name} is switched off.");
        if (string.IsNullOrWhiteSpace(channel.BaseAddress))
            throw new ConflictException($"Channel {channel.Name} has no base address: enter the shop's address to fetch its orders.");
        if (string.IsNullOrEmpty(channel.ApiSecret) || channel.Type == ChannelType.WooCommerce && string.IsNullOrEmpty(channel.ApiKey))
            throw channel.Type == ChannelType.WooCommerce
                ? new ConflictException($"Channel {channel.Name} has no API key and secret: enter the WooCommerce consumer key and secret to fetch its orders.")
                : new ConflictException($"Channel {channel.Name} has no API secret: enter the Shopify Admin API access token to fetch its orders.");
    }

    private sealed class Tally
    {
        public int Fetched, Created, Updated, Unchanged, Held, Rejected;
        public DateTimeOffset? Newest;
        /// <summary>The oldest modification time of an order whose ingestion failed unexpectedly: the watermark stops there.</summary>
        public DateTimeOffset? FailedAt;
        /// <summary>An order came twice in this pull with another modification time: it changed meanwhile and moved pages.</summary>
        public bool Repeated;
        /// <summary>WooCommerce pages were asked by number under one <c>modified_after</c> (more than a page in one second, or unsorted pages).</summary>
        public bool NumberedPages;
        /// <summary>The modification time each order was seen with: the same again is a re-read of the keyset's overlap, not new.</summary>
        public Dictionary<string, DateTimeOffset> Seen { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Takes one element of a page; returns its modification time, or null when it did not parse.</summary>
    private async Task<DateTimeOffset?> IngestElementAsync(SalesChannel channel, string element, DateTimeOffset from, Tally tally, CancellationToken ct)
    {
        ShopOrder order;
        try { order = ShopOrderParser.Parse(channel.Type, channel.PriceMode, Encoding.UTF8.GetBytes(element)); }
        catch (ShopOrderFormatException e)
        {
            // As a malformed webhook body: kept in the log with its JSON, not fatal to the rest of the pull.
            tally.Fetched++;
            tally.Rejected++;
            await log.WriteAsync(new IntegrationLogEntry
            {
                ChannelId = channel.Id, Direction = IntegrationDirection.In, Kind = IntegrationLogKinds.OrderPull, Status = IntegrationStatus.Rejected,
                ExternalId = ExternalIdOf(element), Payload = element, Error = e.Message, At = clock.GetUtcNow(),
            }, ct);
            return null;
        }
        if (tally.Seen.TryGetValue(order.ExternalId, out var seenAt))
        {
            // The next keyset page starts a second before the last one's end, so the orders of that second come again.
            if (seenAt == order.ModifiedAt) return order.ModifiedAt;
            tally.Repeated = true;
        }
        tally.Seen[order.ExternalId] = order.ModifiedAt;
        tally.Fetched++;
        // A shop (or a proxy) that ignores the date filter answers with its whole history: what is older than the window is
        // not this pull's business — taking it would create and invoice old orders.
        if (order.ModifiedAt < from)
        {
            tally.Unchanged++;
            return order.ModifiedAt;
        }
        // A scope (DbContext, unit of work) per order, as a webhook delivery has: nothing tracked carries over between orders.
        IngestResult result;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            result = await scope.ServiceProvider.GetRequiredService<ShopOrderIngestion>().IngestPulledAsync(channel, order, element, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // One order that cannot be taken must not stop the channel's pulls for good: it is logged with its JSON, the rest
            // go on, and the watermark stops before it, so every round tries it again until it goes in.
            Microsoft.Extensions.Logging.LoggerExtensions.LogError(logger, e, "Pulling order {ExternalId} of channel {Channel} failed", order.ExternalId, channel.Name);
            tally.Rejected++;
            if (tally.FailedAt is null || order.ModifiedAt < tally.FailedAt) tally.FailedAt = order.ModifiedAt;
            await log.WriteAsync(new IntegrationLogEntry
            {
                ChannelId = channel.Id, Direction = IntegrationDirection.In, Kind = IntegrationLogKinds.OrderPull, Status = IntegrationStatus.Failed,
                ExternalId = order.ExternalId, Payload = element, Error = e.Message, At = clock.GetUtcNow(),
            }, CancellationToken.None);
            return order.ModifiedAt;
        }
        switch (result.Outcome)
        {
            case IngestOutcome.Created: tally.Created++; break;
            case IngestOutcome.Updated: tally.Updated++; break;
            case IngestOutcome.Held: tally.Held++; break;
            default: tally.Unchanged++; break;   // Duplicate or Stale: Kontor already had it
        }
        if (tally.Newest is null || order.ModifiedAt > tally.Newest) tally.Newest = order.ModifiedAt;
        return order.ModifiedAt;
    }

    private static string? ExternalIdOf(string element)
    {
        try
        {
            using var document = JsonDocument.Parse(element);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out var id)
                ? id.ValueKind == JsonValueKind.String ? id.GetString() : id.GetRawText()
                : null;
        }
        catch (JsonException) { return null; }
    }

    /// <summary>Reads the pages; <paramref name="page"/> takes one page's elements and returns the modification times of those that parsed.</summary>
    private async Task FetchAsync(SalesChannel channel, DateTimeOffset from, List<string> requests, Tally tally,
        Func<IReadOnlyList<string>, Task<IReadOnlyList<DateTimeOffset>>> page, CancellationToken ct)
    {
        if (channel.Type == ChannelType.WooCommerce) await WooCommerceAsync(channel, from, requests, tally, page, ct);
        else await ShopifyAsync(channel, from, requests, page, ct);
    }

    // https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-orders — page numbers, X-WP-TotalPages.
    // Keyset pages: the list is sorted by modification time, and an order that changes during the pull moves to its end, so
    // with page=N every order after it shifts one place forward and one of them falls between two pages unread. Instead, the
    // next page asks again from the last order's modification second less one (modified_after is "strictly after", to the
    // second): the orders of that second come again and are passed over by their unchanged modification time, and a changed
    // order only comes again later. Only when a whole page has one second (a bulk edit), or a page is not in order (a shop
    // ignoring orderby) or has an element that did not parse, does the next page go by number under the same modified_after.
    private async Task WooCommerceAsync(SalesChannel channel, DateTimeOffset from, List<string> requests, Tally tally,
        Func<IReadOnlyList<string>, Task<IReadOnlyList<DateTimeOffset>>> page, CancellationToken ct)
    {
        var after = Second(from.UtcDateTime);
        var number = 1;
        for (var call = 1; call <= options.Value.MaxPages; call++)
        {
            var since = Uri.EscapeDataString(after.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
            var url = WooCommerceConnector.Url(channel,
                $"wp-json/wc/v3/orders?modified_after={since}&dates_are_gmt=true&orderby=modified&order=asc&per_page={WooCommercePageSize}&page={number}");
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            secrets.AuthorizeShopCall(request, channel);
            var (body, headers) = await GetAsync(channel, request, requests, call, ct);
            var elements = Elements(body, null, call);
            var modified = await page(elements);
            var totalPages = headers.TryGetValues("X-WP-TotalPages", out var values)
                             && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var total) ? total : (int?)null;
            // WooCommerce says how many pages there are; without that header a short page is the last one.
            if (elements.Count == 0 || (totalPages is { } last ? number >= last : elements.Count < WooCommercePageSize)) return;
            var sorted = modified.Count == elements.Count && modified.Zip(modified.Skip(1)).All(p => p.First <= p.Second);
            var next = sorted ? Second(modified[^1].UtcDateTime).AddSeconds(-1) : after;
            if (next > after) (after, number) = (next, 1);
            else (number, tally.NumberedPages) = (number + 1, true);
        }
        throw new ShopPullFailedException(Messages.Format("The shop kept answering full pages after {0} pages; the pull stopped without moving the watermark.", options.Value.MaxPages), null, null);
    }

    /// <summary>Down to the whole second (WooCommerce keeps modification times to the second).</summary>
    private static DateTime Second(DateTime utc) => new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    // https://shopify.dev/docs/api/admin-rest/2024-01/resources/order#get-orders — cursor paging by the Link header: with
    // page_info no other filter may be sent, so the next page's address is followed exactly as Shopify gives it.
    private async Task ShopifyAsync(SalesChannel channel, DateTimeOffset from, List<string> requests, Func<IReadOnlyList<string>, Task<IReadOnlyList<DateTimeOffset>>> page, CancellationToken ct)
    {
        var min = Uri.EscapeDataString(from.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture));
        Uri? next = WooCommerceConnector.Url(channel, $"admin/api/{ShopifyConnector.ApiVersion}/orders.json?status=any&updated_at_min={min}&limit={ShopifyPageSize}");
        for (var number = 1; next is not null; number++)
        {
            if (number > options.Value.MaxPages)
                throw new ShopPullFailedException(Messages.Format("The shop kept giving a next page after {0} pages; the pull stopped without moving the watermark.", options.Value.MaxPages), null, null);
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            secrets.AuthorizeShopCall(request, channel);
            var (body, headers) = await GetAsync(channel, request, requests, number, ct);
            await page(Elements(body, "orders", number));
            next = NextLink(channel, headers);
        }
    }

    [GeneratedRegex("<([^>]+)>\\s*;\\s*rel=\"?next\"?", RegexOptions.IgnoreCase)]
    private static partial Regex NextLinkPattern();

    /// <summary>
    /// The <c>rel="next"</c> address of Shopify's Link header, or null on the last page. It must point at the channel's
    /// own shop (scheme, host and port): the access token is sent with it.
    /// </summary>
    private static Uri? NextLink(SalesChannel channel, HttpResponseHeaders headers)
    {
        if (!headers.TryGetValues("Link", out var values)) return null;
        foreach (var value in values)
        {
            var match = NextLinkPattern().Match(value);
            if (!match.Success) continue;
            var shop = WooCommerceConnector.Url(channel, "");
            if (!Uri.TryCreate(match.Groups[1].Value, UriKind.Absolute, out var link)
                || Uri.Compare(link, shop, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
                throw new ShopPullFailedException(Messages.Format("The shop's next page is not on the shop's address ({0}); Kontor does not send the access token there.", match.Groups[1].Value), null, value);
            return link;
        }
        return null;
    }

    private async Task<(string Body, HttpResponseHeaders Headers)> GetAsync(SalesChannel channel, HttpRequestMessage request, List<string> requests, int page, CancellationToken ct)
    {
        requests.Add($"GET {request.RequestUri}");
        // The whole page — headers and body — within the client's timeout, as a buffered call had it: the body is read here,
        // with a limit, instead of by the client.
        using var call = CancellationTokenSource.CreateLinkedTokenSource(ct);
        call.CancelAfter(http.Client.Timeout);
        try
        {
            HttpResponseMessage response;
            try { response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, call.Token); }
            catch (HttpRequestException e) { throw new ShopPullFailedException(Messages.Format("The shop could not be reached (page {0}): {1}", page, e.Message), null, null); }
            using (response)
            {
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400)
                {
                    // ConnectorHttp follows no redirect: the credentials would go along to wherever it points.
                    var location = response.Headers.Location is { } to ? new Uri(request.RequestUri!, to).ToString() : "(no Location)";
                    throw new ShopPullFailedException(Messages.Format(
                        "The shop answered {0} {1} on page {2}, a redirect to {3}; Kontor does not follow redirects with the channel's credentials. " +
                        "If the shop moved (to https://, to www. or to another domain), enter its new address as the channel's base address.",
                        status, response.ReasonPhrase, page, location), status, null);
                }
                var body = await ReadLimitedAsync(response.Content, page, call.Token);
                if (!response.IsSuccessStatusCode)
                {
                    var shown = Shorten(body);
                    var check = status is 401 or 403 ? CredentialsHint(channel) : "";
                    throw new ShopPullFailedException(Messages.Format("The shop answered {0} {1} on page {2}: {3}{4}", status, response.ReasonPhrase, page, check, shown), status, shown);
                }
                var contentType = response.Content.Headers.ContentType?.MediaType;
                // A proxy's or a WordPress security plugin's login or maintenance page answers 200 too: say so, not what a JSON
                // parser makes of "<!DOCTYPE html>".
                if (contentType is "text/html" or "application/xhtml+xml" || body.AsSpan().TrimStart().StartsWith("<"))
                    throw new ShopPullFailedException(Messages.Format(
                        "The shop answered page {0} with a web page ({1}) instead of JSON — a login, maintenance or security page " +
                        "(of a proxy or a WordPress security plugin) stands in front of the shop's API. It begins: {2}",
                        page, contentType ?? Messages.Translate("no content type"), Beginning(body)), status, Shorten(body));
                return (body, response.Headers);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ShopPullFailedException(Messages.Format("The shop did not answer page {0} within {1:0} s.", page, http.Client.Timeout.TotalSeconds), null, null);
        }
    }

    /// <summary>What to check when the shop refuses the credentials (401, 403).</summary>
    private static string CredentialsHint(SalesChannel channel)
    {
        if (channel.Type == ChannelType.Shopify)
            return Messages.Translate("check the channel's Admin API access token (its API secret) and that the app has the read_orders scope. The shop said: ");
        if (channel.BaseAddress!.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            return Messages.Translate("check the channel's WooCommerce consumer key and secret (WooCommerce → Settings → Advanced → REST API) and that the key has Read or Read/Write permission" +
                                      "; on a plain http:// address WooCommerce does not take the key by Basic authentication — use the shop's https:// address. The shop said: ");
        return Messages.Translate("check the channel's WooCommerce consumer key and secret (WooCommerce → Settings → Advanced → REST API) and that the key has Read or Read/Write permission" +
                                  ". The shop said: ");
    }

    /// <summary>
    /// The answer as text, refused past <see cref="OrderPullOptions.MaxPageMegabytes"/> — read in pieces, so a shop or proxy
    /// that sends without end cannot fill Kontor's memory.
    /// </summary>
    private async Task<string> ReadLimitedAsync(HttpContent content, int page, CancellationToken ct)
    {
        var limit = options.Value.MaxPageMegabytes * 1024L * 1024L;
        ShopPullFailedException TooLarge() => new(Messages.Format(
            "The shop's answer to page {0} is larger than {1} MB (Commerce:OrderPull:MaxPageMegabytes); the pull stopped without moving the watermark.", page, options.Value.MaxPageMegabytes), null, null);
        if (content.Headers.ContentLength > limit) throw TooLarge();
        try
        {
            await using var stream = await content.ReadAsStreamAsync(ct);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > limit) throw TooLarge();
                buffer.Write(chunk, 0, read);
            }
            // JSON is UTF-8 (RFC 8259); a web page in another charset still shows its beginning.
            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new ShopPullFailedException(Messages.Format("The shop's answer to page {0} broke off: {1}", page, e.Message), null, null);
        }
    }

    /// <summary>The first 200 characters of a body, its whitespace runs as one space (a web page's start, to recognise it by).</summary>
    private static string Beginning(string body)
    {
        var flat = WhitespaceRun().Replace(body.Length > 4000 ? body[..4000] : body, " ").Trim();
        return flat.Length > 200 ? flat[..200] + "…" : flat;
    }

    [GeneratedRegex("\\s+")]
    private static partial Regex WhitespaceRun();

    /// <summary>The raw JSON of each order of a page: the list itself (WooCommerce) or the list under <paramref name="property"/> (Shopify).</summary>
    private static IReadOnlyList<string> Elements(string body, string? property, int page)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var list = document.RootElement;
            if (property is not null && list.ValueKind == JsonValueKind.Object && list.TryGetProperty(property, out var inner)) list = inner;
            if (list.ValueKind != JsonValueKind.Array)
                throw new ShopPullFailedException(Messages.Format("The shop's page {0} is not a list of orders.", page), 200, Shorten(body));
            return list.EnumerateArray().Select(e => e.GetRawText()).ToList();
        }
        catch (JsonException e) { throw new ShopPullFailedException(Messages.Format("The shop's page {0} is not JSON: {1}", page, e.Message), 200, Shorten(body)); }
    }

    private static string Shorten(string body) => body.Length > MaxBodyShown ? body[..MaxBodyShown] + "…" : body;

    private static string Describe(Tally t, DateTimeOffset from, DateTimeOffset? pulledUntil) =>
        $"Modified since {Utc(from)}: fetched {t.Fetched} (created {t.Created}, updated {t.Updated}, unchanged {t.Unchanged}, held {t.Held}, rejected {t.Rejected}); " +
        $"fetched up to {(pulledUntil is { } until ? Utc(until) : "—")}.";

    /// <summary>To the second, in UTC, as a person reads it in the log (the exact instants are in the pull's API answer).</summary>
    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " UTC";

    private IntegrationLogEntry Entry(SalesChannel channel, IntegrationStatus status, List<string> requests, string response, string? error) => new()
    {
        ChannelId = channel.Id, Direction = IntegrationDirection.In, Kind = IntegrationLogKinds.OrderPull, Status = status,
        Payload = string.Join('\n', requests), Response = response, Error = error, At = clock.GetUtcNow(),
    };
}

/// <summary>
/// The worker's round: every pullable channel in turn, each within <see cref="OrderPullOptions.ChannelTimeoutMinutes"/>;
/// one channel's failure or overrun (logged) does not stop the others.
/// </summary>
public sealed class ShopOrderPullRound(IServiceScopeFactory scopes, IOptions<OrderPullOptions> options, Microsoft.Extensions.Logging.ILogger<ShopOrderPullRound> logger)
{
    public async Task<IReadOnlyList<OrderPullSummary>> PullAllAsync(CancellationToken ct = default)
    {
        IReadOnlyList<Guid> channels;
        await using (var scope = scopes.CreateAsyncScope())
            channels = await scope.ServiceProvider.GetRequiredService<ShopOrderPull>().PullableChannelsAsync(ct);
        var done = new List<OrderPullSummary>();
        foreach (var id in channels)
        {
            await using var scope = scopes.CreateAsyncScope();
            try { done.Add(await scope.ServiceProvider.GetRequiredService<ShopOrderPull>().PullAsync(id, null, TimeSpan.FromMinutes(options.Value.ChannelTimeoutMinutes), ct)); }
            catch (Exception e) when (e is ShopPullFailedException or ConflictException or NotFoundException)
            {
                // Already in the integration log (shop failures) or the channel changed meanwhile: the next round tries again.
                Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(logger, "Order pull of channel {Channel} failed: {Reason}", id, e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // Anything else (the database, a bug) is logged too, and the other channels still get their pull.
                Microsoft.Extensions.Logging.LoggerExtensions.LogError(logger, e, "Order pull of channel {Channel} failed.", id);
            }
        }
        return done;
    }
}
