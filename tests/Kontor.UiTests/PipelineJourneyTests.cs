using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

[Collection(KontorAppCollection.Name)]
public sealed class PipelineJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task A_lead_is_converted_its_opportunity_dragged_to_won_and_an_offer_made_of_it()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var company = "Targi Poznań " + suffix;
        var opportunityName = "Stoisko " + suffix;
        var page = await app.SignedInPageAsync();

        // A new lead, through the form.
        await page.GotoAsync("/crm/leads");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("new-lead").ClickAsync();
        await page.FillAsync("#lead-company", company);
        await page.FillAsync("#lead-taxid", UniqueNip());
        await page.FillAsync("#lead-firstname", "Ewa");
        await page.FillAsync("#lead-lastname", "Wiśniewska");
        await page.FillAsync("#lead-email", "ewa@targi.example");
        await page.FillAsync("#lead-source", "Targi");
        await page.GetByTestId("save-lead").ClickAsync();
        await Expect(page.GetByTestId("lead-name")).ToHaveTextAsync(company);
        await Expect(page.GetByTestId("lead-status")).ToHaveTextAsync("New");

        // Convert: the dialog asks for the opportunity; party, contact and opportunity appear.
        await page.GetByTestId("lead-convert").ClickAsync();
        await Expect(page.GetByTestId("convert-dialog")).ToBeVisibleAsync();
        await page.FillAsync("#convert-name", opportunityName);
        await page.FillAsync("#convert-amount", "4200.00");
        await page.FillAsync("#convert-close", "2026-12-15");
        await page.GetByTestId("confirm-convert").ClickAsync();
        await Expect(page.GetByTestId("opportunity-name")).ToHaveTextAsync(opportunityName);
        await Expect(page.GetByTestId("opportunity-party")).ToHaveTextAsync(company);
        await Expect(page.GetByTestId("opportunity-stage")).ToHaveTextAsync("Nowy");
        await Expect(page.GetByTestId("opportunity-amount")).ToHaveTextAsync("4,200.00 PLN");
        var opportunityId = Guid.Parse(page.Url.Split('/').Last());
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var view = await scope.ServiceProvider.GetRequiredService<Kontor.Crm.Pipeline.OpportunityService>().GetAsync(opportunityId);
            var party = await scope.ServiceProvider.GetRequiredService<Kontor.Crm.PartyService>().GetAsync(view.Opportunity.PartyId);
            Assert.Equal(company, party.Name);
            var contact = Assert.Single(party.Contacts);
            Assert.Equal(("Ewa", "Wiśniewska", contact.Id), (contact.FirstName, contact.LastName, view.Opportunity.ContactId));
        }

        // The board: drag the card from "Nowy" to "Wygrana" (HTML5 drag and drop, not the select).
        await page.GotoAsync("/crm/pipeline");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        var card = page.Locator($"[data-testid='opportunity-card'][data-name='{opportunityName}']");
        var newColumn = page.Locator("[data-testid='stage-column'][data-stage='Nowy']");
        var wonColumn = page.Locator("[data-testid='stage-column'][data-stage='Wygrana']");
        await Expect(newColumn.Locator($"[data-name='{opportunityName}']")).ToBeVisibleAsync();
        await card.DragToAsync(wonColumn);
        await Expect(wonColumn.Locator($"[data-name='{opportunityName}']")).ToBeVisibleAsync();
        await Expect(newColumn.Locator($"[data-name='{opportunityName}']")).ToHaveCountAsync(0);
        await KontorAppFixture.ScreenshotAsync(page, "pipeline-board.png");

        // The move went through the stage-move service: a history row Nowy → Wygrana.
        await wonColumn.Locator($"[data-name='{opportunityName}'] [data-testid='card-link']").ClickAsync();
        await Expect(page.GetByTestId("opportunity-stage")).ToHaveTextAsync("Wygrana");
        await Expect(page.GetByTestId("stage-history").Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("stage-history").Locator("tbody tr").Nth(1)).ToContainTextAsync("Nowy");

        // Won → offer: a draft offer with one line at the amount, linked to the opportunity.
        await page.GetByTestId("win-offer").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/offers/[0-9a-f-]{36}$"));
        var offerId = Guid.Parse(page.Url.Split('/').Last());
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var offer = (await scope.ServiceProvider.GetRequiredService<Kontor.Offers.OfferService>().GetAsync(offerId)).Offer;
            Assert.Equal((4200.00m, opportunityName), (offer.TotalNet, Assert.Single(offer.Lines).Description));
            var view = await scope.ServiceProvider.GetRequiredService<Kontor.Crm.Pipeline.OpportunityService>().GetAsync(opportunityId);
            Assert.Contains(view.Links, l => l.Id == offerId && l.Type == "offer");
        }
    }

    [Fact]
    public async Task A_manager_creates_a_campaign_sees_its_results_and_opens_the_stage_editor()
    {
        var name = "Webinar " + Guid.NewGuid().ToString("N")[..6];
        var page = await app.SignedInPageAsync();
        await page.GotoAsync("/crm/campaigns");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("new-campaign").ClickAsync();
        await page.FillAsync("#campaign-name", name);
        await page.SelectOptionAsync("#campaign-channel", "Webinar");
        await page.FillAsync("#campaign-cost", "abc");
        await page.GetByTestId("save-campaign").ClickAsync();
        await Expect(page.GetByTestId("error-cost")).ToBeVisibleAsync();
        await page.FillAsync("#campaign-cost", "1500.00");
        await page.FillAsync("#campaign-start", "2026-11-02");
        await page.GetByTestId("save-campaign").ClickAsync();
        await Expect(page.GetByTestId("campaign-name")).ToHaveTextAsync(name);
        await Expect(page.GetByTestId("result-leads")).ToHaveTextAsync("0");
        await Expect(page.GetByTestId("result-paid")).ToHaveTextAsync("0.00 PLN");
        // No cost recovered yet: ROI (0 − 1500) / 1500 = −100.0 %.
        await Expect(page.GetByTestId("result-roi")).ToHaveTextAsync("-100.0 %");
        await KontorAppFixture.ScreenshotAsync(page, "campaign-results.png");
        await page.GotoAsync("/crm/campaigns");
        await Expect(page.GetByTestId("campaign-table")).ToContainTextAsync(name);

        await page.GotoAsync("/crm/pipeline");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("edit-stages").ClickAsync();
        await Expect(page.GetByTestId("stages-editor").Locator("tbody tr")).ToHaveCountAsync(6);
        await Expect(page.GetByTestId("kanban").Locator("[data-testid='stage-column']")).ToHaveCountAsync(6);

        // A new opportunity from the board's form lands in the chosen column with its weighted total.
        var customer = "Odbiorca Szansy " + Guid.NewGuid().ToString("N")[..6];
        await app.CreateCompanyAsync(customer, UniqueNip(), "ul. Polna 2", "60-001", "Poznań");
        await page.ReloadAsync();
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("new-opportunity").ClickAsync();
        await page.FillAsync("#opportunity-name", name + " — szansa");
        await page.SelectOptionAsync("#opportunity-party", new SelectOptionValue { Label = customer });
        await page.FillAsync("#opportunity-amount", "800.00");
        await page.FillAsync("#opportunity-close", "2027-01-15");
        await page.SelectOptionAsync("#opportunity-stage", new SelectOptionValue { Label = "Negocjacje (75 %)" });
        await page.GetByTestId("save-opportunity").ClickAsync();
        var negotiation = page.Locator("[data-testid='stage-column'][data-stage='Negocjacje']");
        await Expect(negotiation.Locator($"[data-name='{name} — szansa']")).ToBeVisibleAsync();
    }

    private static string UniqueNip()
    {
        int[] weights = [6, 5, 7, 2, 3, 4, 5, 6, 7];
        while (true)
        {
            var body = "78" + Random.Shared.Next(10_000_000).ToString("D7");
            var sum = body.Select((c, i) => (c - '0') * weights[i]).Sum();
            if (sum % 11 != 10) return body + (sum % 11);
        }
    }
}
