using Kontor.Common;
using Kontor.Crm;
using Kontor.Crm.Activities;
using Kontor.Sales;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

/// <summary>Activities on the customer card, "my day" with a follow-up, and a complaint resolved with a credit note.</summary>
[Collection(KontorAppCollection.Name)]
public sealed class CrmJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task Salesperson_logs_a_call_on_the_customer_card_and_sees_it_on_the_timeline()
    {
        var party = await app.CreateCompanyAsync("Telefoniczna " + Guid.NewGuid().ToString("N")[..6], UniqueNip(), "ul. Dzwonkowa 1", "00-001", "Warszawa");
        var page = await app.SignedInSalesPageAsync();

        await page.GotoAsync($"/customers/{party.Id}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("timeline-empty")).ToBeVisibleAsync();
        await page.FillAsync("#quick-subject", "Rozmowa o odnowieniu umowy");
        await page.SelectOptionAsync("#quick-outcome", "Interested");
        await page.FillAsync("#quick-body", "Prosi o ofertę do piątku");
        await page.GetByTestId("quick-save").ClickAsync();

        await Expect(page.GetByTestId("quick-saved")).ToBeVisibleAsync();
        var entry = page.GetByTestId("timeline-entry").Filter(new() { HasText = "Rozmowa o odnowieniu umowy" });
        await Expect(entry).ToHaveCountAsync(1);
        await Expect(entry).ToHaveAttributeAsync("data-kind", "Call");
        await Expect(entry.GetByTestId("timeline-summary")).ToContainTextAsync("Interested");
        await Expect(entry.GetByTestId("timeline-summary")).ToContainTextAsync("Prosi o ofertę do piątku");
        // The margin is for those reading the books; a salesperson sees the rest of the card.
        await Expect(page.GetByTestId("customer-dso")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("customer-margin-tile")).ToHaveCountAsync(0);
        await KontorAppFixture.ScreenshotAsync(page, "crm-call-on-timeline.png");
    }

    [Fact]
    public async Task Salesperson_completes_an_overdue_task_from_my_day_with_call_back_and_gets_a_follow_up()
    {
        var party = await app.CreateCompanyAsync("Oddzwonić " + Guid.NewGuid().ToString("N")[..6], UniqueNip(), "ul. Zadaniowa 2", "00-001", "Warszawa");
        var page = await app.SignedInSalesPageAsync();
        var subject = "Zadzwonić w sprawie płatności " + Guid.NewGuid().ToString("N")[..4];
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var salesUser = await scope.ServiceProvider.GetRequiredService<UserManager<Kontor.Security.KontorUser>>().FindByEmailAsync(KontorAppFixture.SalesEmail);
            await scope.ServiceProvider.GetRequiredService<ActivityService>().CreateAsync(new SaveActivity(ActivityKind.Task, subject, null,
                DateTimeOffset.UtcNow.AddDays(-1), salesUser!.Id, party.Id, null, null, null, null));
        }

        await page.GotoAsync("/crm");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        var item = page.GetByTestId("my-day-overdue").GetByTestId("my-day-item").Filter(new() { HasText = subject });
        await Expect(item).ToHaveCountAsync(1);
        await item.GetByTestId("complete-outcome").SelectOptionAsync("CallBack");
        await Expect(item.GetByTestId("complete-callback-days")).ToBeVisibleAsync();
        await item.GetByTestId("complete-done").ClickAsync();

        await Expect(page.GetByTestId("my-day-done")).ToContainTextAsync("Oddzwonić: " + subject);
        await Expect(page.GetByTestId("my-day-overdue").GetByTestId("my-day-item").Filter(new() { HasText = subject })).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("my-day-upcoming").GetByTestId("my-day-subject").Filter(new() { HasText = "Oddzwonić: " + subject })).ToHaveCountAsync(1);
        await KontorAppFixture.ScreenshotAsync(page, "crm-my-day-follow-up.png");
    }

    [Fact]
    public async Task A_complaint_opened_from_an_invoice_and_resolved_with_a_credit_note_opens_the_correction_draft()
    {
        Guid invoiceId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var party = await app.CreateCompanyAsync("Reklamująca " + Guid.NewGuid().ToString("N")[..6], UniqueNip(), "ul. Zwrotów 5", "00-001", "Warszawa");
            var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            var draft = await invoices.CreateDraftAsync(new SaveInvoiceDraft(party.Id, "PLN", PricingMode.Net, null, null, null, null,
                [new InvoiceLineInput(null, "Krzesło biurowe", 10m, 300.00m, null, "23", null), new InvoiceLineInput(null, "Biurko", 2m, 900.00m, null, "23", null)]));
            await invoices.IssueAsync(draft.Id);
            invoiceId = draft.Id;
        }
        var page = await app.SignedInSalesPageAsync();

        await page.GotoAsync($"/invoices/{invoiceId}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("invoice-new-complaint").ClickAsync();
        await page.WaitForURLAsync($"**/crm/complaints/new?invoiceId={invoiceId}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("complaint-lines")).ToBeVisibleAsync();
        await page.FillAsync("#complaint-description", "Dwa krzesła z pękniętą podstawą");
        await page.GetByTestId("complaint-qty-1").FillAsync("2");
        await page.GetByTestId("complaint-qty-1").PressAsync("Tab");
        await page.GetByTestId("complaint-save").ClickAsync();

        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/crm/complaints/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("complaint-number")).ToContainTextAsync("REK/");
        await Expect(page.GetByTestId("complaint-status")).ToHaveTextAsync("New");
        await page.FillAsync("#complaint-resolution-note", "Uznana, korekta 2 szt.");
        await page.GetByTestId("complaint-credit-note").ClickAsync();

        await page.WaitForURLAsync(url => url.Contains("/invoices/") && !url.Contains(invoiceId.ToString()));
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("invoice-status")).ToHaveTextAsync("Draft");
        await Expect(page.GetByTestId("invoice-source")).ToContainTextAsync("Created from complaint");
        await KontorAppFixture.ScreenshotAsync(page, "crm-complaint-credit-note.png");
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
