using System.Net;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Crm;

/// <summary>Leads, stage moves, the weighted pipeline and won opportunities (docs/crm.md "Leads and pipeline"); figures worked out by hand.</summary>
public abstract class PipelineTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    // The default stages (seeded by the migration, fixed ids).
    private const string New = "0195a000-0000-7000-8000-000000000a01";
    private const string Qualification = "0195a000-0000-7000-8000-000000000a02";
    private const string Proposal = "0195a000-0000-7000-8000-000000000a03";
    private const string Negotiation = "0195a000-0000-7000-8000-000000000a04";
    private const string Won = "0195a000-0000-7000-8000-000000000a05";
    private const string Lost = "0195a000-0000-7000-8000-000000000a06";

    private Task<Guid> UserIdAsync(string role) =>
        app.QueryAsync(db => db.Users.Where(u => u.Email == KontorApp.UserByRole[role]).Select(u => u.Id).FirstAsync());

    private static object Pln(string amount) => new { amount, currency = "PLN" };

    private static Task<JsonNode> OpportunityAsync(HttpClient client, Guid partyId, string amount, string close, Guid? owner = null, string? stageId = null,
        Guid? campaignId = null, object[]? lines = null) =>
        client.PostCreatedAsync("/api/opportunities", new
        {
            name = "Szansa " + Guid.NewGuid().ToString("N")[..6], partyId, ownerUserId = owner, amount = Pln(amount),
            expectedCloseDate = close, stageId, campaignId, lines,
        });

    [Fact]
    public async Task Converting_a_lead_creates_the_company_its_contact_and_the_opportunity_once()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var owner = await UserIdAsync(Roles.Sales);
        var nip = Builders.UniqueNip();
        var lead = await sales.PostCreatedAsync("/api/leads", new
        {
            companyName = "Hurtownia Lead " + nip, firstName = "Anna", lastName = "Nowak", email = "anna@lead.pl", phone = "+48 600 100 200",
            taxId = nip, source = "targi", ownerUserId = owner,
        });
        Assert.Equal("New", lead.Str("status"));

        var converted = await sales.PostOkAsync($"/api/leads/{lead.Id()}/convert", new
        {
            createOpportunity = new { name = "Wdrożenie", amount = Pln("12000.00"), expectedCloseDate = "2026-05-31" },
        });
        var partyId = Guid.Parse(converted.Str("partyId"));
        var opportunityId = Guid.Parse(converted.Str("opportunityId"));
        Assert.Equal("Converted", converted["lead"].Str("status"));
        Assert.Equal(partyId.ToString(), converted["lead"].Str("convertedPartyId"));

        var party = await sales.GetOkAsync($"/api/parties/{partyId}");
        Assert.Equal(("Company", nip, "Hurtownia Lead " + nip), (party.Str("kind"), party.Str("taxId"), party.Str("name")));
        var contact = Assert.Single(party.Arr("contacts"));
        Assert.Equal(("Anna", "Nowak", converted.Str("contactId")), (contact.Str("firstName"), contact.Str("lastName"), contact.Str("id")));

        var opportunity = await sales.GetOkAsync($"/api/opportunities/{opportunityId}");
        Assert.Equal(("Wdrożenie", "12000.00", "Nowy", 10), (opportunity.Str("name"), opportunity["amount"].Str("amount"), opportunity["stage"].Str("name"), (int)opportunity["probability"]!));
        Assert.Equal((partyId.ToString(), owner.ToString(), lead.Str("id")), (opportunity.Str("partyId"), opportunity.Str("ownerUserId"), opportunity.Str("leadId")));

        var (status, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/leads/{lead.Id()}/convert", new
        {
            createOpportunity = new { name = "Znowu", amount = Pln("1.00"), expectedCloseDate = "2026-05-31" },
        });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(1, await app.QueryAsync(db => db.Opportunities.CountAsync(o => o.LeadId == lead.Id())));
    }

    [Fact]
    public async Task A_lead_without_a_company_becomes_a_person_and_bad_input_writes_nothing()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var lead = await sales.PostCreatedAsync("/api/leads", new { firstName = "Jan", lastName = "Prywatny " + Guid.NewGuid().ToString("N")[..6], email = "jan@example.pl" });
        var opportunitiesBefore = await app.QueryAsync(db => db.Opportunities.CountAsync());
        var partiesBefore = await app.QueryAsync(db => db.Parties.CountAsync());

        var (status, problem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/leads/{lead.Id()}/convert", new
        {
            createOpportunity = new { name = "", amount = Pln("-5.00"), expectedCloseDate = "2026-05-31" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = problem!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("createOpportunity.name"), problem.ToJsonString());
        Assert.True(errors.ContainsKey("createOpportunity.amount"), problem.ToJsonString());
        (status, problem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/leads/{lead.Id()}/convert", new { });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem!["errors"]!.AsObject().ContainsKey("createOpportunity"));
        Assert.Equal(opportunitiesBefore, await app.QueryAsync(db => db.Opportunities.CountAsync()));
        Assert.Equal(partiesBefore, await app.QueryAsync(db => db.Parties.CountAsync()));
        Assert.Equal("New", (await sales.GetOkAsync($"/api/leads/{lead.Id()}")).Str("status"));

        // A party with the lead's NIP already exists: the party service refuses (409) and the opportunity is not written either.
        var existing = await sales.CreatePartyAsync();
        var twin = await sales.PostCreatedAsync("/api/leads", new { companyName = "Bliźniak", taxId = existing.Str("taxId") });
        (status, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/leads/{twin.Id()}/convert", new
        {
            createOpportunity = new { name = "Umowa", amount = Pln("100.00"), expectedCloseDate = "2026-05-31" },
        });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(opportunitiesBefore, await app.QueryAsync(db => db.Opportunities.CountAsync()));
        Assert.Equal("New", (await sales.GetOkAsync($"/api/leads/{twin.Id()}")).Str("status"));

        var converted = await sales.PostOkAsync($"/api/leads/{lead.Id()}/convert", new
        {
            createOpportunity = new { name = "Konsultacja", amount = Pln("800.00"), expectedCloseDate = "2026-04-30", stageId = Proposal },
        });
        Assert.Equal("Person", (await sales.GetOkAsync($"/api/parties/{converted.Str("partyId")}")).Str("kind"));
        var opportunity = await sales.GetOkAsync($"/api/opportunities/{converted.Str("opportunityId")}");
        Assert.Equal(50, (int)opportunity["probability"]!);
    }

    [Fact]
    public async Task Lead_status_changes_need_a_reason_to_disqualify_and_bad_lead_fields_are_named()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var (status, problem, _) = await sales.SendAsync(HttpMethod.Post, "/api/leads", new { email = "zły adres", taxId = "1234567890" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = problem!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("companyName") && errors.ContainsKey("email") && errors.ContainsKey("taxId"), problem.ToJsonString());

        var lead = await sales.PostCreatedAsync("/api/leads", new { companyName = "Firma X" });
        (status, problem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/leads/{lead.Id()}/status", new { status = "Disqualified" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem!["errors"]!.AsObject().ContainsKey("reason"));
        var contacted = await sales.PostOkAsync($"/api/leads/{lead.Id()}/status", new { status = "Contacted", version = lead.Str("version") });
        (status, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/leads/{lead.Id()}/status", new { status = "Qualified", version = lead.Str("version") });
        Assert.Equal(HttpStatusCode.Conflict, status);
        var disqualified = await sales.PostOkAsync($"/api/leads/{lead.Id()}/status", new { status = "Disqualified", reason = "Brak budżetu", version = contacted.Str("version") });
        Assert.Equal(("Disqualified", "Brak budżetu"), (disqualified.Str("status"), disqualified.Str("disqualifiedReason")));
        (status, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/leads/{lead.Id()}/convert", new
        {
            createOpportunity = new { name = "X", amount = Pln("1.00"), expectedCloseDate = "2026-05-31" },
        });
        Assert.Equal(HttpStatusCode.Conflict, status);
    }

    [Fact]
    public async Task Stage_moves_set_the_probability_keep_a_history_refuse_stale_versions_and_lost_needs_a_reason()
    {
        var manager = await app.ClientAsync(Roles.Manager);
        var partyId = (await manager.CreatePartyAsync()).Id();
        var opportunity = await OpportunityAsync(manager, partyId, "5000.00", "2026-06-30");
        var id = opportunity.Id();
        Assert.Equal(("Nowy", 10), (opportunity["stage"].Str("name"), (int)opportunity["probability"]!));

        var moved = await manager.ExpectAsync(HttpMethod.Patch, $"/api/opportunities/{id}/stage", new { stageId = Proposal, version = opportunity.Str("version") }, HttpStatusCode.OK);
        Assert.Equal(("Propozycja", 50), (moved["stage"].Str("name"), (int)moved["probability"]!));

        // The version read before the move is stale now.
        var (status, _, _) = await manager.SendAsync(HttpMethod.Patch, $"/api/opportunities/{id}/stage", new { stageId = Negotiation, version = opportunity.Str("version") });
        Assert.Equal(HttpStatusCode.Conflict, status);
        (status, var problem, _) = await manager.SendAsync(HttpMethod.Patch, $"/api/opportunities/{id}/stage", new { stageId = Lost, version = moved.Str("version") });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem!["errors"]!.AsObject().ContainsKey("lostReason"));
        (status, problem, _) = await manager.SendAsync(HttpMethod.Patch, $"/api/opportunities/{id}/stage", new { stageId = Guid.NewGuid(), version = moved.Str("version") });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem!["errors"]!.AsObject().ContainsKey("stageId"));

        var lost = await manager.PostOkAsync($"/api/opportunities/{id}/lose", new { reason = "Wybrali konkurencję", version = moved.Str("version") });
        Assert.Equal(("Przegrana", 0, "Wybrali konkurencję"), (lost["stage"].Str("name"), (int)lost["probability"]!, lost.Str("lostReason")));

        var history = lost.Arr("history");
        Assert.Equal(3, history.Count);
        Assert.Equal([(null, "Nowy"), ("Nowy", "Propozycja"), ("Propozycja", "Przegrana")],
            history.Select(h => ((string?)h!["fromStage"], h.Str("toStage"))).ToArray());
        Assert.All(history, h => Assert.NotEmpty(h.Str("by")));
        Assert.Equal(2, await app.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == "opportunity.stage-moved" && a.EntityId == id.ToString())));
        // Stage history rows in the database: creation + two moves; the refused moves left nothing.
        Assert.Equal(3, await app.QueryAsync(db => db.OpportunityStageChanges.CountAsync(c => c.OpportunityId == id)));
    }

    [Fact]
    public async Task The_customer_card_counts_open_opportunities_and_its_timeline_shows_each_stage_move()
    {
        var manager = await app.ClientAsync(Roles.Manager);
        var partyId = (await manager.CreatePartyAsync()).Id();
        Assert.Equal(0, (int)(await manager.GetOkAsync($"/api/parties/{partyId}/card"))["openOpportunities"]!);

        var first = await OpportunityAsync(manager, partyId, "1000.00", "2026-06-30");
        app.Clock.Set(app.Clock.GetUtcNow().AddMinutes(1));
        var second = await OpportunityAsync(manager, partyId, "2000.00", "2026-07-31");
        app.Clock.Set(app.Clock.GetUtcNow().AddMinutes(1));
        await manager.ExpectAsync(HttpMethod.Patch, $"/api/opportunities/{first.Id()}/stage", new { stageId = Won, version = first.Str("version") }, HttpStatusCode.OK);
        Assert.Equal(1, (int)(await manager.GetOkAsync($"/api/parties/{partyId}/card"))["openOpportunities"]!); // the won one is closed

        var entries = (await manager.GetOkAsync($"/api/parties/{partyId}/timeline?kinds=Opportunity")).Arr("entries");
        Assert.Equal([(first.Str("name"), "→ Wygrana"), (second.Str("name"), "New: Nowy"), (first.Str("name"), "New: Nowy")],
            entries.Select(e => (e.Str("title"), e.Str("summary"))).ToArray());
        Assert.Equal($"/crm/opportunities/{first.Id()}", entries[0].Str("link"));
    }

    [Fact]
    public async Task The_weighted_forecast_sums_open_opportunities_per_owner_and_month_of_expected_close()
    {
        var manager = await app.ClientAsync(Roles.Manager);
        var salesId = await UserIdAsync(Roles.Sales);
        var managerId = await UserIdAsync(Roles.Manager);
        var partyId = (await manager.CreatePartyAsync()).Id();
        // 2031 is used by this test only, so the sums hold whatever else the class creates.
        await OpportunityAsync(manager, partyId, "1000.00", "2031-03-10", salesId, New);            // weighted 100.00
        await OpportunityAsync(manager, partyId, "2000.00", "2031-03-25", salesId, Proposal);       // 1000.00
        await OpportunityAsync(manager, partyId, "333.33", "2031-03-31", salesId, New);             // 33.333
        await OpportunityAsync(manager, partyId, "3000.00", "2031-04-05", salesId, Negotiation);    // 2250.00
        await OpportunityAsync(manager, partyId, "500.00", "2031-03-15", managerId, Qualification); // 100.00
        var won = await OpportunityAsync(manager, partyId, "9999.00", "2031-03-20", salesId);       // closed: not in the forecast
        await manager.ExpectAsync(HttpMethod.Patch, $"/api/opportunities/{won.Id()}/stage", new { stageId = Won }, HttpStatusCode.OK);
        var lost = await OpportunityAsync(manager, partyId, "777.00", "2031-03-21", salesId);
        await manager.PostOkAsync($"/api/opportunities/{lost.Id()}/lose", new { reason = "Cena" });
        await OpportunityAsync(manager, partyId, "4444.00", "2031-05-01", salesId);                 // after "to"

        var rows = (await manager.GetOkAsync("/api/pipeline/forecast?from=2031-01-01&to=2031-04-30")).AsArray()
            .Select(r => (Owner: Guid.Parse(r.Str("ownerUserId")), Month: r.Str("month"), Count: (int)r!["count"]!, Amount: r["amount"].Str("amount"), Weighted: r["weighted"].Str("amount")))
            .OrderBy(r => r.Owner == salesId ? 0 : 1).ThenBy(r => r.Month).ToList();
        Assert.Equal(
        [
            (salesId, "2031-03", 3, "3333.33", "1133.33"),   // 1000 + 2000 + 333.33; 100 + 1000 + 33.333 = 1133.333
            (salesId, "2031-04", 1, "3000.00", "2250.00"),   // 3000 × 75 %
            (managerId, "2031-03", 1, "500.00", "100.00"),   // 500 × 20 %
        ], rows);

        var onlyManager = (await manager.GetOkAsync($"/api/pipeline/forecast?from=2031-01-01&to=2031-04-30&ownerUserId={managerId}")).AsArray();
        Assert.Equal("100.00", Assert.Single(onlyManager)!["weighted"].Str("amount"));
        var (status, problem, _) = await manager.SendAsync(HttpMethod.Get, "/api/pipeline/forecast?from=2031-05-01&to=2031-04-30");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem!["errors"]!.AsObject().ContainsKey("to"));

        // The board filtered by owner: the Nowy column of the sales user holds 1000.00 + 333.33 in 2031 (and whatever else they own).
        var board = (await manager.GetOkAsync($"/api/pipeline/board?ownerUserId={managerId}")).AsArray();
        Assert.Equal(["Nowy", "Kwalifikacja", "Propozycja", "Negocjacje", "Wygrana", "Przegrana"], board.Select(c => c!["stage"].Str("name")).ToArray());
        var qualification = board.Single(c => c!["stage"].Str("name") == "Kwalifikacja")!;
        Assert.Contains(qualification.Arr("cards"), c => c!["amount"].Str("amount") == "500.00");
    }

    [Fact]
    public async Task Winning_makes_one_offer_or_order_of_the_lines_or_of_the_amount_and_links_it()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var product = await sales.CreateProductAsync("150.00");

        var withLines = await OpportunityAsync(sales, partyId, "0", "2026-05-31", lines:
            [new { productId = product.Id(), quantity = 4, unitPrice = "150.00", discountPercent = "10" }]);
        Assert.Equal("540.00", withLines["amount"].Str("amount")); // 4 × 150 × 90 %
        var result = await sales.PostOkAsync($"/api/opportunities/{withLines.Id()}/win", new { create = "order", version = withLines.Str("version") });
        Assert.Equal(("order", "Wygrana", 100), (result.Str("documentType"), result["opportunity"]!["stage"].Str("name"), (int)result["opportunity"]!["probability"]!));
        var order = await sales.GetOkAsync($"/api/orders/{result.Str("documentId")}");
        var line = Assert.Single(order.Arr("lines"));
        Assert.Equal((4m, 150.00m, 10m), ((decimal)line!["quantity"]!, (decimal)line["unitPrice"]!, (decimal)line["discountPercent"]!));
        Assert.Equal("540.00", order["totalNet"].Str("amount"));
        Assert.Contains(result["opportunity"].Arr("links"), l => l.Str("type") == "order" && l.Str("id") == result.Str("documentId"));

        var (status, again, _) = await sales.SendAsync(HttpMethod.Post, $"/api/opportunities/{withLines.Id()}/win", new { create = "offer" });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.EndsWith($"already made order {result.Str("documentId")}.", again.Str("detail"));

        // Dragged to Won on the board first, the offer comes after: one line "name" × 1 at the amount.
        var plain = await OpportunityAsync(sales, partyId, "2500.00", "2026-05-31");
        var moved = await sales.ExpectAsync(HttpMethod.Patch, $"/api/opportunities/{plain.Id()}/stage", new { stageId = Won, version = plain.Str("version") }, HttpStatusCode.OK);
        result = await sales.PostOkAsync($"/api/opportunities/{plain.Id()}/win", new { create = "offer", version = moved.Str("version") });
        var offer = await sales.GetOkAsync($"/api/offers/{result.Str("documentId")}");
        Assert.Equal(("Draft", "2500.00", plain.Str("name")), (offer.Str("status"), offer["totalNet"].Str("amount"), Assert.Single(offer.Arr("lines")).Str("description")));
        Assert.Equal(2, (await sales.GetOkAsync($"/api/opportunities/{plain.Id()}")).Arr("history").Count); // no second move into Won

        var lost = await OpportunityAsync(sales, partyId, "10.00", "2026-05-31");
        await sales.PostOkAsync($"/api/opportunities/{lost.Id()}/lose", new { reason = "Rezygnacja" });
        (status, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/opportunities/{lost.Id()}/win", new { create = "offer" });
        Assert.Equal(HttpStatusCode.Conflict, status);
    }

    [Fact]
    public async Task Demo_data_fills_the_board_and_gives_the_fair_campaign_paid_revenue()
    {
        await using var host = app.CreateFresh(new Dictionary<string, string?> { ["Database:SeedDemoData"] = "true" });
        await host.InitializeAsync();
        var sales = await host.ClientAsync(Roles.Sales);
        var board = (await sales.GetOkAsync("/api/pipeline/board")).AsArray();
        // Nowy 1, Kwalifikacja 1, Propozycja 1 (the converted lead), Negocjacje 1, Wygrana 0, Przegrana 1.
        Assert.Equal([1, 1, 1, 1, 0, 1], board.Select(c => c!.Arr("cards").Count).ToArray());
        // 10 licences × 199.00 list price.
        Assert.Equal("1990.00", board[3]!.Arr("cards")[0]!["amount"].Str("amount"));
        var fair = (await sales.GetOkAsync("/api/campaigns")).AsArray().Single(c => c!["campaign"].Str("name") == "Targi Kontor Expo")!;
        // 6 h consulting × 250.00, paid in full: revenue 1500.00, cost 6 × 140.00 = 840.00, margin 660.00; ROI (660 − 4500) / 4500 = −85.3 %.
        Assert.Equal(("1500.00", "660.00", -85.3m), (fair["paidRevenue"].Str("amount"), fair["paidMargin"].Str("amount"), (decimal)fair["roiPercent"]!));
        Assert.Equal((2, 1), ((int)fair["leads"]!, (int)fair["convertedLeads"]!));
    }

    [Fact]
    public async Task Stages_are_managed_by_managers_and_sales_may_only_read_them()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var stages = (await sales.GetOkAsync("/api/pipeline/stages")).AsArray();
        Assert.Equal([10, 20, 50, 75, 100, 0], stages.Select(s => (int)s!["probability"]!).ToArray());
        var (status, _, _) = await sales.SendAsync(HttpMethod.Put, "/api/pipeline/stages", new { stages = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        var manager = await app.ClientAsync(Roles.Manager);
        (status, var problem, _) = await manager.SendAsync(HttpMethod.Put, "/api/pipeline/stages", new
        {
            stages = new[] { new { id = (string?)New, name = "Nowy", probability = 10, kind = "Open" }, new { id = (string?)null, name = "Nowy", probability = 120, kind = "Open" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = problem!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("stages[1].name") && errors.ContainsKey("stages[1].probability") && errors.ContainsKey("stages"), problem.ToJsonString());
    }
}

public sealed class SqlitePipelineTests(SqliteApp app) : PipelineTests<SqliteApp>(app);

public sealed class PostgresPipelineTests(PostgresApp app) : PipelineTests<PostgresApp>(app);
