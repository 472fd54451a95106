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
/// PUT /wp-json/wc/v3/products/{id}[/variations/{id}]) and Shopify Admin 2024-01 (POST orders/{id}/fulfillments.json,
/// POST inventory_levels/set.json, PUT variants/{id}.json), and can be told to fail the next N calls with 503.
/// </summary>
public sealed class FakeShop : IAsyncDisposable
{
    private readonly WebApplication app;
    private int failuresLeft;

    public ConcurrentQueue<(string Method, string Path, string? Authorization, string? ShopifyToken, JsonNode? Body)> Calls { get; } = new();
    public string BaseAddress { get; }

    public int FailNext { set => Interlocked.Exchange(ref failuresLeft, value); }

    private FakeShop(WebApplication app, string baseAddress) => (this.app, BaseAddress) = (app, baseAddress);

    public static async Task<FakeShop> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeShop? shop = null;
        async Task<IResult> Handle(HttpContext http, Func<JsonNode?, IResult> answer)
        {
            var body = await JsonNode.ParseAsync(http.Request.Body);
            shop!.Calls.Enqueue((http.Request.Method, http.Request.Path.Value!, http.Request.Headers.Authorization.ToString(),
                http.Request.Headers["X-Shopify-Access-Token"].ToString(), body));
            if (Interlocked.Decrement(ref shop.failuresLeft) >= 0)
                return Results.Json(new { code = "internal_server_error", message = "Try again later." }, statusCode: 503);
            return answer(body);
        }
        app.MapPut("/wp-json/wc/v3/orders/{id}", (string id, HttpContext http) => Handle(http, body =>
            Results.Json(new { id = long.Parse(id), status = (string?)body?["status"], date_modified_gmt = "2026-03-20T10:00:00" })));
        app.MapPost("/wp-json/wc/v3/orders/{id}/notes", (string id, HttpContext http) => Handle(http, body =>
            Results.Json(new { id = 281, note = (string?)body?["note"], customer_note = (bool?)body?["customer_note"] }, statusCode: 201)));
        app.MapPut("/wp-json/wc/v3/products/{id}", (string id, HttpContext http) => Handle(http, body =>
            Results.Json(new { id = long.Parse(id), stock_quantity = (int?)body?["stock_quantity"], regular_price = (string?)body?["regular_price"] })));
        app.MapPut("/wp-json/wc/v3/products/{id}/variations/{variation}", (string id, string variation, HttpContext http) => Handle(http, body =>
            Results.Json(new { id = long.Parse(variation), parent_id = long.Parse(id), stock_quantity = (int?)body?["stock_quantity"], regular_price = (string?)body?["regular_price"] })));
        app.MapPut("/admin/api/2024-01/variants/{id}.json", (string id, HttpContext http) => Handle(http, body =>
            Results.Json(new { variant = new { id = long.Parse(id), price = (string?)body?["variant"]?["price"] } })));
        app.MapPost("/admin/api/2024-01/orders/{id}/fulfillments.json", (string id, HttpContext http) => Handle(http, _ =>
            Results.Json(new { fulfillment = new { id = 255858046, order_id = long.Parse(id), status = "success" } }, statusCode: 201)));
        app.MapPost("/admin/api/2024-01/inventory_levels/set.json", (HttpContext http) => Handle(http, body =>
            Results.Json(new { inventory_level = new { inventory_item_id = (string?)body?["inventory_item_id"], location_id = (string?)body?["location_id"], available = (int?)body?["available"] } })));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        shop = new FakeShop(app, address);
        return shop;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
