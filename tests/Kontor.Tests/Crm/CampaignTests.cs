using System.Net;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;

namespace Kontor.Tests.Crm;

/// <summary>Campaign attribution and results (docs/crm.md "Campaigns", decision "Campaign results: paid revenue and ROI"), from hand-built data.</summary>
public abstract class CampaignTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private static object Pln(string amount) => new { amount, currency = "PLN" };

    private static Task<JsonNode> CampaignAsync(HttpClient manager, string cost) =>
        manager.PostCreatedAsync("/api/campaigns", new
        {
            name = "Kampania " + Guid.NewGuid().ToString("N")[..6], channel = "TradeFair", cost = Pln(cost), startDate = "2026-03-01", endDate = "2026-03-31",
        });

    private static async Task<JsonNode> InvoiceAsync(HttpClient sales, Guid partyId, Guid? campaignId, object line) =>
        await sales.IssueAsync((await sales.PostCreatedAsync("/api/invoices", new
        {
            partyId, currency = "PLN", pricingMode = "Net", campaignId, paymentTermDays = 14, lines = new[] { line },
        })).Id());

    [Fact]
    public async Task Results_count_invoiced_revenue_and_only_fully_paid_invoices_as_paid_revenue_and_roi_from_the_paid_margin()
    {
        var manager = await app.ClientAsync(Roles.Manager);
        var sales = await app.ClientAsync(Roles.Sales);
        var campaign = await CampaignAsync(manager, "200.00");
        var campaignId = campaign.Id();
        var partyId = (await sales.CreatePartyAsync()).Id();
        var product = await manager.PostCreatedAsync("/api/products", new
        {
            sku = "C-" + Guid.NewGuid().ToString("N")[..10], name = "Stojak", kind = "Goods", netPrice = Pln("100.00"), vatRateCode = "23", unitCost = Pln("60.00"),
        });
        object Stands(int quantity) => new { productId = product.Id(), description = "Stojak", quantity = quantity.ToString(), unitPrice = "100.00", vatRateCode = "23" };

        // I1: 5 × 100 = 500.00 net, 615.00 gross, cost 5 × 60 = 300 — paid in full.
        var i1 = await InvoiceAsync(sales, partyId, campaignId, Stands(5));
        // I2: 3 × 100 = 300.00 net, 369.00 gross, cost 180 — paid 100.00 only: not paid.
        var i2 = await InvoiceAsync(sales, partyId, campaignId, Stands(3));
        // I3: a service without cost, 400.00 net, 492.00 gross — unpaid.
        await InvoiceAsync(sales, partyId, campaignId, new { description = "Montaż", quantity = "1", unitPrice = "400.00", vatRateCode = "23" });
        // I4: 4 × 100 = 400.00 net, 492.00 gross, cost 240; corrected to 2 pieces (−200.00 net, −246.00 gross, cost −120),
        // which settles 246.00 of its receivable; the remaining 246.00 is paid: the chain is paid, revenue 200.00, cost 120.
        var i4 = await InvoiceAsync(sales, partyId, campaignId, Stands(4));
        var correction = await sales.IssueAsync((await sales.PostCreatedAsync($"/api/invoices/{i4.Id()}/corrections",
            new { reason = "Zwrot 2 sztuk", lines = new[] { new { position = 1, quantity = "2" } } })).Id());
        Assert.Equal(campaignId.ToString(), correction.Str("campaignId"));
        // Not attributed: 10 × 100, paid — counts nowhere. A draft attributed to the campaign counts nowhere either.
        var other = await InvoiceAsync(sales, partyId, null, Stands(10));
        await sales.PostCreatedAsync("/api/invoices", new { partyId, currency = "PLN", pricingMode = "Net", campaignId, lines = new[] { Stands(50) } });

        var accountant = await app.ClientAsync(Roles.Accountant);
        await accountant.PayAsync(partyId, "615.00", allocations: [new { invoiceId = i1.Id(), amount = "615.00" }]);
        await accountant.PayAsync(partyId, "100.00", allocations: [new { invoiceId = i2.Id(), amount = "100.00" }]);
        await accountant.PayAsync(partyId, "246.00", allocations: [new { invoiceId = i4.Id(), amount = "246.00" }]);
        await accountant.PayAsync(partyId, "1230.00", allocations: [new { invoiceId = other.Id(), amount = "1230.00" }]);

        var results = await manager.GetOkAsync($"/api/campaigns/{campaignId}/results");
        // Invoiced: 500 + 300 + 400 + 400 − 200 = 1400.00; cost 300 + 180 + 240 − 120 = 600; margin 800.00.
        Assert.Equal("1400.00", results["invoicedRevenue"].Str("amount"));
        Assert.Equal("800.00", results["invoicedMargin"].Str("amount"));
        // Paid: I1 500 + I4 chain 200 = 700.00; cost 300 + 120 = 420; margin 280.00.
        Assert.Equal("700.00", results["paidRevenue"].Str("amount"));
        Assert.Equal("280.00", results["paidMargin"].Str("amount"));
        Assert.Equal("0.00", results["paidRevenueWithoutCost"].Str("amount"));
        Assert.Equal(("200.00", "PLN"), (results["cost"].Str("amount"), results["cost"].Str("currency")));
        // ROI = (280 − 200) / 200 = 40.0 %.
        Assert.Equal(40.0m, (decimal)results["roiPercent"]!);

        // I2 is paid in full later: paid revenue 700 + 300 = 1000.00, margin 280 + 120 = 400.00; ROI (400 − 200) / 200 = 100.0 %.
        await accountant.PayAsync(partyId, "269.00", allocations: [new { invoiceId = i2.Id(), amount = "269.00" }]);
        results = await manager.GetOkAsync($"/api/campaigns/{campaignId}/results");
        Assert.Equal(("1000.00", "400.00", 100.0m), (results["paidRevenue"].Str("amount"), results["paidMargin"].Str("amount"), (decimal)results["roiPercent"]!));

        var listed = (await sales.GetOkAsync("/api/campaigns")).AsArray().Single(c => c!["campaign"].Str("id") == campaignId.ToString())!;
        Assert.Equal("1400.00", listed["invoicedRevenue"].Str("amount"));
    }

    [Fact]
    public async Task Leads_opportunities_and_won_deals_are_counted_and_the_campaign_travels_from_lead_to_invoice()
    {
        var manager = await app.ClientAsync(Roles.Manager);
        var sales = await app.ClientAsync(Roles.Sales);
        var campaignId = (await CampaignAsync(manager, "0.00")).Id();

        var converted = await sales.PostCreatedAsync("/api/leads", new { companyName = "Z targów " + Guid.NewGuid().ToString("N")[..6], taxId = Builders.UniqueNip(), campaignId });
        await sales.PostCreatedAsync("/api/leads", new { lastName = "Kowalski", campaignId });
        await sales.PostCreatedAsync("/api/leads", new { companyName = "Odrzucony", campaignId });
        var conversion = await sales.PostOkAsync($"/api/leads/{converted.Id()}/convert", new
        {
            createOpportunity = new { name = "Stoisko", amount = Pln("1000.00"), expectedCloseDate = "2026-04-30" },
        });
        var partyId = Guid.Parse(conversion.Str("partyId"));
        Assert.Equal(campaignId.ToString(), (await sales.GetOkAsync($"/api/campaigns/first-touch?partyId={partyId}")).Str("id"));
        await sales.PostCreatedAsync("/api/opportunities", new
        {
            name = "Druga", partyId, amount = Pln("250.50"), expectedCloseDate = "2026-04-30", campaignId,
        });

        // Won → offer → sent, accepted → order → invoice: every document carries the lead's campaign.
        var won = await sales.PostOkAsync($"/api/opportunities/{conversion.Str("opportunityId")}/win", new { create = "offer" });
        var offerId = won.Str("documentId");
        Assert.Equal(campaignId.ToString(), (await sales.GetOkAsync($"/api/offers/{offerId}")).Str("campaignId"));
        await sales.PostOkAsync($"/api/offers/{offerId}/send");
        await sales.PostOkAsync($"/api/offers/{offerId}/accept");
        var (status, orderBody, _) = await sales.SendAsync(HttpMethod.Post, $"/api/offers/{offerId}/convert-to-order");
        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Created, orderBody?.ToJsonString());
        var orderId = orderBody.Str("orderId");
        Assert.Equal(campaignId.ToString(), (await sales.GetOkAsync($"/api/orders/{orderId}")).Str("campaignId"));
        (status, var invoiceBody, _) = await sales.SendAsync(HttpMethod.Post, "/api/orders/invoice", new { orderIds = new[] { orderId } });
        Assert.Equal(HttpStatusCode.Created, status);
        var invoice = await sales.GetOkAsync($"/api/invoices/{invoiceBody.Str("invoiceId")}");
        Assert.Equal(campaignId.ToString(), invoice.Str("campaignId"));
        await sales.IssueAsync(invoice.Id());

        var results = await manager.GetOkAsync($"/api/campaigns/{campaignId}/results");
        Assert.Equal((3, 1, 2, 1), ((int)results["leads"]!, (int)results["convertedLeads"]!, (int)results["opportunities"]!, (int)results["wonDeals"]!));
        Assert.Equal("1000.00", Assert.Single(results.Arr("wonAmounts"))!.Str("amount"));
        Assert.Equal("1000.00", results["invoicedRevenue"].Str("amount"));  // the offer's one line: 1 × 1000.00 net
        Assert.Equal("0.00", results["paidRevenue"].Str("amount"));
        Assert.Null(results["roiPercent"]);                                 // no cost, no ROI

        (status, _, _) = await manager.SendAsync(HttpMethod.Delete, $"/api/campaigns/{campaignId}");
        Assert.Equal(HttpStatusCode.Conflict, status);
    }

    [Fact]
    public async Task Campaigns_are_managed_by_managers_with_cost_in_the_book_currency_and_documents_refuse_unknown_campaigns()
    {
        var manager = await app.ClientAsync(Roles.Manager);
        var sales = await app.ClientAsync(Roles.Sales);
        var (status, _, _) = await sales.SendAsync(HttpMethod.Post, "/api/campaigns", new { name = "X", channel = "Email", cost = Pln("1.00"), startDate = "2026-03-01" });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        (status, var problem, _) = await manager.SendAsync(HttpMethod.Post, "/api/campaigns", new
        {
            name = "", channel = "Email", cost = new { amount = "10.00", currency = "EUR" }, startDate = "2026-03-10", endDate = "2026-03-01",
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = problem!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("name") && errors.ContainsKey("cost.currency") && errors.ContainsKey("endDate"), problem.ToJsonString());

        var partyId = (await sales.CreatePartyAsync()).Id();
        (status, problem, _) = await sales.SendAsync(HttpMethod.Post, "/api/invoices", new
        {
            partyId, currency = "PLN", pricingMode = "Net", campaignId = Guid.NewGuid(),
            lines = new[] { new { description = "X", quantity = "1", unitPrice = "1.00", vatRateCode = "23" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem!["errors"]!.AsObject().ContainsKey("campaignId"));

        var campaign = await CampaignAsync(manager, "99.99");
        var changed = await manager.ExpectAsync(HttpMethod.Put, $"/api/campaigns/{campaign.Id()}", new
        {
            name = "Webinar wiosna", channel = "Webinar", cost = Pln("120.00"), startDate = "2026-03-01", version = campaign.Str("version"),
        }, HttpStatusCode.OK);
        Assert.Equal(("Webinar", "120.00"), (changed.Str("channel"), changed["cost"].Str("amount")));
        await manager.ExpectAsync(HttpMethod.Delete, $"/api/campaigns/{campaign.Id()}", null, HttpStatusCode.NoContent);
    }
}

public sealed class SqliteCampaignTests(SqliteApp app) : CampaignTests<SqliteApp>(app);

public sealed class PostgresCampaignTests(PostgresApp app) : CampaignTests<PostgresApp>(app);
