using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Kontor.Common;
using Kontor.Offers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kontor.Tests.Integration;

/// <summary>Offers: draft → sent (numbered) → accepted → invoice draft, the links both ways, refused transitions and expiry.</summary>
public abstract class OfferTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    // Each test works in a month of its own, so offer numbers and the clock do not depend on test order.

    [Fact]
    public async Task Accepted_offer_becomes_an_invoice_draft_with_every_line_price_discount_and_the_buyer()
    {
        app.Clock.SetDate(new DateOnly(2026, 5, 4));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync("Hurtownia Ofertowa Sp. z o.o.")).Id();
        var product = await sales.CreateProductAsync("100.00", "23");

        var offer = await sales.PostCreatedAsync("/api/offers", new
        {
            partyId, currency = "PLN", pricingMode = "Net", notes = "Dostawa w 7 dni.",
            lines = new object[]
            {
                new { productId = product.Id(), quantity = 3, discountPercent = 10 },                                      // 3 × 100.00 × 0.90 = 270.00 at 23 %
                new { description = "Montaż", quantity = "2.5", unit = "godz.", unitPrice = "40.00", vatRateCode = "8" }, // 2.5 × 40.00 = 100.00 at 8 %
            },
        });
        Assert.Equal("Draft", offer.Str("status"));
        Assert.Null(offer["number"]?.GetValue<string>());
        Assert.Equal("2026-05-18", offer.Str("validUntil")); // 4 May + 14 days
        Assert.Equal(370.00m, offer.Amount("totalNet"));
        Assert.Equal(70.10m, offer.Amount("totalVat"));     // 23 % of 270.00 = 62.10; 8 % of 100.00 = 8.00
        Assert.Equal(440.10m, offer.Amount("totalGross"));
        var offerId = offer.Id();

        var sent = await sales.PostOkAsync($"/api/offers/{offerId}/send");
        Assert.Equal("Sent", sent.Str("status"));
        Assert.Equal("OF/2026/05/1", sent.Str("number"));
        var accepted = await sales.PostOkAsync($"/api/offers/{offerId}/accept");
        Assert.Equal("Accepted", accepted.Str("status"));

        var conversion = await sales.PostCreatedAsync($"/api/offers/{offerId}/convert-to-invoice", new { });
        var invoiceId = Guid.Parse(conversion.Str("invoiceId"));
        var invoice = await sales.GetOkAsync($"/api/invoices/{invoiceId}");

        Assert.Equal("Draft", invoice.Str("status"));
        Assert.Equal(partyId.ToString(), invoice.Str("partyId"));
        Assert.Equal("PLN", invoice.Str("currency"));
        Assert.Equal("Net", invoice.Str("pricingMode"));
        Assert.Equal("Dostawa w 7 dni.", invoice.Str("notes"));
        var offerLines = accepted.Arr("lines");
        var invoiceLines = invoice.Arr("lines");
        Assert.Equal(2, invoiceLines.Count);
        for (var i = 0; i < offerLines.Count; i++)
        {
            var o = offerLines[i]!;
            var v = invoiceLines[i]!;
            foreach (var field in new[] { "position", "productId", "description", "unit", "quantity", "unitPrice", "discountPercent", "vatRateCode", "vatPercent" })
                Assert.Equal(o[field]?.ToJsonString(), v[field]?.ToJsonString());
            foreach (var money in new[] { "net", "vat", "gross" })
                Assert.Equal(o.Amount(money), v.Amount(money));
        }
        // The values themselves, by hand, not only "same as the offer".
        Assert.Equal((product.Id().ToString(), "Produkt testowy", "szt.", 3m, 100.00m, 10m, "23"),
            (invoiceLines[0].Str("productId"), invoiceLines[0].Str("description"), invoiceLines[0].Str("unit"), invoiceLines[0]!["quantity"]!.GetValue<decimal>(),
             invoiceLines[0]!["unitPrice"]!.GetValue<decimal>(), invoiceLines[0]!["discountPercent"]!.GetValue<decimal>(), invoiceLines[0].Str("vatRateCode")));
        Assert.Equal(("Montaż", "godz.", 2.5m, 40.00m, 0m, "8"),
            (invoiceLines[1].Str("description"), invoiceLines[1].Str("unit"), invoiceLines[1]!["quantity"]!.GetValue<decimal>(),
             invoiceLines[1]!["unitPrice"]!.GetValue<decimal>(), invoiceLines[1]!["discountPercent"]!.GetValue<decimal>(), invoiceLines[1].Str("vatRateCode")));
        Assert.Equal((370.00m, 70.10m, 440.10m), (invoice.Amount("totalNet"), invoice.Amount("totalVat"), invoice.Amount("totalGross")));

        var issued = await sales.IssueAsync(invoiceId);
        Assert.Equal("Issued", issued.Str("status"));
        Assert.Equal("Hurtownia Ofertowa Sp. z o.o.", issued["buyer"].Str("name"));
        Assert.Equal(440.10m, issued.Amount("totalGross"));

        var fromOffer = Assert.Single((await sales.GetOkAsync($"/api/documents/{offerId}/links")).AsArray())!;
        Assert.Equal(("to", "invoice", invoiceId.ToString(), issued.Str("number")),
            (fromOffer.Str("direction"), fromOffer.Str("type"), fromOffer.Str("id"), fromOffer.Str("number")));
        var intoInvoice = Assert.Single((await sales.GetOkAsync($"/api/documents/{invoiceId}/links")).AsArray())!;
        Assert.Equal(("from", "offer", offerId.ToString(), "OF/2026/05/1"),
            (intoInvoice.Str("direction"), intoInvoice.Str("type"), intoInvoice.Str("id"), intoInvoice.Str("number")));
        var offerAfter = await sales.GetOkAsync($"/api/offers/{offerId}");
        Assert.Equal("Accepted", offerAfter.Str("status"));
        Assert.Equal(invoiceId.ToString(), Assert.Single(offerAfter.Arr("links"))!.Str("id"));

        var invoicesBefore = await app.QueryAsync(db => db.Invoices.CountAsync());
        var (status, problem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/offers/{offerId}/convert-to-invoice");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains(issued.Str("number"), problem.Str("detail"));
        Assert.Equal(invoicesBefore, await app.QueryAsync(db => db.Invoices.CountAsync()));

        var audit = await app.QueryAsync(db => db.AuditEntries.Where(a => a.EntityId == offerId.ToString()).Select(a => a.Action).ToListAsync());
        // The 10 % typed on the product line is not what pricing gives (no rule: 0 %), so it is audited as a manual override (decision 17).
        Assert.Equal(["offer.accepted", "offer.converted", "offer.draft-created", "offer.sent", "pricing.manual-override"], audit.Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task Status_changes_out_of_order_are_refused_with_409_and_change_nothing()
    {
        app.Clock.SetDate(new DateOnly(2026, 7, 6));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var draftId = (await CreateOfferAsync(sales, partyId)).Id();

        await ExpectConflictAsync(sales, $"/api/offers/{draftId}/accept", "draft");
        await ExpectConflictAsync(sales, $"/api/offers/{draftId}/reject", "draft");
        await ExpectConflictAsync(sales, $"/api/offers/{draftId}/convert-to-invoice", "draft");

        await sales.PostOkAsync($"/api/offers/{draftId}/send");
        await ExpectConflictAsync(sales, $"/api/offers/{draftId}/send", "sent");
        await ExpectConflictAsync(sales, $"/api/offers/{draftId}/convert-to-invoice", "sent");
        var (putStatus, _, _) = await sales.SendAsync(HttpMethod.Put, $"/api/offers/{draftId}", OfferBody(partyId));
        Assert.Equal(HttpStatusCode.Conflict, putStatus);

        await sales.PostOkAsync($"/api/offers/{draftId}/reject");
        await ExpectConflictAsync(sales, $"/api/offers/{draftId}/accept", "rejected");
        await ExpectConflictAsync(sales, $"/api/offers/{draftId}/convert-to-invoice", "rejected");

        var acceptedId = (await CreateOfferAsync(sales, partyId)).Id();
        await sales.PostOkAsync($"/api/offers/{acceptedId}/send");
        await sales.PostOkAsync($"/api/offers/{acceptedId}/accept");
        await ExpectConflictAsync(sales, $"/api/offers/{acceptedId}/reject", "accepted");

        var rejected = await sales.GetOkAsync($"/api/offers/{draftId}");
        Assert.Equal("Rejected", rejected.Str("status"));
        Assert.Empty(rejected.Arr("links"));
        Assert.Equal(0, await app.QueryAsync(db => db.DocumentLinks.CountAsync(l => l.FromId == draftId)));
    }

    [Fact]
    public async Task A_refused_step_is_said_in_the_readers_language_with_the_offers_state_and_the_step_in_its_words()
    {
        app.Clock.SetDate(new DateOnly(2026, 9, 7));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var offerId = (await CreateOfferAsync(sales, partyId)).Id();
        var number = (await sales.PostOkAsync($"/api/offers/{offerId}/send")).Str("number");

        async Task<string> RefusalAsync(string culture, Func<OfferService, Task> step)
        {
            using (UiLanguage.Use(culture))
            {
                await using var scope = app.Services.CreateAsyncScope();
                return (await Assert.ThrowsAsync<ConflictException>(() => step(scope.ServiceProvider.GetRequiredService<OfferService>()))).Message;
            }
        }

        Assert.Equal($"Offer {number} is sent; only a draft offer can be sent.", await RefusalAsync("en", s => s.SendAsync(offerId)));
        Assert.Equal($"Oferta {number} ma status: wysłana; tylko oferta o statusie: szkic może zostać wysłana.", await RefusalAsync("pl", s => s.SendAsync(offerId)));
        Assert.Equal($"Предложение {number} в статусе «отправлено»; только предложение в статусе «черновик» может быть отправлено.",
            await RefusalAsync("ru", s => s.SendAsync(offerId)));
        Assert.Equal($"Oferta {number} ma status: wysłana; tylko oferta o statusie: zaakceptowana może zostać przekształcona w zamówienie.",
            await RefusalAsync("pl", s => s.ConvertToOrderAsync(offerId)));
        Assert.Equal($"Предложение {number} в статусе «отправлено»; только предложение в статусе «принято» может быть преобразовано в заказ.",
            await RefusalAsync("ru", s => s.ConvertToOrderAsync(offerId)));
    }

    [Fact]
    public async Task A_sent_or_accepted_offer_past_its_validity_is_expired_and_can_no_longer_be_answered_or_converted()
    {
        app.Clock.SetDate(new DateOnly(2026, 6, 1));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var sentId = (await CreateOfferAsync(sales, partyId, validUntil: new DateOnly(2026, 6, 5))).Id();
        await sales.PostOkAsync($"/api/offers/{sentId}/send");
        var acceptedId = (await CreateOfferAsync(sales, partyId, validUntil: new DateOnly(2026, 6, 5))).Id();
        await sales.PostOkAsync($"/api/offers/{acceptedId}/send");
        await sales.PostOkAsync($"/api/offers/{acceptedId}/accept");
        var convertedId = (await CreateOfferAsync(sales, partyId, validUntil: new DateOnly(2026, 6, 5))).Id();
        await sales.PostOkAsync($"/api/offers/{convertedId}/send");
        await sales.PostOkAsync($"/api/offers/{convertedId}/accept");
        await sales.PostCreatedAsync($"/api/offers/{convertedId}/convert-to-invoice", new { });

        // On the last valid day nothing has expired yet.
        app.Clock.SetDate(new DateOnly(2026, 6, 5));
        sales = await app.ClientAsync(Roles.Sales);
        Assert.Equal("Sent", (await sales.GetOkAsync($"/api/offers/{sentId}")).Str("status"));

        app.Clock.SetDate(new DateOnly(2026, 6, 6));
        sales = await app.ClientAsync(Roles.Sales);
        Assert.Equal("Expired", (await sales.GetOkAsync($"/api/offers/{sentId}")).Str("status"));
        Assert.Equal("Expired", (await sales.GetOkAsync($"/api/offers/{acceptedId}")).Str("status"));
        Assert.Equal("Accepted", (await sales.GetOkAsync($"/api/offers/{convertedId}")).Str("status")); // already became an invoice

        await ExpectConflictAsync(sales, $"/api/offers/{sentId}/accept", "expired");
        await ExpectConflictAsync(sales, $"/api/offers/{sentId}/reject", "expired");
        await ExpectConflictAsync(sales, $"/api/offers/{acceptedId}/convert-to-invoice", "expired");

        var expired = (await sales.GetOkAsync($"/api/offers?partyId={partyId}&status=Expired")).AsArray().Select(o => o.Str("id")).ToHashSet();
        Assert.Equal(new HashSet<string> { sentId.ToString(), acceptedId.ToString() }, expired);
        var acceptedNow = (await sales.GetOkAsync($"/api/offers?partyId={partyId}&status=Accepted")).AsArray().Select(o => o.Str("id")).ToList();
        Assert.Equal([convertedId.ToString()], acceptedNow);
        Assert.Empty((await sales.GetOkAsync($"/api/offers?partyId={partyId}&status=Sent")).AsArray());
    }

    [Fact]
    public async Task Bad_input_is_refused_with_400_naming_the_field_and_nothing_is_written()
    {
        app.Clock.SetDate(new DateOnly(2026, 8, 3));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var before = await CountsAsync();

        var (status, problem, _) = await sales.SendAsync(HttpMethod.Post, "/api/offers", new
        {
            partyId, currency = "PLN", pricingMode = "Net", validUntil = new DateOnly(2026, 8, 2),
            lines = new object[]
            {
                new { description = "Usługa", quantity = 0, unitPrice = "10.00", vatRateCode = "23" },
                new { description = "Usługa", quantity = 1, unitPrice = "10.00", discountPercent = 120, vatRateCode = "23" },
                new { description = "Usługa", quantity = 1, unitPrice = "10.00", vatRateCode = "99" },
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = problem!["errors"]!.AsObject();
        foreach (var field in new[] { "validUntil", "lines[0].quantity", "lines[1].discountPercent", "lines[2].vatRateCode" })
            Assert.True(errors.ContainsKey(field), $"{field} missing in {errors.ToJsonString()}");

        var (unknownStatus, unknownProblem, _) = await sales.SendAsync(HttpMethod.Post, "/api/offers", OfferBody(Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.BadRequest, unknownStatus);
        Assert.NotNull(unknownProblem!["errors"]!["partyId"]);

        var (emptyStatus, emptyProblem, _) = await sales.SendAsync(HttpMethod.Post, "/api/offers", """{"partyId": "not-a-guid", "lines": []}""");
        Assert.Equal(HttpStatusCode.BadRequest, emptyStatus);
        Assert.Contains("partyId", emptyProblem!.ToJsonString(), StringComparison.OrdinalIgnoreCase);

        // An offer with no lines is a valid draft but cannot be sent.
        var noLines = await sales.PostCreatedAsync("/api/offers", new { partyId, currency = "PLN", pricingMode = "Net", lines = Array.Empty<object>() });
        var (sendStatus, sendProblem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/offers/{noLines.Id()}/send");
        Assert.Equal(HttpStatusCode.BadRequest, sendStatus);
        Assert.NotNull(sendProblem!["errors"]!["lines"]);
        Assert.Equal("Draft", (await sales.GetOkAsync($"/api/offers/{noLines.Id()}")).Str("status"));
        Assert.Null((await sales.GetOkAsync($"/api/offers/{noLines.Id()}"))["number"]?.GetValue<string>());

        var after = await CountsAsync();
        Assert.Equal(before.Offers + 1, after.Offers); // only the empty draft
        Assert.Equal(before.Lines, after.Lines);
        Assert.Equal(before.Counters, after.Counters);
    }

    private Task<(int Offers, int Lines, long Counters)> CountsAsync() => app.QueryAsync(async db => (
        await db.Offers.CountAsync(), await db.OfferLines.CountAsync(), await db.NumberingCounters.SumAsync(c => c.LastValue)));

    private static object OfferBody(Guid partyId, DateOnly? validUntil = null) => new
    {
        partyId, currency = "PLN", pricingMode = "Net", validUntil,
        lines = new[] { new { description = "Konsultacje", quantity = "4", unitPrice = "250.00", vatRateCode = "23" } },
    };

    private static Task<JsonNode> CreateOfferAsync(HttpClient client, Guid partyId, DateOnly? validUntil = null) =>
        client.PostCreatedAsync("/api/offers", OfferBody(partyId, validUntil));

    private static async Task ExpectConflictAsync(HttpClient client, string url, string stateInMessage)
    {
        var (status, problem, _) = await client.SendAsync(HttpMethod.Post, url);
        Assert.True(status == HttpStatusCode.Conflict, $"POST {url}: expected 409, got {(int)status} {problem?.ToJsonString()}");
        Assert.Contains(stateInMessage, problem.Str("detail"));
    }
}

public sealed class SqliteOfferTests(SqliteApp app) : OfferTests<SqliteApp>(app);

public sealed class PostgresOfferTests(PostgresApp app) : OfferTests<PostgresApp>(app);
