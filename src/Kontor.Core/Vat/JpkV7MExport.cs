using System.Globalization;
using System.Text;
using System.Xml;
using Kontor.Catalog;
using Kontor.Common;
using Kontor.Company;

namespace Kontor.Vat;

/// <summary>The VAT-7 figures of a month as JPK_V7M declares them (whole złoty), with the ledger's registers behind them.</summary>
public sealed record JpkDeclaration(IReadOnlyDictionary<string, long> Fields)
{
    public long this[string field] => Fields.GetValueOrDefault(field);
}

public sealed record JpkFile(string FileName, byte[] Content, JpkDeclaration Declaration, int SalesRows, decimal OutputVat, int PurchaseRows, decimal InputVat);

/// <summary>
/// JPK_V7M(3) for a month (namespace http://crd.gov.pl/wzor/2025/12/19/14090/, declaration VAT-7 (23)) built from the
/// VAT registers: every register row is an evidence row, the control sums are the registers' totals and the
/// declaration's P_ fields are the registers' totals per field rounded to whole złoty. Mapping and what is not
/// produced: docs/vat.md.
/// </summary>
public sealed class JpkV7MExport(VatRegisters registers, VatSettingsService settingsService, CompanyProfileProvider company, TimeProvider clock)
{
    public const string Namespace = "http://crd.gov.pl/wzor/2025/12/19/14090/";
    public const string SystemName = "Kontor";

    /// <param name="purpose">1 = first filing for the month (złożenie), 2 = a correction of it (korekta).</param>
    public async Task<JpkFile> BuildAsync(VatPeriod period, int purpose = 1, CancellationToken ct = default)
    {
        var seller = await company.GetAsync(ct);
        var settings = await settingsService.GetAsync(ct);
        var errors = new ValidationErrors();
        errors.Require(period.Year >= 2026 && period.From >= new DateOnly(2026, 2, 1), "month", "JPK_V7M(3) covers periods from February 2026 on.");
        errors.Require(purpose is 1 or 2, "purpose", "purpose is 1 (first filing) or 2 (correction).");
        errors.Require(seller.CountryCode == "PL" && seller.BaseCurrency == "PLN", "company", "JPK_V7M is for a Polish taxpayer keeping books in PLN.");
        errors.Require(!string.IsNullOrWhiteSpace(settings.TaxOfficeCode), "taxOfficeCode", "Set the tax office code in the VAT settings first.");
        errors.Require(!string.IsNullOrWhiteSpace(settings.Email), "email", "Set the taxpayer's e-mail in the VAT settings first.");
        errors.ThrowIfAny();

        var sales = await registers.SalesAsync(period, ct);
        var purchases = await registers.PurchasesAsync(period, ct);
        var salesRows = sales.Rows.Select(r => (Row: r, Fields: SalesFields(r))).ToList();
        var declaration = Declare(salesRows.Select(r => r.Fields).ToList(), purchases);

        using var stream = new MemoryStream();
        using (var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("JPK", Namespace);
            xml.WriteAttributeString("xmlns", "etd", null, "http://crd.gov.pl/xml/schematy/dziedzinowe/mf/2022/09/13/eD/DefinicjeTypy/");

            xml.WriteStartElement("Naglowek", Namespace);
            xml.WriteStartElement("KodFormularza", Namespace);
            xml.WriteAttributeString("kodSystemowy", "JPK_V7M (3)");
            xml.WriteAttributeString("wersjaSchemy", "1-0E");
            xml.WriteString("JPK_VAT");
            xml.WriteEndElement();
            Element(xml, "WariantFormularza", "3");
            Element(xml, "DataWytworzeniaJPK", clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            Element(xml, "NazwaSystemu", SystemName);
            xml.WriteStartElement("CelZlozenia", Namespace);
            xml.WriteAttributeString("poz", "P_7");
            xml.WriteString(purpose.ToString(CultureInfo.InvariantCulture));
            xml.WriteEndElement();
            Element(xml, "KodUrzedu", settings.TaxOfficeCode!);
            Element(xml, "Rok", period.Year.ToString(CultureInfo.InvariantCulture));
            Element(xml, "Miesiac", period.Month.ToString(CultureInfo.InvariantCulture));
            xml.WriteEndElement();

            xml.WriteStartElement("Podmiot1", Namespace);
            xml.WriteAttributeString("rola", "Podatnik");
            xml.WriteStartElement("OsobaNiefizyczna", Namespace);
            Element(xml, "NIP", TaxNumber(seller.TaxId) ?? "");
            Element(xml, "PelnaNazwa", seller.Name);
            Element(xml, "Email", settings.Email!);
            if (!string.IsNullOrWhiteSpace(settings.Phone)) Element(xml, "Telefon", settings.Phone);
            xml.WriteEndElement();
            xml.WriteEndElement();

            WriteDeclaration(xml, declaration);

            xml.WriteStartElement("Ewidencja", Namespace);
            foreach (var (row, fields) in salesRows)
            {
                xml.WriteStartElement("SprzedazWiersz", Namespace);
                Element(xml, "LpSprzedazy", row.Lp.ToString(CultureInfo.InvariantCulture));
                var taxNumber = TaxNumber(row.BuyerTaxId);
                if (taxNumber is not null && row.BuyerCountryCode != "PL") Element(xml, "KodKrajuNadaniaTIN", row.BuyerCountryCode == "GR" ? "EL" : row.BuyerCountryCode);
                Element(xml, "NrKontrahenta", taxNumber ?? "BRAK");
                Element(xml, "NazwaKontrahenta", Text(row.BuyerName, 512));
                Element(xml, "DowodSprzedazy", Text(row.Number, 256));
                Element(xml, "DataWystawienia", Date(row.IssueDate));
                if (row.SaleDate is { } sold && sold != row.IssueDate) Element(xml, "DataSprzedazy", Date(sold));
                Element(xml, "BFK", "1"); // Kontor's invoices are not sent to KSeF: an electronic or paper invoice outside it
                foreach (var (field, amount) in fields.OrderBy(f => FieldOrder(f.Key)))
                    Element(xml, field, Amount(amount));
                xml.WriteEndElement();
            }
            xml.WriteStartElement("SprzedazCtrl", Namespace);
            Element(xml, "LiczbaWierszySprzedazy", sales.Rows.Count.ToString(CultureInfo.InvariantCulture));
            Element(xml, "PodatekNalezny", Amount(sales.Vat));
            xml.WriteEndElement();

            foreach (var row in purchases.Rows)
            {
                xml.WriteStartElement("ZakupWiersz", Namespace);
                Element(xml, "LpZakupu", row.Lp.ToString(CultureInfo.InvariantCulture));
                var taxNumber = TaxNumber(row.SupplierTaxId);
                if (taxNumber is not null && row.SupplierCountryCode != "PL") Element(xml, "KodKrajuNadaniaTIN", row.SupplierCountryCode == "GR" ? "EL" : row.SupplierCountryCode);
                Element(xml, "NrDostawcy", taxNumber ?? "BRAK");
                Element(xml, "NazwaDostawcy", Text(row.SupplierName, 512));
                Element(xml, "DowodZakupu", Text(row.Number, 256));
                Element(xml, "DataZakupu", Date(row.IssueDate));
                if (row.ReceiptDate != row.IssueDate) Element(xml, "DataWplywu", Date(row.ReceiptDate));
                Element(xml, "BFK", "1");
                if (row.FixedAssetNet != 0 || row.FixedAssetVat != 0)
                {
                    Element(xml, "K_40", Amount(row.FixedAssetNet));
                    Element(xml, "K_41", Amount(row.FixedAssetVat));
                }
                if (row.OtherNet != 0 || row.OtherVat != 0)
                {
                    Element(xml, "K_42", Amount(row.OtherNet));
                    Element(xml, "K_43", Amount(row.OtherVat));
                }
                xml.WriteEndElement();
            }
            xml.WriteStartElement("ZakupCtrl", Namespace);
            Element(xml, "LiczbaWierszyZakupow", purchases.Rows.Count.ToString(CultureInfo.InvariantCulture));
            Element(xml, "PodatekNaliczony", Amount(purchases.DeductibleVat));
            xml.WriteEndElement();
            xml.WriteEndElement(); // Ewidencja

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        var name = $"JPK_V7M_{period.Year:D4}-{period.Month:D2}.xml";
        return new JpkFile(name, stream.ToArray(), declaration, sales.Rows.Count, sales.Vat, purchases.Rows.Count, purchases.DeductibleVat);
    }

    /// <summary>The K_ fields of one sales row: base and tax per rate, summed when a row has two rates mapped to one field.</summary>
    public static Dictionary<string, decimal> SalesFields(SalesRegisterRow row)
    {
        var fields = new Dictionary<string, decimal>();
        foreach (var rate in row.Rates)
        {
            var (netField, vatField) = FieldsOf(rate);
            fields[netField] = fields.GetValueOrDefault(netField) + rate.Net;
            if (vatField is not null) fields[vatField] = fields.GetValueOrDefault(vatField) + rate.Vat;
        }
        return fields;
    }

    /// <summary>Which K_ fields a rate goes to (docs/vat.md has the table and the simplifications).</summary>
    public static (string Net, string? Vat) FieldsOf(VatRateAmounts rate) => rate.Kind switch
    {
        VatRateKind.Exempt => ("K_10", null),
        VatRateKind.OutOfScope or VatRateKind.ReverseCharge => ("K_11", null),
        VatRateKind.Percentage when rate.Percent == 0 => ("K_13", null),
        VatRateKind.Percentage when rate.Percent == 5 => ("K_15", "K_16"),
        VatRateKind.Percentage when rate.Percent is 7 or 8 => ("K_17", "K_18"),
        VatRateKind.Percentage when rate.Percent is 22 or 23 => ("K_19", "K_20"),
        _ => throw new ConflictException($"The VAT rate {rate.VatRateCode} has no field in JPK_V7M."),
    };

    private static int FieldOrder(string field) => int.Parse(field.AsSpan(2), CultureInfo.InvariantCulture);

    /// <summary>
    /// VAT-7 (23): every base and tax field is the register total of its K_ field rounded to whole złoty (half away from
    /// zero, art. 63 Ordynacji podatkowej); P_37/P_38 and P_48 add the rounded fields; P_51 is what is to be paid,
    /// P_53/P_62 the excess carried to the next month (no refund is claimed; P_39 — last month's excess — is not carried in).
    /// </summary>
    public static JpkDeclaration Declare(IReadOnlyList<Dictionary<string, decimal>> salesFields, PurchaseRegister purchases)
    {
        long Whole(decimal value) => (long)Math.Round(value, 0, MidpointRounding.AwayFromZero);
        var p = new Dictionary<string, long>();
        foreach (var (k, pField) in new[] { ("K_10", "P_10"), ("K_11", "P_11"), ("K_13", "P_13"), ("K_15", "P_15"), ("K_16", "P_16"), ("K_17", "P_17"),
                     ("K_18", "P_18"), ("K_19", "P_19"), ("K_20", "P_20") })
        {
            var sum = salesFields.Sum(f => f.GetValueOrDefault(k));
            if (salesFields.Any(f => f.ContainsKey(k))) p[pField] = Whole(sum);
        }
        p["P_37"] = new[] { "P_10", "P_11", "P_13", "P_15", "P_17", "P_19" }.Sum(f => p.GetValueOrDefault(f));
        p["P_38"] = new[] { "P_16", "P_18", "P_20" }.Sum(f => p.GetValueOrDefault(f));
        if (purchases.FixedAssetNet != 0 || purchases.FixedAssetVat != 0)
        {
            p["P_40"] = Whole(purchases.FixedAssetNet);
            p["P_41"] = Whole(purchases.FixedAssetVat);
        }
        if (purchases.OtherNet != 0 || purchases.OtherVat != 0)
        {
            p["P_42"] = Whole(purchases.OtherNet);
            p["P_43"] = Whole(purchases.OtherVat);
        }
        p["P_48"] = p.GetValueOrDefault("P_41") + p.GetValueOrDefault("P_43");
        var due = p["P_38"] - p["P_48"];
        p["P_51"] = Math.Max(due, 0);
        if (due < 0)
        {
            p["P_53"] = -due;
            p["P_62"] = -due;
        }
        return new JpkDeclaration(p);
    }

    private static readonly string[] DeclarationOrder =
        ["P_10", "P_11", "P_13", "P_15", "P_16", "P_17", "P_18", "P_19", "P_20", "P_37", "P_38", "P_40", "P_41", "P_42", "P_43", "P_48", "P_51", "P_53", "P_62"];

    private static void WriteDeclaration(XmlWriter xml, JpkDeclaration declaration)
    {
        xml.WriteStartElement("Deklaracja", Namespace);
        xml.WriteStartElement("Naglowek", Namespace);
        xml.WriteStartElement("KodFormularzaDekl", Namespace);
        xml.WriteAttributeString("kodSystemowy", "VAT-7 (23)");
        xml.WriteAttributeString("kodPodatku", "VAT");
        xml.WriteAttributeString("rodzajZobowiazania", "Z");
        xml.WriteAttributeString("wersjaSchemy", "1-0E");
        xml.WriteString("VAT-7");
        xml.WriteEndElement();
        Element(xml, "WariantFormularzaDekl", "23");
        xml.WriteEndElement();
        xml.WriteStartElement("PozycjeSzczegolowe", Namespace);
        foreach (var field in DeclarationOrder)
            if (declaration.Fields.TryGetValue(field, out var value))
                Element(xml, field, value.ToString(CultureInfo.InvariantCulture));
        xml.WriteEndElement();
        Element(xml, "Pouczenia", "1");
        xml.WriteEndElement();
    }

    private static void Element(XmlWriter xml, string name, string value) => xml.WriteElementString(name, Namespace, value);

    private static string Amount(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
    private static string Date(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The tax number as the register wants it: letters and digits only (PL NIP without dashes, an EU VAT number without its country prefix).</summary>
    public static string? TaxNumber(string? taxId)
    {
        if (string.IsNullOrWhiteSpace(taxId)) return null;
        var clean = new string(taxId.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();
        return clean.Length == 0 ? null : clean;
    }

    private static string Text(string? value, int max)
    {
        var text = string.IsNullOrWhiteSpace(value) ? "BRAK" : string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length > max ? text[..max] : text;
    }
}
