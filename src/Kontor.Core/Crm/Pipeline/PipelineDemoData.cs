using Kontor.Ledger;
using Kontor.Sales;

namespace Kontor.Crm.Pipeline;

/// <summary>
/// Demo campaigns, leads and opportunities across the stages (called by Persistence/DemoData), entered through the
/// services so the board, the forecast and a campaign's results show real figures on ./run.sh.
/// </summary>
public sealed class PipelineDemoData(CampaignService campaigns, LeadService leads, OpportunityService opportunities, InvoiceService invoices,
    PaymentService payments)
{
    public async Task SeedAsync(DateOnly today, Guid budmaxPartyId, Guid zielonyPartyId, Guid consultingProductId, Guid licenceProductId, CancellationToken ct = default)
    {
        var fair = await campaigns.CreateAsync(new SaveCampaign("Targi Kontor Expo", CampaignChannel.TradeFair, 4500m, null,
            today.AddDays(-40), today.AddDays(-38), null, "Stoisko B12"), ct);
        var webinar = await campaigns.CreateAsync(new SaveCampaign("Webinar: zamknięcie roku", CampaignChannel.Webinar, 800m, null,
            today.AddDays(-10), today.AddDays(20), null, null), ct);

        // A lead from the fair, converted; its first invoice paid in full, so the campaign shows paid revenue and ROI.
        var printer = await leads.CreateAsync(new SaveLead("Drukarnia Wektor Sp. z o.o.", "Karolina", "Zając", "k.zajac@wektor.example", "+48 601 234 567",
            "7951002344", "Targi", fair.Id, null, "Pytała o licencje dla 5 stanowisk."), ct);
        var converted = await leads.ConvertAsync(printer.Id, new NewOpportunityInput("Licencje dla drukarni", 5970m, "PLN", today.AddDays(30), PipelineModel.ProposalStageId), ct);
        var draft = await invoices.CreateDraftAsync(new SaveInvoiceDraft(converted.PartyId, "PLN", PricingMode.Net, today.AddDays(-20), null, null, null,
            [new InvoiceLineInput(consultingProductId, null, 6, null, null, null, null)], CampaignId: fair.Id), ct);
        var invoice = await invoices.IssueAsync(draft.Id, ct);
        await payments.RegisterAsync(new RegisterPayment(converted.PartyId, today.AddDays(-5), invoice.TotalGross, "PLN", $"Zapłata za {invoice.Number}", null), ct);

        await leads.CreateAsync(new SaveLead("Hotel Pod Lipami", "Marek", "Lis", "recepcja@podlipami.example", null, null, "Targi", fair.Id, null, null), ct);
        var contacted = await leads.CreateAsync(new SaveLead(null, "Tomasz", "Górski", "t.gorski@example.com", "+48 502 111 222", null, "Webinar", webinar.Id, null, null), ct);
        await leads.ChangeStatusAsync(contacted.Id, LeadStatus.Contacted, null, null, ct);

        async Task Opportunity(string name, Guid partyId, decimal amount, int closeInDays, Guid stageId, Guid? campaignId = null, IReadOnlyList<InvoiceLineInput>? lines = null) =>
            await opportunities.CreateAsync(new SaveOpportunity(name, partyId, null, null, amount, "PLN", null, today.AddDays(closeInDays), stageId, campaignId, null, lines), ct);
        await Opportunity("Wdrożenie modułu magazynowego", budmaxPartyId, 18000m, 45, PipelineModel.NewStageId);
        await Opportunity("Szkolenie zespołu księgowego", zielonyPartyId, 3600m, 20, PipelineModel.QualificationStageId, webinar.Id);
        await Opportunity("Rozszerzenie licencji", budmaxPartyId, 0m, 14, PipelineModel.NegotiationStageId, null,
            [new InvoiceLineInput(licenceProductId, null, 10, null, null, null, null)]);
        var lost = await opportunities.CreateAsync(new SaveOpportunity("Audyt procesów", zielonyPartyId, null, null, 7500m, "PLN", null, today.AddDays(-3),
            PipelineModel.ProposalStageId, null, null, null), ct);
        await opportunities.LoseAsync(lost.Id, "Wybrali tańszą ofertę", null, ct);
    }
}
