using Kontor.Catalog;
using Kontor.Common;
using Kontor.Company;
using Kontor.Crm;
using Kontor.Ledger;
using Kontor.Sales;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Persistence;

/// <summary>
/// A small company's first weeks, entered through the same services a person uses, so the demo
/// books balance and the customer cards show real figures. Runs only on a database without parties.
/// </summary>
public sealed class DemoData(KontorDbContext db, PartyService parties, ProductService products, InvoiceService invoices, PaymentService payments, BusinessCalendar calendar,
    Catalog.Pricing.PriceListService priceLists, Crm.Pipeline.PipelineDemoData pipeline,
    Crm.Activities.ActivityService activities, BusinessCalendar days, Crm.Complaints.ComplaintService complaints,
    Inventory.StockDocumentService stockDocuments, Orders.OrderService orders, Inventory.IOrderFulfilment fulfilment,
    Commerce.SalesChannelService channels, Commerce.ShopOrderIngestion shopOrders)
{
    /// <summary>The demo web shop's webhook secret (docs/commerce.md "Demo shop"): a demo database only, so a person can sign a test delivery.</summary>
    public const string DemoShopSecret = "kontor-demo-shop-secret";

    /// <summary>Gives the demo activities (seeded before any user existed, so owned by nobody) to the demo salesperson.</summary>
    public static Task<int> HandActivitiesToAsync(KontorDbContext db, Guid userId, CancellationToken ct = default) =>
        db.Set<Crm.Activities.Activity>().Where(a => a.OwnerUserId == null && a.CreatedBy == "system")
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.OwnerUserId, userId), ct);

    /// <summary>
    /// The demo pipeline was seeded before any user existed: its leads go to the salesperson, its opportunities
    /// alternately to the salesperson and the manager, so the board's owner filter and the forecast per owner show two people.
    /// </summary>
    public static async Task HandPipelineToAsync(KontorDbContext db, Guid salesUserId, Guid managerUserId, CancellationToken ct = default)
    {
        await db.Leads.Where(l => l.OwnerUserId == null).ExecuteUpdateAsync(s => s.SetProperty(l => l.OwnerUserId, salesUserId), ct);
        var opportunities = await db.Opportunities.Where(o => o.OwnerUserId == null).OrderBy(o => o.CreatedAt).ThenBy(o => o.Id).ToListAsync(ct);
        for (var i = 0; i < opportunities.Count; i++) opportunities[i].OwnerUserId = i % 2 == 0 ? salesUserId : managerUserId;
        await db.SaveChangesAsync(ct);
    }

    public async Task SeedOnceAsync(CancellationToken ct = default)
    {
        if (await db.Parties.AnyAsync(ct)) return;
        var today = calendar.Today();
        // Price groups first: a customer names its group when it is created.
        var wholesale = await priceLists.CreatePriceGroupAsync(new("Hurt", "Hurtownie i stali odbiorcy"), ct);
        await priceLists.CreatePriceGroupAsync(new("Detal", "Klienci detaliczni (cennik)"), ct);
        await priceLists.CreatePriceGroupAsync(new("VIP", "Kluczowi klienci"), ct);

        var budmax = await parties.CreateAsync(new CreateParty(PartyKind.Company, "Budmax S.A.", TaxIdKind.Nip, "951-234-56-75",
            new AddressInput("ul. Marszałkowska 10", "00-590", "Warszawa", "PL"), "ksiegowosc@budmax.example", "+48 22 555 01 01", 14, 50_000m, "PLN", "Hurt",
            [new ContactInput("Anna", "Kowalska", "Główna księgowa", "anna.kowalska@budmax.example", "+48 600 100 200")]), ct);
        var zielony = await parties.CreateAsync(new CreateParty(PartyKind.Company, "Zielony Ogród Sp. z o.o.", TaxIdKind.Nip, "7792345616",
            new AddressInput("ul. Półwiejska 2", "61-888", "Poznań", "PL"), "biuro@zielonyogrod.example", "+48 61 555 02 02", 30, 20_000m, "PLN", null,
            [new ContactInput("Piotr", "Nowak", "Właściciel", "piotr@zielonyogrod.example", null)]), ct);
        var severtrade = await parties.CreateAsync(new CreateParty(PartyKind.Company, "ООО «СеверТрейд»", TaxIdKind.Inn, "7707083893",
            new AddressInput("ул. Тверская, 7", "125009", "Москва", "RU"), "info@severtrade.example", "+7 495 555 03 03", 21, null, "PLN", null,
            [new ContactInput("Ирина", "Смирнова", "Бухгалтер", "irina@severtrade.example", null)], Kpp: "773601001"), ct);
        var jan = await parties.CreateAsync(new CreateParty(PartyKind.Person, "Jan Wiśniewski", TaxIdKind.None, null,
            new AddressInput("ul. Długa 5/3", "31-147", "Kraków", "PL"), "jan.wisniewski@example.com", null, 7, null, "PLN", null, null), ct);

        var consulting = await products.CreateAsync(new CreateProduct("SRV-CONSULT", "Konsultacje wdrożeniowe (godz.)", ProductKind.Service, "godz.", 250m, "PLN", "23", UnitCost: 140m), ct);
        var licence = await products.CreateAsync(new CreateProduct("LIC-STD", "Licencja Kontor Standard (mies.)", ProductKind.Service, "szt.", 199m, "PLN", "23", UnitCost: 35m), ct);
        var book = await products.CreateAsync(new CreateProduct("BOOK-ACC", "Podręcznik księgowości", ProductKind.Goods, "szt.", 89.90m, "PLN", "5", UnitCost: 52.40m), ct);
        var notebook = await products.CreateAsync(new CreateProduct("NOTE-A5", "Notes firmowy A5", ProductKind.Goods, "szt.", 12.50m, "PLN", "23", UnitCost: 6.20m), ct);
        // Stock in the main warehouse, received at two costs, so the warehouse page shows FIFO layers at work.
        foreach (var (daysAgo, lines) in new (int, Inventory.StockDocumentLineInput[])[]
                 {
                     (50, [new(book.Id, 40m, 52.40m), new(notebook.Id, 200m, 6.20m)]),
                     (10, [new(book.Id, 20m, 54.10m)]),
                 })
            await stockDocuments.CreateAndPostAsync(new Inventory.SaveStockDocument(Inventory.StockDocumentKind.PZ, null, today.AddDays(-daysAgo), lines,
                Notes: "Dostawa od wydawcy"), ct);
        await products.CreateAsync(new CreateProduct("TRN-ONLINE", "Szkolenie online", ProductKind.Service, "szt.", 1200m, "PLN", "zw", UnitCost: 480m), ct);

        // Pricing: wholesale prices for the Hurt group, Zielony Ogród's own price of the handbook, and a quantity
        // discount on books — visible as soon as one of these is put on a line.
        var books = await priceLists.CreateProductGroupAsync(new("Książki"), ct);
        await priceLists.SetProductGroupAsync(book.Id, books.Id, ct);
        await priceLists.CreatePriceAsync(new(wholesale.Id, null, licence.Id, 179m, "PLN", null, null), ct);
        await priceLists.CreatePriceAsync(new(wholesale.Id, null, consulting.Id, 230m, "PLN", null, null), ct);
        await priceLists.CreatePriceAsync(new(null, zielony.Id, book.Id, 79m, "PLN", null, null), ct);
        await priceLists.CreateDiscountRuleAsync(new("Książki od 10 szt.", null, null, books.Id, null, 10m, 5m, null, null), ct);

        static InvoiceLineInput Line(Guid productId, decimal quantity, decimal? discountPercent = null) =>
            new(productId, null, quantity, null, discountPercent, null, null);

        async Task<Invoice> Issue(Guid partyId, int daysAgo, params InvoiceLineInput[] lines)
        {
            var draft = await invoices.CreateDraftAsync(new SaveInvoiceDraft(partyId, "PLN", PricingMode.Net, today.AddDays(-daysAgo), null, null, null, lines), ct);
            return await invoices.IssueAsync(draft.Id, ct);
        }

        var first = await Issue(budmax.Id, 45, Line(consulting.Id, 12), Line(licence.Id, 3, 10));
        await Issue(budmax.Id, 20, Line(consulting.Id, 8));
        var second = await Issue(zielony.Id, 40, Line(book.Id, 10), Line(licence.Id, 1));
        await Issue(severtrade.Id, 35, Line(consulting.Id, 20, 5));
        await Issue(jan.Id, 3, Line(book.Id, 1));

        await payments.RegisterAsync(new RegisterPayment(budmax.Id, today.AddDays(-28), first.TotalGross, "PLN", $"Zapłata za {first.Number}", null), ct);
        await payments.RegisterAsync(new RegisterPayment(zielony.Id, today.AddDays(-2), 500m, "PLN", $"Częściowa wpłata {second.Number}", null), ct);
        await invoices.CreateDraftAsync(new SaveInvoiceDraft(zielony.Id, "PLN", PricingMode.Gross, null, null, null, "Szkic do uzupełnienia",
            [Line(book.Id, 2)]), ct);

        // Two orders for goods: one shipped from stock on a WZ (FIFO cost to 731), one still holding its reservation.
        var shipped = await orders.CreateAsync(new Orders.CreateOrder(budmax.Id, "PLN", PricingMode.Net, null, [Line(book.Id, 5), Line(notebook.Id, 50)]), ct);
        await fulfilment.IssueForOrderAsync(shipped.Id, null, ct);
        await orders.CreateAsync(new Orders.CreateOrder(jan.Id, "PLN", PricingMode.Net, null, [Line(book.Id, 3)]), ct);
        await pipeline.SeedAsync(today, budmax.Id, zielony.Id, consulting.Id, licence.Id, ct);

        // CRM: a call with a follow-up, a note, an overdue task and a meeting today (the demo salesperson's "my day"), and a complaint.
        var budmaxContact = (await parties.GetAsync(budmax.Id, ct)).Contacts.FirstOrDefault()?.Id;
        await activities.LogCallAsync(new Crm.Activities.LogCall(budmax.Id, budmaxContact, "Przedłużenie licencji na 2027", "Pyta o rabat przy 5 licencjach.",
            Crm.Activities.ActivityOutcome.CallBack, "Oddzwonić po decyzji zarządu"), ct);
        await activities.CreateAsync(new Crm.Activities.SaveActivity(Crm.Activities.ActivityKind.Note, "Preferuje faktury e-mailem", "Wysyłać na ksiegowosc@budmax.example.",
            null, null, budmax.Id, null, null, null, null), ct);
        await activities.CreateAsync(new Crm.Activities.SaveActivity(Crm.Activities.ActivityKind.Task, "Przypomnieć o zaległej płatności", null,
            days.At(today.AddDays(-3), new TimeOnly(10, 0)), null, zielony.Id, null, null, NumberingSeries.InvoiceDocumentType, second.Id), ct);
        await activities.CreateAsync(new Crm.Activities.SaveActivity(Crm.Activities.ActivityKind.Meeting, "Prezentacja modułu magazynowego", null,
            days.At(today, new TimeOnly(14, 0)), null, severtrade.Id, null, null, null, null), ct);
        await complaints.CreateAsync(new Crm.Complaints.CreateComplaint(null, null, second.Id, null, null,
            "Dwa podręczniki z uszkodzoną okładką.", today.AddDays(-5), [new Crm.Complaints.ComplaintLineInput(1, 2m)]), ct);

        await SeedShopAsync(today, ct);
    }

    /// <summary>
    /// A WooCommerce shop set up with its webhook alone (no API address: nothing is sent back), and two of its orders taken the
    /// way a webhook brings them: one paid through Przelewy24 (a new customer, the order, its invoice and the gateway payment on
    /// 145), one held because the shop sells the red notebook under its own SKU — for Map SKUs on Settings → Integrations.
    /// </summary>
    private async Task SeedShopAsync(DateOnly today, CancellationToken ct)
    {
        var shop = await channels.CreateAsync(new Commerce.SaveSalesChannel("Sklep internetowy (demo)", Commerce.ChannelType.WooCommerce, DemoShopSecret,
            null, null, null, Commerce.InvoiceMoment.OnPayment, null, null, true, PricingMode.Net, null), ct);
        var at = today.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (id, sku, name, quantity, net, tax) in new[]
                 {
                     (1001, "NOTE-A5", "Notes firmowy A5", 4, "50.00", "11.50"),
                     (1002, "notes-a5-czerwony", "Notes A5 czerwony", 2, "25.00", "5.75"),
                 })
        {
            var payload = $$"""
                {"id":{{id}},"number":"{{id}}","status":"processing","currency":"PLN","prices_include_tax":false,
                 "date_created_gmt":"{{at}}T09:{{id % 60:00}}:00","date_modified_gmt":"{{at}}T09:{{id % 60:00}}:00","date_paid_gmt":"{{at}}T09:{{id % 60:00}}:00",
                 "payment_method":"przelewy24","payment_method_title":"Przelewy24","transaction_id":"P24-DEMO-{{id}}",
                 "shipping_lines":[{"id":{{id * 10 + 1}},"method_title":"Kurier","method_id":"flat_rate","total":"15.00","total_tax":"3.45"}],
                 "billing":{"first_name":"Katarzyna","last_name":"Zielińska","company":"","address_1":"ul. Morska 12","city":"Gdańsk",
                            "postcode":"80-001","country":"PL","email":"k.zielinska@example.com","phone":"+48 601 222 333"},
                 "line_items":[{"id":{{id * 10}},"name":"{{name}}","product_id":{{id}},"variation_id":0,"quantity":{{quantity}},
                                "sku":"{{sku}}","total":"{{net}}","total_tax":"{{tax}}"}]}
                """;
            var shopOrder = Commerce.ShopOrderParser.Parse(shop.Type, shop.PriceMode, System.Text.Encoding.UTF8.GetBytes(payload));
            await shopOrders.IngestAsync(shop, shopOrder, payload, ct);
        }
    }
}
