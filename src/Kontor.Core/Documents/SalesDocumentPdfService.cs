using Kontor.Common;
using Kontor.Company;
using Kontor.Crm;
using Kontor.Offers;
using Kontor.Orders;
using Kontor.Persistence;

namespace Kontor.Documents;

/// <summary>
/// Offers and orders as PDFs, through the invoice renderer (<see cref="SalesDocumentPrint"/>). Neither keeps a
/// snapshot of seller and buyer, so both print today's company profile and party — like an invoice draft.
/// </summary>
public sealed class SalesDocumentPdfService(
    OfferService offers, OrderService orders, PartyService parties, ReferenceData referenceData, DocumentTemplateService templates)
{
    /// <param name="requestedLanguage">Null: the buyer's document language, else the company's.</param>
    public async Task<RenderedDocument> RenderOfferAsync(Guid offerId, DocumentLanguage? requestedLanguage, CancellationToken ct = default)
    {
        var offer = (await offers.GetAsync(offerId, ct)).Offer;
        var (party, seller, buyer, language) = await PartiesAsync(offer.PartyId, offer.Currency, requestedLanguage, ct);
        var print = SalesDocumentPrint.FromOffer(offer, seller, buyer, party.PaymentTermDays);
        var content = InvoicePdfRenderer.Render(print, language, await templates.BrandingForAsync(Offer.DocumentType, ct));
        return new RenderedDocument(FileName(offer.Number, offer.Id, language), "application/pdf", content);
    }

    /// <param name="requestedLanguage">Null: the buyer's document language, else the company's.</param>
    public async Task<RenderedDocument> RenderOrderAsync(Guid orderId, DocumentLanguage? requestedLanguage, CancellationToken ct = default)
    {
        var order = (await orders.GetAsync(orderId, ct)).Order;
        var (party, seller, buyer, language) = await PartiesAsync(order.PartyId, order.Currency, requestedLanguage, ct);
        var print = SalesDocumentPrint.FromOrder(order, seller, buyer, party.PaymentTermDays);
        var content = InvoicePdfRenderer.Render(print, language, await templates.BrandingForAsync(Order.DocumentType, ct));
        return new RenderedDocument(FileName(order.Number, order.Id, language), "application/pdf", content);
    }

    /// <summary>"OF/2026/11/3" → "OF_2026_11_3.pdf"; an unsent offer is named by its id, like an invoice draft.</summary>
    public static string FileName(string? number, Guid id, DocumentLanguage language)
    {
        if (string.IsNullOrEmpty(number))
            return $"{(language == DocumentLanguage.Pl ? "SZKIC" : "DRAFT")}_{id.ToString("N")[..8]}.pdf";
        return new string(number.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray()) + ".pdf";
    }

    private async Task<(Party Party, PrintedParty Seller, PrintedParty Buyer, DocumentLanguage Language)> PartiesAsync(
        Guid partyId, string currency, DocumentLanguage? requestedLanguage, CancellationToken ct)
    {
        var party = await parties.GetAsync(partyId, ct);
        var reference = await referenceData.GetAsync(ct);
        var profile = reference.Company ?? throw new InvalidOperationException("The company profile is missing; the database was not initialised.");
        // The account for the document's currency, as an invoice in that currency would print it.
        var seller = new PrintedParty(profile.Name, TaxIdKind.None, profile.TaxId, profile.Street, profile.PostalCode, profile.City, profile.CountryCode,
            reference.BankAccountFor(currency)?.Iban);
        var buyer = new PrintedParty(party.Name, party.TaxIdKind, party.TaxId, party.Address.Street, party.Address.PostalCode, party.Address.City,
            party.Address.CountryCode, null);
        return (party, seller, buyer, DocumentLanguages.Choose(requestedLanguage, party.DocumentLanguage, profile.DocumentLanguage));
    }
}
