using Kontor.Common;
using Kontor.Company;
using Kontor.Crm;
using Kontor.Sales;

namespace Kontor.Documents;

public sealed record RenderedDocument(string FileName, string ContentType, byte[] Content);

/// <summary>An invoice as a PDF in the language asked for: what was issued, or a draft watermarked as such.</summary>
public sealed class InvoicePdfService(InvoiceService invoices, PartyService parties, CompanyProfileProvider company, DocumentTemplateService templates)
{
    /// <param name="requestedLanguage">Null: the buyer's document language, else the company's (<see cref="DocumentLanguages.Choose"/>).</param>
    public async Task<RenderedDocument> RenderAsync(Guid invoiceId, DocumentLanguage? requestedLanguage, CancellationToken ct = default)
    {
        var invoice = await invoices.GetAsync(invoiceId, ct);
        var party = await FindPartyAsync(invoice.PartyId, ct);
        var profile = await company.GetAsync(ct);
        var language = DocumentLanguages.Choose(requestedLanguage, party?.DocumentLanguage, profile.DocumentLanguage);

        // Issued: exactly what was fixed on issue. Draft: today's seller and buyer, as the draft would be issued now.
        var seller = invoice.Seller is { } s
            ? new PrintedParty(s.Name, TaxIdKind.None, s.TaxId, s.Street, s.PostalCode, s.City, s.CountryCode, s.BankAccount)
            : new PrintedParty(profile.Name, TaxIdKind.None, profile.TaxId, profile.Street, profile.PostalCode, profile.City, profile.CountryCode, profile.BankAccount);
        // The snapshot keeps the buyer's tax id but not its kind; the kind (NIP or another id) is the party's.
        var buyerKind = party?.TaxIdKind ?? TaxIdKind.Other;
        var buyer = invoice.Buyer is { } b
            ? new PrintedParty(b.Name, buyerKind, b.TaxId, b.Street, b.PostalCode, b.City, b.CountryCode, null)
            : party is not null
                ? new PrintedParty(party.Name, party.TaxIdKind, party.TaxId, party.Address.Street, party.Address.PostalCode, party.Address.City, party.Address.CountryCode, null)
                : throw new NotFoundException("Party", invoice.PartyId);
        var paymentTermDays = invoice.IssueDate is { } issued && invoice.DueDate is { } due
            ? due.DayNumber - issued.DayNumber
            : invoice.PaymentTermDays ?? party?.PaymentTermDays ?? 0;

        var print = InvoicePrint.From(invoice, seller, buyer, paymentTermDays);
        // Issued: as decided at issue. A draft prints as it would be issued now.
        if (invoice.Status == InvoiceStatus.Draft && party is not null) print = print with { BuyerIsConsumer = InvoiceService.IsConsumer(party) };
        var branding = await templates.BrandingForAsync(
            invoice.Kind == InvoiceKind.Correction ? NumberingSeries.CorrectionDocumentType : NumberingSeries.InvoiceDocumentType, ct);
        var content = InvoicePdfRenderer.Render(print, language, branding);
        return new RenderedDocument(FileName(invoice, language), "application/pdf", content);
    }

    /// <summary>"FV/2026/11/3" → "FV_2026_11_3.pdf"; a draft has no number yet, so its id names the file.</summary>
    public static string FileName(Invoice invoice, DocumentLanguage language)
    {
        if (invoice.Number is null)
        {
            var word = language == DocumentLanguage.Pl ? "SZKIC" : "DRAFT"; // ASCII: file names travel through headers and file systems
            return $"{word}_{invoice.Id.ToString("N")[..8]}.pdf";
        }
        var safe = new string(invoice.Number.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray());
        return safe + ".pdf";
    }

    private async Task<Party?> FindPartyAsync(Guid partyId, CancellationToken ct)
    {
        try { return await parties.GetAsync(partyId, ct); }
        catch (NotFoundException) { return null; }
    }
}
