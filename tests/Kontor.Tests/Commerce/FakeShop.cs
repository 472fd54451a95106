using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kontor.Tests.Commerce;

/// <summary>
/// A local shop on a loopback port that answers like WooCommerce REST v3 (PUT /wp-json/wc/v3/orders/{id}, POST …/orders/{id}/notes,
/// PUT /wp-json/wc/v3/products/{id}[/variations/{id}]) and Shopify Admin 2024-01 (POST orders/{id}/fulfillments.json, POST orders/{id}/cancel.json,
/// GET orders/{id}.json, POST inventory_levels/set.json, PUT variants/{id}.json), and can be told to fail the next N calls with 503
/// or to act on them and lose the answer (504).
/// It also lists the orders a test put in it, as the catch-up pull asks for them: WooCommerce GET /wp-json/wc/v3/orders
/// (modified_after with dates_are_gmt, orderby=modified&amp;order=asc, page/per_page, X-WP-Total and X-WP-TotalPages) and
/// Shopify GET /admin/api/2024-01/orders.json (updated_at_min, limit, cursor pages by the Link header's page_info — with
/// which, as on Shopify, no other filter is allowed: 400). Pages hold at most <see cref="PageSize"/> orders whatever is asked.
/// </summary>
public sealed class FakeShop : IAsyncDisposable
{
    private readonly WebApplication app;
    private int failuresLeft;

    public ConcurrentQueue<(string Method, string Path, string? Authorization, string? ShopifyToken, JsonNode? Body)> Calls { get; } = new();
    public string BaseAddress { get; }

    public int FailNext { set => Interlocked.Exchange(ref failuresLeft, value); }

    /// <summary>Shopify orders cancelled or fulfilled through the API (id → when), as GET orders/{id}.json tells them.</summary>
    private readonly ConcurrentDictionary<string, string> shopifyCancelled = new(), shopifyFulfilled = new();

    /// <summary>The next call whose path ends with this is carried out and then answered 504 (once), as when the answer is lost on the way back.</summary>
    public string? LoseAnswerOnce { get; set; }

    /// <summary>WooCommerce order notes added through the API (order id → notes), as GET orders/{id}/notes lists them.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<string>> WooNotes { get; } = new();

    /// <summary>Shopify orders this shop will not cancel (422, as for an order already fulfilled in the shop).</summary>
    public ConcurrentDictionary<string, bool> ShopifyUncancellable { get; } = new();

    private readonly Lock listed = new();
    private readonly Dictionary<string, JsonObject> wooOrders = new();
    private readonly Dictionary<string, JsonObject> shopifyOrders = new();

    /// <summary>Every list call: method, path and query string, Basic authorization, Shopify token.</summary>
    public ConcurrentQueue<(string Path, string Query, string? Authorization, string? ShopifyToken)> ListCalls { get; } = new();
    /// <summary>The largest page this shop answers (real shops cap it too: WooCommerce at 100, Shopify at 250).</summary>
    public int PageSize { get; set; } = 100;
    private int failListPage, listCallsSinceFailSet;
    /// <summary>The n-th list call (1-based, counted from when this is set: the n-th page a pull asks for) answered 500 instead.</summary>
    public int FailListPage
    {
        get => failListPage;
        set { failListPage = value; Interlocked.Exchange(ref listCallsSinceFailSet, 0); }
    }
    private bool FailsThisCall() => Interlocked.Increment(ref listCallsSinceFailSet) == failListPage;
    /// <summary>
    /// Answers a list call in place of the shop when it returns a result (a proxy's web page, a redirect, an endless or
    /// hanging body); null lets the shop answer. The call is in <see cref="ListCalls"/> either way.
    /// </summary>
    public Func<HttpContext, IResult?>? ListOverride { get; set; }
    /// <summary>When set, every call is answered 307 to this address plus the call's path and query (a shop that moved).</summary>
    public string? RedirectTo { get; set; }

    /// <summary>Puts an order (a WooCommerce REST order) in the shop, replacing the one with the same id.</summary>
    public void PutWooOrder(JsonObject order) { lock (listed) wooOrders[order["id"]!.ToJsonString()] = (JsonObject)order.DeepClone(); }

    /// <summary>Puts an order (a Shopify REST order) in the shop, replacing the one with the same id.</summary>
    public void PutShopifyOrder(JsonObject order) { lock (listed) shopifyOrders[order["id"]!.ToJsonString()] = (JsonObject)order.DeepClone(); }

    private IResult ListWoo(HttpContext http)
    {
        var query = http.Request.Query;
        ListCalls.Enqueue((http.Request.Path.Value!, http.Request.QueryString.Value ?? "", http.Request.Headers.Authorization.ToString(), null));
        if (ListOverride?.Invoke(http) is { } instead) return instead;
        if (!http.Request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.Ordinal))
            return Results.Json(new { code = "woocommerce_rest_cannot_view", message = "Sorry, you cannot list resources." }, statusCode: 401);
        var page = int.Parse(query["page"].FirstOrDefault() ?? "1");
        if (FailsThisCall()) return Results.Json(new { code = "internal_server_error", message = "Database connection lost." }, statusCode: 500);
        // dates_are_gmt=true: modified_after is UTC; WooCommerce lists the orders modified strictly after it.
        var after = DateTime.Parse(query["modified_after"]!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
        var perPage = Math.Min(int.Parse(query["per_page"].FirstOrDefault() ?? "10"), PageSize);
        List<JsonObject> matching;
        lock (listed)
            matching = wooOrders.Values.Select(o => (Order: o, Modified: DateTime.Parse((string)o["date_modified_gmt"]!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal)))
                .Where(o => o.Modified > after).OrderBy(o => o.Modified).ThenBy(o => o.Order["id"]!.ToJsonString()).Select(o => (JsonObject)o.Order.DeepClone()).ToList();
        http.Response.Headers["X-WP-Total"] = matching.Count.ToString();
        http.Response.Headers["X-WP-TotalPages"] = ((matching.Count + perPage - 1) / perPage).ToString();
        return Results.Content(new JsonArray(matching.Skip((page - 1) * perPage).Take(perPage).ToArray<JsonNode?>()).ToJsonString(), "application/json");
    }

    private IResult ListShopify(HttpContext http)
    {
        var query = http.Request.Query;
        ListCalls.Enqueue((http.Request.Path.Value!, http.Request.QueryString.Value ?? "", null, http.Request.Headers["X-Shopify-Access-Token"].ToString()));
        if (ListOverride?.Invoke(http) is { } instead) return instead;
        if (string.IsNullOrEmpty(http.Request.Headers["X-Shopify-Access-Token"].ToString()))
            return Results.Json(new { errors = "[API] Invalid API key or access token (unrecognized login or wrong password)" }, statusCode: 401);
        var limit = Math.Min(int.Parse(query["limit"].FirstOrDefault() ?? "50"), PageSize);
        int offset;
        string min;
        if (query["page_info"].FirstOrDefault() is { } pageInfo)
        {
            if (query.Keys.Any(k => k is not ("page_info" or "limit" or "fields")))
                return Results.Json(new { errors = new { page_info = new[] { "page_info - Invalid value." } } }, statusCode: 400);
            var cursor = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(pageInfo)).Split('|');
            (offset, min) = (int.Parse(cursor[0]), cursor[1]);
        }
        else (offset, min) = (0, query["updated_at_min"].FirstOrDefault() ?? "2000-01-01T00:00:00Z");
        if (FailsThisCall()) return Results.Json(new { errors = "Internal Server Error" }, statusCode: 500);
        var from = DateTimeOffset.Parse(min, System.Globalization.CultureInfo.InvariantCulture);
        List<JsonObject> matching;
        lock (listed)
            matching = shopifyOrders.Values.Where(o => DateTimeOffset.Parse((string)o["updated_at"]!, System.Globalization.CultureInfo.InvariantCulture) >= from)
                .OrderBy(o => o["id"]!.GetValue<long>()).Select(o => (JsonObject)o.DeepClone()).ToList();
        string Link(int at) => $"<{BaseAddress}/admin/api/2024-01/orders.json?limit={limit}&page_info={Uri.EscapeDataString(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{at}|{min}")))}>";
        var links = new List<string>();
        if (offset > 0) links.Add(Link(Math.Max(0, offset - limit)) + "; rel=\"previous\"");
        if (offset + limit < matching.Count) links.Add(Link(offset + limit) + "; rel=\"next\"");
        if (links.Count > 0) http.Response.Headers["Link"] = string.Join(", ", links);
        return Results.Content(new JsonObject { ["orders"] = new JsonArray(matching.Skip(offset).Take(limit).ToArray<JsonNode?>()) }.ToJsonString(), "application/json");
    }

    private FakeShop(WebApplication app, string baseAddress) => (this.app, BaseAddress) = (app, baseAddress);

    public static async Task<FakeShop> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeShop? shop = null;
        app.Use(async (http, next) =>
        {
            if (shop?.RedirectTo is { } to)
            {
                http.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
                http.Response.Headers.Location = to + http.Request.Path + http.Request.QueryString;
                return;
            }
            await next(http);
        });
        async Task<IResult> Handle(HttpContext http, Func<JsonNode?, IResult> answer)
        {
            var body = await JsonNode.ParseAsync(http.Request.Body);
            shop!.Calls.Enqueue((http.Request.Method, http.Request.Path.Value!, http.Request.Headers.Authorization.ToString(),
                http.Request.Headers["X-Shopify-Access-Token"].ToString(), body));
            if (Interlocked.Decrement(ref shop.failuresLeft) >= 0)
                return Results.Json(new { code = "internal_server_error", message = "Try again later." }, statusCode: 503);
            var answered = answer(body);
            if (shop.LoseAnswerOnce is { } lose && http.Request.Path.Value!.EndsWith(lose, StringComparison.Ordinal))
            {
                shop.LoseAnswerOnce = null;
                return Results.Json(new { errors = "Gateway Timeout" }, statusCode: 504);
            }
            return answered;
        }
        app.MapPut("/wp-json/wc/v3/orders/{id}", (string id, HttpContext http) => Handle(http, body =>
            Results.Json(new { id = long.Parse(id), status = (string?)body?["status"], date_modified_gmt = "2026-03-20T10:00:00" })));
        app.MapPost("/wp-json/wc/v3/orders/{id}/notes", (string id, HttpContext http) => Handle(http, body =>
        {
            shop!.WooNotes.GetOrAdd(id, _ => new()).Enqueue((string?)body?["note"] ?? "");
            return Results.Json(new { id = 281, note = (string?)body?["note"], customer_note = (bool?)body?["customer_note"] }, statusCode: 201);
        }));
        app.MapGet("/wp-json/wc/v3/orders/{id}/notes", (string id, HttpContext http) =>
        {
            shop!.Calls.Enqueue(("GET", http.Request.Path.Value!, http.Request.Headers.Authorization.ToString(), null, null));
            var notes = shop.WooNotes.TryGetValue(id, out var added) ? added.Select((n, i) => new { id = 281 + i, note = n, customer_note = true }).ToArray() : [];
            return Results.Json(notes);
        });
        app.MapPut("/wp-json/wc/v3/products/{id}", (string id, HttpContext http) => Handle(http, body =>
            Results.Json(new { id = long.Parse(id), stock_quantity = (int?)body?["stock_quantity"], regular_price = (string?)body?["regular_price"] })));
        app.MapPut("/wp-json/wc/v3/products/{id}/variations/{variation}", (string id, string variation, HttpContext http) => Handle(http, body =>
            Results.Json(new { id = long.Parse(variation), parent_id = long.Parse(id), stock_quantity = (int?)body?["stock_quantity"], regular_price = (string?)body?["regular_price"] })));
        app.MapPut("/admin/api/2024-01/variants/{id}.json", (string id, HttpContext http) => Handle(http, body =>
            Results.Json(new { variant = new { id = long.Parse(id), price = (string?)body?["variant"]?["price"] } })));
        // Like Shopify, cancelling or fulfilling an order twice is refused with 422 (the state is per order id).
        app.MapPost("/admin/api/2024-01/orders/{id}/fulfillments.json", (string id, HttpContext http) => Handle(http, _ =>
            shop!.shopifyFulfilled.TryAdd(id, "fulfilled")
                ? Results.Json(new { fulfillment = new { id = 255858046, order_id = long.Parse(id), status = "success" } }, statusCode: 201)
                : Results.Json(new { errors = new Dictionary<string, string[]> { ["base"] = ["Line items are already fulfilled"] } }, statusCode: 422)));
        app.MapPost("/admin/api/2024-01/orders/{id}/cancel.json", (string id, HttpContext http) => Handle(http, _ =>
            shop!.ShopifyUncancellable.ContainsKey(id)
                ? Results.Json(new { error = "Cannot cancel an order that has been fulfilled" }, statusCode: 422)
                : shop.shopifyCancelled.TryAdd(id, "2026-03-20T10:00:00+01:00")
                    ? Results.Json(new { order = new { id = long.Parse(id), cancel_reason = "other", cancelled_at = shop.shopifyCancelled[id] } })
                    : Results.Json(new { error = "Order has already been cancelled" }, statusCode: 422)));
        app.MapGet("/admin/api/2024-01/orders/{id}.json", (string id, HttpContext http) =>
        {
            shop!.Calls.Enqueue(("GET", http.Request.Path.Value! + http.Request.QueryString, null, http.Request.Headers["X-Shopify-Access-Token"].ToString(), null));
            return Results.Json(new
            {
                order = new
                {
                    id = long.Parse(id),
                    cancelled_at = shop.shopifyCancelled.TryGetValue(id, out var at) ? at : null,
                    fulfillment_status = shop.shopifyFulfilled.ContainsKey(id) ? "fulfilled" : null,
                },
            });
        });
        // Cast to Delegate: a lambda of HttpContext alone would bind as a RequestDelegate, which drops the returned result.
        app.MapPost("/admin/api/2024-01/inventory_levels/set.json", (Delegate)((HttpContext http) => Handle(http, body =>
            Results.Json(new { inventory_level = new { inventory_item_id = (string?)body?["inventory_item_id"], location_id = (string?)body?["location_id"], available = (int?)body?["available"] } }))));
        app.MapGet("/wp-json/wc/v3/orders", (HttpContext http) => shop!.ListWoo(http));
        app.MapGet("/admin/api/2024-01/orders.json", (HttpContext http) => shop!.ListShopify(http));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        shop = new FakeShop(app, address);
        return shop;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
