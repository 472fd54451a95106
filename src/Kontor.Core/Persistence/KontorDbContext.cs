using Kontor.Catalog;
using Kontor.Common;
using Kontor.Company;
using Kontor.Crm;
using Kontor.Ledger;
using Kontor.Sales;
using Kontor.Security;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Kontor.Persistence;

/// <summary>
/// The one database. Each provider has a subclass so that each keeps its own migrations
/// (<see cref="SqliteKontorDbContext"/>, <see cref="PostgresKontorDbContext"/>).
/// </summary>
public abstract class KontorDbContext(DbContextOptions options) : IdentityDbContext<KontorUser, KontorRole, Guid>(options)
{
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<CompanyProfile> CompanyProfiles => Set<CompanyProfile>();
    public DbSet<CompanyBankAccount> CompanyBankAccounts => Set<CompanyBankAccount>();
    public DbSet<DocumentTemplate> DocumentTemplates => Set<DocumentTemplate>();
    public DbSet<CompanyLogo> CompanyLogos => Set<CompanyLogo>();
    public DbSet<Party> Parties => Set<Party>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<VatRate> VatRates => Set<VatRate>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<NumberingSeries> NumberingSeries => Set<NumberingSeries>();
    public DbSet<NumberingCounter> NumberingCounters => Set<NumberingCounter>();
    public DbSet<Invoice> Invoices => Set<Invoice>();
    public DbSet<InvoiceLine> InvoiceLines => Set<InvoiceLine>();
    public DbSet<InvoiceVatTotal> InvoiceVatTotals => Set<InvoiceVatTotal>();
    public DbSet<InvoiceAdvanceDeduction> InvoiceAdvanceDeductions => Set<InvoiceAdvanceDeduction>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<JournalEntry> JournalEntries => Set<JournalEntry>();
    public DbSet<JournalLine> JournalLines => Set<JournalLine>();
    public DbSet<AccountingPeriod> AccountingPeriods => Set<AccountingPeriod>();
    public DbSet<OpenItem> OpenItems => Set<OpenItem>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<PaymentAllocation> PaymentAllocations => Set<PaymentAllocation>();
    public DbSet<Currencies.ExchangeRate> ExchangeRates => Set<Currencies.ExchangeRate>();
    public DbSet<Offers.Offer> Offers => Set<Offers.Offer>();
    public DbSet<Offers.OfferLine> OfferLines => Set<Offers.OfferLine>();
    public DbSet<Orders.Order> Orders => Set<Orders.Order>();
    public DbSet<Orders.OrderLine> OrderLines => Set<Orders.OrderLine>();
    public DbSet<Orders.OrderStatusChange> OrderStatusChanges => Set<Orders.OrderStatusChange>();
    // Sales channels, webhooks and the outbox (docs/commerce.md).
    public DbSet<Commerce.SalesChannel> SalesChannels => Set<Commerce.SalesChannel>();
    public DbSet<Commerce.IntegrationLogEntry> IntegrationLog => Set<Commerce.IntegrationLogEntry>();
    public DbSet<Commerce.HeldShopOrder> HeldShopOrders => Set<Commerce.HeldShopOrder>();
    public DbSet<Outbox.OutboxMessage> OutboxMessages => Set<Outbox.OutboxMessage>();
    public DbSet<Commerce.ChannelProduct> ChannelProducts => Set<Commerce.ChannelProduct>();
    public DbSet<Catalog.ProductSkuAlias> ProductSkuAliases => Set<Catalog.ProductSkuAlias>();
    public DbSet<DocumentLink> DocumentLinks => Set<DocumentLink>();
    public DbSet<CorrectionSettlement> CorrectionSettlements => Set<CorrectionSettlement>();
    // Recurring invoices (docs/decisions.md, "Recurring invoices").
    public DbSet<Recurring.RecurringSchedule> RecurringSchedules => Set<Recurring.RecurringSchedule>();
    public DbSet<Recurring.RecurringScheduleLine> RecurringScheduleLines => Set<Recurring.RecurringScheduleLine>();
    public DbSet<Recurring.RecurringRun> RecurringRuns => Set<Recurring.RecurringRun>();
    // Bank statements (docs/banking.md).
    public DbSet<Banking.BankStatement> BankStatements => Set<Banking.BankStatement>();
    public DbSet<Banking.BankStatementLine> BankStatementLines => Set<Banking.BankStatementLine>();
    public DbSet<PartyBankAccount> PartyBankAccounts => Set<PartyBankAccount>();
    // Pricing (docs/decisions.md, "Pricing").
    public DbSet<Catalog.Pricing.PriceGroup> PriceGroups => Set<Catalog.Pricing.PriceGroup>();
    public DbSet<Catalog.Pricing.ProductGroup> ProductGroups => Set<Catalog.Pricing.ProductGroup>();
    public DbSet<Catalog.Pricing.PriceListEntry> PriceListEntries => Set<Catalog.Pricing.PriceListEntry>();
    public DbSet<Catalog.Pricing.DiscountRule> DiscountRules => Set<Catalog.Pricing.DiscountRule>();

    public DbSet<Purchases.PurchaseInvoice> PurchaseInvoices => Set<Purchases.PurchaseInvoice>();
    public DbSet<Purchases.PurchaseInvoiceLine> PurchaseInvoiceLines => Set<Purchases.PurchaseInvoiceLine>();
    public DbSet<Vat.VatSettings> VatSettings => Set<Vat.VatSettings>();
    // Leads, pipeline and campaigns (docs/crm.md).
    public DbSet<Crm.Pipeline.Campaign> Campaigns => Set<Crm.Pipeline.Campaign>();
    public DbSet<Crm.Pipeline.Lead> Leads => Set<Crm.Pipeline.Lead>();
    public DbSet<Crm.Pipeline.PipelineStage> PipelineStages => Set<Crm.Pipeline.PipelineStage>();
    public DbSet<Crm.Pipeline.Opportunity> Opportunities => Set<Crm.Pipeline.Opportunity>();
    public DbSet<Crm.Pipeline.OpportunityLine> OpportunityLines => Set<Crm.Pipeline.OpportunityLine>();
    public DbSet<Crm.Pipeline.OpportunityStageChange> OpportunityStageChanges => Set<Crm.Pipeline.OpportunityStageChange>();
    // Inventory (docs/inventory.md).
    public DbSet<Inventory.Warehouse> Warehouses => Set<Inventory.Warehouse>();
    public DbSet<Inventory.StockLevel> StockLevels => Set<Inventory.StockLevel>();
    public DbSet<Inventory.StockLayer> StockLayers => Set<Inventory.StockLayer>();
    public DbSet<Inventory.StockMovement> StockMovements => Set<Inventory.StockMovement>();
    public DbSet<Inventory.StockReservation> StockReservations => Set<Inventory.StockReservation>();
    public DbSet<Inventory.StockDocument> StockDocuments => Set<Inventory.StockDocument>();
    public DbSet<Inventory.StockDocumentLine> StockDocumentLines => Set<Inventory.StockDocumentLine>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);

        b.Entity<AuditEntry>(e =>
        {
            e.HasIndex(x => x.At);
            e.HasIndex(x => new { x.EntityType, x.EntityId });
            e.Property(x => x.Action).HasMaxLength(100);
            e.Property(x => x.EntityType).HasMaxLength(100);
            e.Property(x => x.EntityId).HasMaxLength(100);
            e.Property(x => x.UserName).HasMaxLength(256);
        });

        b.Entity<CompanyProfile>(e =>
        {
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.TaxId).HasMaxLength(32);
            e.Property(x => x.CountryCode).HasMaxLength(2);
            e.Property(x => x.BaseCurrency).HasMaxLength(3);
            e.Property(x => x.DefaultVatRateCode).HasMaxLength(16);
            e.Property(x => x.Version).IsConcurrencyToken();
            // The column keeps its old name: existing databases hand their IBAN over at startup (DatabaseInitializer).
            e.Ignore(x => x.BankAccount);
        });
        b.Entity<CompanyBankAccount>(e =>
        {
            e.HasIndex(x => x.Iban).IsUnique();
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Iban).HasMaxLength(34);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.StatementAccountId).HasMaxLength(64);
        });

        b.Entity<DocumentTemplate>(e =>
        {
            e.HasKey(x => x.DocumentType);
            e.Property(x => x.DocumentType).HasMaxLength(32);
            e.Property(x => x.FooterText).HasMaxLength(DocumentTemplate.MaxFooterLength);
            e.Property(x => x.DefaultNotes).HasMaxLength(DocumentTemplate.MaxNotesLength);
            e.Property(x => x.AccentColor).HasMaxLength(7);
        });
        b.Entity<CompanyLogo>(e =>
        {
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.ContentType).HasMaxLength(32);
        });

        b.Entity<Party>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.TaxId).HasMaxLength(32);
            e.Property(x => x.Kpp).HasMaxLength(9);
            e.Property(x => x.CreditLimitCurrency).HasMaxLength(3);
            e.Property(x => x.PreferredPaymentMethod).HasConversion<string>().HasMaxLength(32);
            e.HasIndex(x => new { x.TaxIdKind, x.TaxId });
            e.HasIndex(x => x.Name);
            e.OwnsOne(x => x.Address, a =>
            {
                a.Property(p => p.Street).HasColumnName("Street").HasMaxLength(200);
                a.Property(p => p.PostalCode).HasColumnName("PostalCode").HasMaxLength(20);
                a.Property(p => p.City).HasColumnName("City").HasMaxLength(100);
                a.Property(p => p.CountryCode).HasColumnName("CountryCode").HasMaxLength(2);
            });
            e.Navigation(x => x.Address).IsRequired();
            e.HasMany(x => x.Contacts).WithOne().HasForeignKey(c => c.PartyId);
            e.Property(x => x.Version).IsConcurrencyToken();
            // Duplicate detection and merge (docs/crm.md, "Duplicates, merge and import").
            e.Property(x => x.Status).HasDefaultValue(PartyStatus.Active).HasSentinel((PartyStatus)(-1));
            e.HasOne<Party>().WithMany().HasForeignKey(x => x.MergedIntoPartyId).OnDelete(DeleteBehavior.Restrict);
            e.Property(x => x.NameKey).HasMaxLength(200).HasDefaultValue("");
            e.Property(x => x.CityKey).HasMaxLength(100);
            e.Property(x => x.TaxKey).HasMaxLength(40);
            e.Property(x => x.EmailKey).HasMaxLength(254);
            e.Property(x => x.PhoneKey).HasMaxLength(20);
            e.HasIndex(x => x.TaxKey);
            e.HasIndex(x => x.EmailKey);
            e.HasIndex(x => x.PhoneKey);
            e.HasIndex(x => new { x.CityKey, x.NameKey });
            e.Property(x => x.NameWord1).HasMaxLength(200);
            e.Property(x => x.NameWord2).HasMaxLength(200);
            e.HasIndex(x => new { x.CityKey, x.NameWord1 });
            e.HasIndex(x => new { x.CityKey, x.NameWord2 });
            e.HasIndex(x => x.MergedIntoPartyId);
        });

        b.Entity<VatRate>(e =>
        {
            e.HasIndex(x => new { x.CountryCode, x.Code, x.ValidFrom }).IsUnique();
            e.Property(x => x.Code).HasMaxLength(16);
        });

        b.Entity<Product>(e =>
        {
            e.HasIndex(x => x.Sku).IsUnique();
            e.Property(x => x.Sku).HasMaxLength(64);
            e.Property(x => x.Name).HasMaxLength(300);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.Version).IsConcurrencyToken();
        });

        b.Entity<NumberingSeries>(e =>
        {
            e.HasIndex(x => new { x.DocumentType, x.Name }).IsUnique();
            e.Property(x => x.DocumentType).HasMaxLength(32);
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Pattern).HasMaxLength(Sales.NumberingSeries.MaxPatternLength);
            e.Property(x => x.Version).IsConcurrencyToken();
        });
        b.Entity<NumberingCounter>(e => e.HasKey(x => new { x.SeriesId, x.Period }));

        b.Entity<Invoice>(e =>
        {
            e.HasIndex(x => new { x.SeriesId, x.Number }).IsUnique();
            e.HasIndex(x => new { x.PartyId, x.IssueDate });
            e.HasIndex(x => x.CreatedAt);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.Number).HasMaxLength(64);
            e.OwnsOne(x => x.Seller, s => ConfigureSnapshot(s, "Seller"));
            e.OwnsOne(x => x.Buyer, s => ConfigureSnapshot(s, "Buyer"));
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.InvoiceId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.VatTotals).WithOne().HasForeignKey(l => l.InvoiceId).OnDelete(DeleteBehavior.Cascade);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.Ignore(x => x.Gross);
        });
        b.Entity<InvoiceLine>(e => e.HasIndex(x => new { x.InvoiceId, x.Position }));
        b.Entity<InvoiceVatTotal>(e => e.HasKey(x => new { x.InvoiceId, x.VatRateCode }));

        b.Entity<Account>(e =>
        {
            e.HasKey(x => x.Code);
            e.Property(x => x.Code).HasMaxLength(32);
        });
        b.Entity<JournalEntry>(e =>
        {
            e.HasIndex(x => x.SourceId);
            e.HasIndex(x => x.Date);
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.EntryId);
            e.Property(x => x.BaseCurrency).HasMaxLength(3);
            e.Property(x => x.ExchangeRateTable).HasMaxLength(32);
            if (this is SqliteKontorDbContext) e.Property(x => x.ExchangeRate).HasConversion(new Currencies.RateScaledConverter());
            else e.Property(x => x.ExchangeRate).HasPrecision(28, Currencies.ExchangeRate.RateDecimals);
        });
        b.Entity<AccountingPeriod>(e =>
        {
            e.HasKey(x => new { x.Year, x.Month });
            e.Ignore(x => x.Key);
            e.Property(x => x.ClosedBy).HasMaxLength(256);
        });
        b.Entity<JournalLine>(e =>
        {
            e.HasIndex(x => new { x.AccountCode, x.Date });
            e.HasIndex(x => new { x.PartyId, x.AccountCode });
            e.Property(x => x.Currency).HasMaxLength(3);
            e.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountCode).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<OpenItem>(e =>
        {
            e.HasIndex(x => new { x.PartyId, x.Side, x.Currency, x.OpenAmount });
            e.HasIndex(x => x.SourceId);
            e.Property(x => x.Version).IsConcurrencyToken();
        });
        b.Entity<Payment>(e =>
        {
            e.HasIndex(x => new { x.PartyId, x.Date });
            e.HasMany(x => x.Allocations).WithOne().HasForeignKey(x => x.PaymentId);
            // Rows from before the column get Bank (the migration's default); DatabaseInitializer.FillPaymentViaAsync then marks
            // those whose entry moved the gateway clearing account (decision 51). The sentinel makes EF always send the value.
            e.Property(x => x.Via).HasDefaultValue(PaymentVia.Bank).HasSentinel((PaymentVia)(-1));
        });
        b.Entity<PaymentAllocation>(e => e.HasIndex(x => x.OpenItemId));
        ConfigurePurchases(b);
        Crm.Pipeline.PipelineModel.Configure(b);
        ConfigureInventory(b);
        // Offers and the links between documents (docs/decisions.md §14).
        b.Entity<Offers.Offer>(e =>
        {
            e.HasIndex(x => x.Number).IsUnique();
            e.HasIndex(x => new { x.PartyId, x.CreatedAt });
            e.HasIndex(x => x.CreatedAt);
            e.Property(x => x.Number).HasMaxLength(64);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.HasOne<Party>().WithMany().HasForeignKey(x => x.PartyId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.OfferId).OnDelete(DeleteBehavior.Cascade);
            e.Property(x => x.Version).IsConcurrencyToken();
        });
        b.Entity<Offers.OfferLine>(e =>
        {
            e.HasIndex(x => new { x.OfferId, x.Position });
            e.Property(x => x.Description).HasMaxLength(500);
            e.Property(x => x.Unit).HasMaxLength(20);
            e.Property(x => x.VatRateCode).HasMaxLength(16);
        });
        // Orders (numbered on creation; invoiced once, several per invoice).
        b.Entity<Orders.Order>(e =>
        {
            e.HasIndex(x => x.Number).IsUnique();
            e.HasIndex(x => new { x.PartyId, x.CreatedAt });
            e.HasIndex(x => x.CreatedAt);
            e.HasIndex(x => x.InvoiceId);
            e.Property(x => x.Number).HasMaxLength(64);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.HasOne<Party>().WithMany().HasForeignKey(x => x.PartyId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
            e.Property(x => x.Version).IsConcurrencyToken();
            // One order per shop order, however often and concurrently the shop delivers it (docs/commerce.md).
            e.HasIndex(x => new { x.ChannelId, x.ExternalOrderId }).IsUnique();
            e.Property(x => x.ExternalOrderId).HasMaxLength(64);
            e.Property(x => x.ExternalStatus).HasMaxLength(32);
            e.HasOne<Commerce.SalesChannel>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Restrict);
            e.Property(x => x.TrackingNumber).HasMaxLength(Kontor.Orders.Order.TrackingNumberMaxLength);
            e.Property(x => x.Carrier).HasMaxLength(Kontor.Orders.Order.CarrierMaxLength);
            e.Property(x => x.PaidAtShopReference).HasMaxLength(200);
        });
        // The order's history: one row per status move (docs/commerce.md, "Order lifecycle").
        b.Entity<Orders.OrderStatusChange>(e =>
        {
            e.HasIndex(x => new { x.OrderId, x.At });
            e.Property(x => x.From).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.To).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Actor).HasMaxLength(256);
            e.Property(x => x.TrackingNumber).HasMaxLength(Kontor.Orders.Order.TrackingNumberMaxLength);
            e.Property(x => x.Carrier).HasMaxLength(Kontor.Orders.Order.CarrierMaxLength);
            e.HasOne<Orders.Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Cascade);
        });
        // Returns and refunds of orders (docs/commerce.md "Returns and refunds"): one row per return, one per (order, shop refund).
        b.Entity<Orders.OrderReturn>(e =>
        {
            e.HasIndex(x => new { x.OrderId, x.ExternalRefundId }).IsUnique();
            e.HasIndex(x => new { x.PartyId, x.CreatedAt });
            e.Property(x => x.Reason).HasMaxLength(500);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.ExternalRefundId).HasMaxLength(100);
            e.Property(x => x.CreatedBy).HasMaxLength(256);
            e.HasOne<Orders.Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Party>().WithMany().HasForeignKey(x => x.PartyId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.ReturnId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Refunds).WithOne().HasForeignKey(r => r.ReturnId).OnDelete(DeleteBehavior.Cascade);
        });
        // A return's refund in parts, one per incoming payment given back (decision 51); later returns of the invoice read them.
        b.Entity<Orders.OrderReturnRefund>(e =>
        {
            e.HasIndex(x => x.InvoiceId);
            e.HasOne<Payment>().WithMany().HasForeignKey(x => x.RefundPaymentId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Payment>().WithMany().HasForeignKey(x => x.IncomingPaymentId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Invoice>().WithMany().HasForeignKey(x => x.InvoiceId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Orders.OrderReturnLine>(e =>
        {
            e.HasIndex(x => x.ReturnId);
            e.HasOne<Product>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Commerce.SalesChannel>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Type).HasConversion<string>().HasMaxLength(16);
            // Secret and ApiSecret hold Data Protection payloads (Commerce/ChannelSecrets): longer than the plain secret.
            e.Property(x => x.Secret).HasMaxLength(1000);
            e.Property(x => x.BaseAddress).HasMaxLength(300);
            e.Property(x => x.ApiKey).HasMaxLength(200);
            e.Property(x => x.ApiSecret).HasMaxLength(1000);
            e.Property(x => x.InvoiceMoment).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.PriceMode).HasConversion<string>().HasMaxLength(8);
            e.Property(x => x.DefaultWarehouseCode).HasMaxLength(32);
            e.Property(x => x.CustomerMatching).HasMaxLength(64);
            e.Property(x => x.ShopLocationId).HasMaxLength(64);
            e.Property(x => x.Version).IsConcurrencyToken();
        });
        b.Entity<Commerce.IntegrationLogEntry>(e =>
        {
            e.HasIndex(x => new { x.ChannelId, x.At });
            e.HasIndex(x => x.At);
            // An order's page lists its shop messages: its own entries and those of its shop order that name no order yet.
            e.HasIndex(x => x.OrderId);
            e.HasIndex(x => new { x.ChannelId, x.ExternalId });
            e.Property(x => x.Direction).HasConversion<string>().HasMaxLength(8);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Kind).HasMaxLength(32);
            e.Property(x => x.ExternalId).HasMaxLength(64);
        });
        b.Entity<Commerce.HeldShopOrder>(e =>
        {
            e.HasIndex(x => new { x.ChannelId, x.ExternalOrderId }).IsUnique();
            e.HasIndex(x => new { x.Status, x.UpdatedAt });
            // The automatic retry's query: open holds of one kind, oldest-updated first.
            e.HasIndex(x => new { x.Status, x.Kind, x.UpdatedAt });
            e.Property(x => x.ExternalOrderId).HasMaxLength(64);
            e.Property(x => x.Reason).HasMaxLength(Commerce.HeldShopOrder.MaxReasonLength);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            // A JSON array in a text column: the same on both providers, and no separator a shop's SKU could contain.
            e.Property(x => x.UnknownSkus).HasConversion(
                skus => System.Text.Json.JsonSerializer.Serialize(skus, (System.Text.Json.JsonSerializerOptions?)null),
                json => System.Text.Json.JsonSerializer.Deserialize<string[]>(json, (System.Text.Json.JsonSerializerOptions?)null),
                new ValueComparer<IReadOnlyList<string>?>(
                    (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
                    skus => skus == null ? 0 : skus.Aggregate(0, (hash, sku) => HashCode.Combine(hash, sku.GetHashCode())),
                    skus => skus == null ? null : skus.ToArray()));
            e.HasOne<Commerce.SalesChannel>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Outbox.OutboxMessage>(e =>
        {
            // The dispatcher's query: pending messages by due time.
            e.HasIndex(x => new { x.Status, x.NextAttemptAt });
            e.Property(x => x.Type).HasMaxLength(32);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.LastError).HasMaxLength(2000);
            e.Property(x => x.CoalesceKey).HasMaxLength(100);
            e.HasIndex(x => x.CoalesceKey);
        });
        b.Entity<Catalog.ProductSkuAlias>(e =>
        {
            e.HasIndex(x => x.Sku).IsUnique();
            e.HasIndex(x => x.ProductId);
            e.Property(x => x.Sku).HasMaxLength(64);
            e.HasOne<Catalog.Product>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Commerce.ChannelProduct>(e =>
        {
            e.HasIndex(x => new { x.ChannelId, x.ProductId }).IsUnique();
            e.Property(x => x.ExternalProductId).HasMaxLength(64);
            e.Property(x => x.ExternalVariantId).HasMaxLength(64);
            e.Property(x => x.ExternalInventoryItemId).HasMaxLength(64);
            e.HasOne<Commerce.SalesChannel>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Catalog.Product>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Orders.OrderLine>(e =>
        {
            e.HasIndex(x => new { x.OrderId, x.Position });
            e.Property(x => x.Description).HasMaxLength(500);
            e.Property(x => x.Unit).HasMaxLength(20);
            e.Property(x => x.VatRateCode).HasMaxLength(16);
        });
        b.Entity<DocumentLink>(e =>
        {
            e.HasIndex(x => new { x.FromId, x.ToId }).IsUnique();
            e.HasIndex(x => x.ToId);
            e.Property(x => x.FromType).HasMaxLength(32);
            e.Property(x => x.ToType).HasMaxLength(32);
        });

        // Recurring invoices: the unique (ScheduleId, RunDate) is what makes a period impossible to invoice twice.
        b.Entity<Recurring.RecurringSchedule>(e =>
        {
            e.HasIndex(x => new { x.Status, x.NextRunDate });
            e.HasIndex(x => new { x.PartyId, x.CreatedAt });
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.Notes).HasMaxLength(2000);
            e.HasOne<Party>().WithMany().HasForeignKey(x => x.PartyId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.ScheduleId).OnDelete(DeleteBehavior.Cascade);
            e.Property(x => x.Version).IsConcurrencyToken();
        });
        b.Entity<Recurring.RecurringScheduleLine>(e =>
        {
            e.HasIndex(x => new { x.ScheduleId, x.Position });
            e.Property(x => x.Description).HasMaxLength(500);
            e.Property(x => x.Unit).HasMaxLength(20);
            e.Property(x => x.VatRateCode).HasMaxLength(16);
        });
        b.Entity<Recurring.RecurringRun>(e =>
        {
            e.HasIndex(x => new { x.ScheduleId, x.RunDate }).IsUnique();
            e.HasIndex(x => x.InvoiceId);
            e.HasOne<Recurring.RecurringSchedule>().WithMany().HasForeignKey(x => x.ScheduleId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Invoice>().WithMany().HasForeignKey(x => x.InvoiceId).OnDelete(DeleteBehavior.SetNull);
        });

        // Correction invoices (docs/decisions.md §15): extra columns on Invoice/InvoiceLine/InvoiceVatTotal, and the settlement history.
        b.Entity<Invoice>(e =>
        {
            e.HasIndex(x => x.CorrectedInvoiceId);
            e.HasIndex(x => x.OriginalInvoiceId);
            e.Property(x => x.CorrectedInvoiceNumber).HasMaxLength(64);
            e.Property(x => x.CorrectionReason).HasMaxLength(1000);
        });
        // VAT in PLN on foreign-currency invoices (docs/currencies.md): the rate column is stored like ExchangeRate.Rate.
        b.Entity<Invoice>(e =>
        {
            e.Property(x => x.ExchangeRateTable).HasMaxLength(32);
            if (this is SqliteKontorDbContext) e.Property(x => x.ExchangeRate).HasConversion(new Currencies.RateScaledConverter());
            else e.Property(x => x.ExchangeRate).HasPrecision(28, Currencies.ExchangeRate.RateDecimals);
        });
        b.Entity<InvoiceLine>(e => e.Property(x => x.BeforeVatRateCode).HasMaxLength(16));
        // Pro formas, cancellation, advance and final invoices (docs/decisions.md §23, §24).
        b.Entity<Invoice>(e =>
        {
            e.Property(x => x.CancellationReason).HasMaxLength(1000);
            e.Property(x => x.OrderNumber).HasMaxLength(64);
            e.HasIndex(x => new { x.OrderId, x.Kind });
            e.HasIndex(x => new { x.Kind, x.CreatedAt });
            e.HasMany(x => x.AdvanceDeductions).WithOne().HasForeignKey(d => d.InvoiceId).OnDelete(DeleteBehavior.Cascade);
            e.Ignore(x => x.IsTaxDocument);
            e.Ignore(x => x.AdvancesNet);
        });
        b.Entity<InvoiceAdvanceDeduction>(e =>
        {
            e.HasIndex(x => x.InvoiceId);
            e.HasIndex(x => x.AdvanceInvoiceId);
            e.Property(x => x.AdvanceNumber).HasMaxLength(64);
            e.Property(x => x.VatRateCode).HasMaxLength(16);
        });
        b.Entity<CorrectionSettlement>(e =>
        {
            e.HasIndex(x => x.OpenItemId);
            e.HasIndex(x => x.CorrectionId);
        });

        // Bank statements: the natural key is unique so that the same statement cannot be imported twice, even by racing imports.
        b.Entity<Banking.BankStatement>(e =>
        {
            e.HasIndex(x => new { x.BankAccountId, x.StatementId, x.StatementNumber, x.OpeningDate, x.ClosingDate }).IsUnique();
            e.HasIndex(x => new { x.ClosingDate, x.ImportedAt });
            e.Property(x => x.AccountIdentifier).HasMaxLength(64);
            e.Property(x => x.StatementId).HasMaxLength(64);
            e.Property(x => x.StatementNumber).HasMaxLength(64);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.FileName).HasMaxLength(255);
            e.Property(x => x.FileSha256).HasMaxLength(64);
            e.Property(x => x.ImportedBy).HasMaxLength(256);
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.StatementId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Banking.BankStatementLine>(e =>
        {
            e.HasIndex(x => new { x.StatementId, x.Position }).IsUnique();
            e.HasIndex(x => new { x.Status, x.Currency, x.Amount });
            e.HasIndex(x => x.CounterpartyAccount);
            e.HasIndex(x => x.CounterpartyNip);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.Title).HasMaxLength(1000);
            e.Property(x => x.CounterpartyName).HasMaxLength(300);
            e.Property(x => x.CounterpartyAccount).HasMaxLength(34);
            e.Property(x => x.CounterpartyAddress).HasMaxLength(300);
            e.Property(x => x.CounterpartyNip).HasMaxLength(10);
            e.Property(x => x.EndToEndId).HasMaxLength(64);
            e.Property(x => x.BankReference).HasMaxLength(64);
            e.Property(x => x.CreditorReference).HasMaxLength(64);
            e.Property(x => x.TransactionCode).HasMaxLength(64);
            e.Property(x => x.SplitPaymentInvoice).HasMaxLength(200);
            e.Property(x => x.SplitPaymentTaxId).HasMaxLength(32);
            e.Property(x => x.RawDetails).HasMaxLength(4000);
            e.Property(x => x.ResolutionNote).HasMaxLength(200);
            e.Property(x => x.ResolvedBy).HasMaxLength(256);
            e.HasIndex(x => x.PaymentId);
        });
        // Accounts parties pay from, learned from confirmed matches (docs/banking.md, "Matching").
        b.Entity<PartyBankAccount>(e =>
        {
            e.Property(x => x.Iban).HasMaxLength(34);
            e.Property(x => x.AddedBy).HasMaxLength(256);
            e.HasIndex(x => new { x.PartyId, x.Iban }).IsUnique();
            e.HasIndex(x => x.Iban);
            e.HasOne<Party>().WithMany().HasForeignKey(x => x.PartyId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<Currencies.ExchangeRate>(e =>
        {
            e.HasIndex(x => new { x.Source, x.CurrencyCode, x.EffectiveDate }).IsUnique();
            e.HasIndex(x => new { x.Source, x.EffectiveDate });
            e.Property(x => x.TableNumber).HasMaxLength(32);
            e.Property(x => x.CurrencyCode).HasMaxLength(3);
            e.Property(x => x.CurrencyName).HasMaxLength(100);
            e.Property(x => x.BaseCurrency).HasMaxLength(3);
            e.Ignore(x => x.QuotedValue);
            // A rate per unit needs more decimals than an amount (10 000 IDR = 48,1234 RUB is 0.00481234 per rupiah),
            // so this column overrides the 6-decimal convention of each provider.
            if (this is SqliteKontorDbContext) e.Property(x => x.Rate).HasConversion(new Currencies.RateScaledConverter());
            else e.Property(x => x.Rate).HasPrecision(28, Currencies.ExchangeRate.RateDecimals);
        });

        ConfigurePricing(b);
        Crm.Segmentation.SegmentationModel.Configure(b);
        Crm.CrmModel.ConfigureActivitiesAndComplaints(b);
    }

    /// <summary>Pricing tables, the product's group and where each document line's price and discount came from.</summary>
    private static void ConfigurePricing(ModelBuilder b)
    {
        b.Entity<Catalog.Pricing.PriceGroup>(e =>
        {
            e.HasIndex(x => x.Name).IsUnique();
            e.Property(x => x.Name).HasMaxLength(50);
            e.Property(x => x.Description).HasMaxLength(300);
            e.Property(x => x.Version).IsConcurrencyToken();
        });
        b.Entity<Catalog.Pricing.ProductGroup>(e =>
        {
            e.HasIndex(x => x.Name).IsUnique();
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Version).IsConcurrencyToken();
        });
        b.Entity<Product>(e =>
        {
            e.HasIndex(x => x.ProductGroupId);
            e.HasOne<Catalog.Pricing.ProductGroup>().WithMany().HasForeignKey(x => x.ProductGroupId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Catalog.Pricing.PriceListEntry>(e =>
        {
            e.HasIndex(x => new { x.ProductId, x.PriceGroupId });
            e.HasIndex(x => new { x.ProductId, x.PartyId });
            e.HasIndex(x => x.PartyId);
            e.HasIndex(x => x.PriceGroupId);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.HasOne<Product>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Party>().WithMany().HasForeignKey(x => x.PartyId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Catalog.Pricing.PriceGroup>().WithMany().HasForeignKey(x => x.PriceGroupId).OnDelete(DeleteBehavior.Cascade);
            e.Property(x => x.Version).IsConcurrencyToken();
        });
        b.Entity<Catalog.Pricing.DiscountRule>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(100);
            e.HasOne<Party>().WithMany().HasForeignKey(x => x.PartyId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Catalog.Pricing.PriceGroup>().WithMany().HasForeignKey(x => x.PriceGroupId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Catalog.Pricing.ProductGroup>().WithMany().HasForeignKey(x => x.ProductGroupId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Product>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
            e.Property(x => x.Version).IsConcurrencyToken();
        });
        ConfigureLinePricing<InvoiceLine>(b);
        ConfigureLinePricing<Offers.OfferLine>(b);
        ConfigureLinePricing<Orders.OrderLine>(b);
        ConfigureLinePricing<Recurring.RecurringScheduleLine>(b);
    }

    private static void ConfigureLinePricing<TLine>(ModelBuilder b) where TLine : LineTerms =>
        b.Entity<TLine>(e =>
        {
            e.Property(x => x.PriceSourceName).HasMaxLength(100);
            e.Property(x => x.DiscountSourceName).HasMaxLength(100);
        });

    private static void ConfigureSnapshot(Microsoft.EntityFrameworkCore.Metadata.Builders.OwnedNavigationBuilder<Invoice, PartySnapshot> s, string prefix)
    {
        s.Property(p => p.Name).HasColumnName(prefix + "Name").HasMaxLength(200);
        s.Property(p => p.TaxId).HasColumnName(prefix + "TaxId").HasMaxLength(32);
        s.Property(p => p.Street).HasColumnName(prefix + "Street").HasMaxLength(200);
        s.Property(p => p.PostalCode).HasColumnName(prefix + "PostalCode").HasMaxLength(20);
        s.Property(p => p.City).HasColumnName(prefix + "City").HasMaxLength(100);
        s.Property(p => p.CountryCode).HasColumnName(prefix + "CountryCode").HasMaxLength(2);
        s.Property(p => p.BankAccount).HasColumnName(prefix + "BankAccount").HasMaxLength(34);
    }

    /// <summary>Purchase invoices and VAT reporting settings (docs/vat.md).</summary>
    private void ConfigurePurchases(ModelBuilder b)
    {
        b.Entity<Payment>(e => e.Property(x => x.Direction).HasDefaultValue(PaymentDirection.Incoming).HasSentinel((PaymentDirection)(-1)));
        b.Entity<Purchases.PurchaseInvoice>(e =>
        {
            // The supplier's number is unique per supplier: the same paper entered twice is refused by the database too.
            e.HasIndex(x => new { x.SupplierId, x.SupplierInvoiceNumber }).IsUnique();
            e.HasIndex(x => x.ReceiptDate);
            e.HasIndex(x => x.IssueDate);
            e.Property(x => x.SupplierInvoiceNumber).HasMaxLength(64);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.Notes).HasMaxLength(2000);
            e.Property(x => x.ExchangeRateTable).HasMaxLength(32);
            e.Property(x => x.SupplierName).HasMaxLength(200);
            e.Property(x => x.SupplierTaxId).HasMaxLength(32);
            e.Property(x => x.SupplierCountryCode).HasMaxLength(2);
            e.Property(x => x.CorrectedInvoiceNumber).HasMaxLength(64);
            e.Property(x => x.CorrectionReason).HasMaxLength(500);
            e.Property(x => x.BookedBy).HasMaxLength(256);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne<Party>().WithMany().HasForeignKey(x => x.SupplierId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.PurchaseInvoiceId).OnDelete(DeleteBehavior.Cascade);
            if (this is SqliteKontorDbContext) e.Property(x => x.ExchangeRate).HasConversion(new Currencies.RateScaledConverter());
            else e.Property(x => x.ExchangeRate).HasPrecision(28, Currencies.ExchangeRate.RateDecimals);
        });
        b.Entity<Purchases.PurchaseInvoiceLine>(e =>
        {
            e.HasIndex(x => new { x.PurchaseInvoiceId, x.Position });
            e.Property(x => x.Description).HasMaxLength(500);
            e.Property(x => x.AccountCode).HasMaxLength(32);
            e.Property(x => x.VatRateCode).HasMaxLength(16);
            e.Ignore(x => x.IsFixedAsset);
        });
        b.Entity<Vat.VatSettings>(e =>
        {
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.TaxOfficeCode).HasMaxLength(4);
            e.Property(x => x.Email).HasMaxLength(255);
            e.Property(x => x.Phone).HasMaxLength(16);
        });
    }

    /// <summary>Warehouses, stock levels, FIFO layers, movements, reservations and stock documents (docs/inventory.md).</summary>
    private static void ConfigureInventory(ModelBuilder b)
    {
        b.Entity<Inventory.Warehouse>(e =>
        {
            e.HasIndex(x => x.Code).IsUnique();
            e.Property(x => x.Code).HasMaxLength(16);
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Version).IsConcurrencyToken();
        });
        b.Entity<Inventory.StockLevel>(e =>
        {
            e.HasKey(x => new { x.WarehouseId, x.ProductId });
            e.HasOne<Inventory.Warehouse>().WithMany().HasForeignKey(x => x.WarehouseId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Product>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => x.ProductId);
        });
        b.Entity<Inventory.StockLayer>(e =>
        {
            e.HasIndex(x => new { x.WarehouseId, x.ProductId, x.ReceivedOn, x.Sequence });
            e.HasOne<Inventory.Warehouse>().WithMany().HasForeignKey(x => x.WarehouseId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Product>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Inventory.StockMovement>(e =>
        {
            e.HasIndex(x => x.DocumentId);
            e.HasIndex(x => new { x.WarehouseId, x.ProductId, x.Date });
        });
        b.Entity<Inventory.StockReservation>(e =>
        {
            e.HasIndex(x => new { x.OrderId, x.WarehouseId, x.ProductId }).IsUnique();
            e.HasOne<Orders.Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Product>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Inventory.StockDocument>(e =>
        {
            e.HasIndex(x => x.Number);
            e.HasIndex(x => x.OrderId);
            e.HasIndex(x => x.InvoiceId);
            e.HasIndex(x => x.CreatedAt);
            e.Property(x => x.Number).HasMaxLength(64);
            e.Property(x => x.Reason).HasMaxLength(500);
            e.Property(x => x.Notes).HasMaxLength(2000);
            e.Property(x => x.CreatedBy).HasMaxLength(256);
            e.Property(x => x.PostedBy).HasMaxLength(256);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne<Party>().WithMany().HasForeignKey(x => x.PartyId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Inventory.Warehouse>().WithMany().HasForeignKey(x => x.WarehouseId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.DocumentId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Inventory.StockDocumentLine>(e =>
        {
            e.HasIndex(x => new { x.DocumentId, x.Position });
            e.HasOne<Product>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder b)
    {
        b.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    // Change detection scans every tracked entity; the guard and SaveChanges would each run it. Detect
    // once, then let both read the states without detecting again (restored afterwards).
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var autoDetect = DetectChangesOnce();
        try
        {
            GuardImmutableRecords();
            RefreshPartyMatchKeys();
            if (PartiesToCheckForMerge() is { } ids)
            {
                if (Parties.Any(p => ids.Contains(p.Id) && p.Status == PartyStatus.Merged)) throw MergedPartyConflict();
                RememberNotMerged(ids);
            }
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        finally { ChangeTracker.AutoDetectChangesEnabled = autoDetect; }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var autoDetect = DetectChangesOnce();
        try
        {
            GuardImmutableRecords();
            RefreshPartyMatchKeys();
            if (PartiesToCheckForMerge() is { } ids)
            {
                if (await Parties.AnyAsync(p => ids.Contains(p.Id) && p.Status == PartyStatus.Merged, cancellationToken)) throw MergedPartyConflict();
                RememberNotMerged(ids);
            }
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally { ChangeTracker.AutoDetectChangesEnabled = autoDetect; }
    }

    private bool DetectChangesOnce()
    {
        var autoDetect = ChangeTracker.AutoDetectChangesEnabled;
        if (autoDetect) ChangeTracker.DetectChanges();
        ChangeTracker.AutoDetectChangesEnabled = false;
        return autoDetect;
    }

    /// <summary>
    /// The last line of defence behind the services: posted journal entries, the audit trail and
    /// settlement history are append-only, and an issued invoice never changes again.
    /// Runs after change detection, so a property changed on a tracked entity counts.
    /// </summary>
    private void GuardImmutableRecords()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Modified or EntityState.Deleted)) continue;
            switch (entry.Entity)
            {
                case JournalEntry or JournalLine or AuditEntry or PaymentAllocation or Payment or CorrectionSettlement or Inventory.StockMovement:
                    throw new InvalidOperationException($"{entry.Metadata.ClrType.Name} records are append-only.");
                // An issued pro forma is not a tax document: it may still be cancelled (status, reason, time), nothing else.
                case Invoice { Kind: InvoiceKind.ProForma } when IssuedBefore(entry) && IsCancellationOnly(entry):
                    break;
                case Invoice when IssuedBefore(entry):
                    throw new ConflictException("An issued invoice cannot be changed or deleted; issue a correction invoice instead.");
                // A merged party is kept for history only (docs/crm.md, "Duplicates, merge and import").
                case Party when entry.Property(nameof(Party.Status)).OriginalValue is PartyStatus.Merged:
                    throw new ConflictException("This party was merged into another one and is read-only; work with the party it was merged into.");
                case Inventory.StockDocument when entry.Property(nameof(Inventory.StockDocument.Status)).OriginalValue is Inventory.StockDocumentStatus.Posted:
                    throw new ConflictException("A posted stock document cannot be changed or deleted; correct it with a new document.");
                case Purchases.PurchaseInvoice when entry.Property(nameof(Purchases.PurchaseInvoice.Status)).OriginalValue is Purchases.PurchaseInvoiceStatus.Booked:
                    throw new ConflictException("A booked purchase invoice cannot be changed or deleted; enter a correction instead.");
            }
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Microsoft.EntityFrameworkCore.Metadata.IEntityType, string[]> PartyReferenceProperties = new();

    /// <summary>
    /// The parties that records being added (or re-pointed) refer to — by the merge's own rule (…PartyId, SupplierId) —
    /// so that nothing new is attached to a merged party (docs/crm.md, "Duplicates, merge and import"); null when none.
    /// Journal lines are left out: the merge's transfer entry itself posts on the merged party.
    /// </summary>
    private List<Guid>? MergedPartiesReferenced()
    {
        List<Guid>? ids = null;
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified) || entry.Entity is Party or JournalLine) continue;
            var names = PartyReferenceProperties.GetOrAdd(entry.Metadata, type => type.GetProperties()
                .Where(p => Crm.Merge.PartyMerge.IsPartyReference(p.Name, p.ClrType) && !(type.IsOwned() && p.IsPrimaryKey()))
                .Select(p => p.Name).ToArray());
            foreach (var name in names)
            {
                var property = entry.Property(name);
                if (entry.State == EntityState.Modified && !property.IsModified) continue;
                if (property.CurrentValue is Guid id) (ids ??= []).Add(id);
            }
        }
        return ids;
    }

    // Parties the current transaction already found not merged. One shop order saves 4–6 times within one transaction,
    // each time referring to the same customer (order, invoice, open item, payment…): asked once per transaction, not per
    // SaveChanges (benchmark W1, docs/performance.md). Forgotten when the transaction changes and whenever this context
    // changes a party's status (a merge), so a merge inside the transaction is seen; a merge committed by another
    // transaction meanwhile was never excluded by this check anyway (it takes no lock).
    private readonly HashSet<Guid> notMergedInTransaction = [];
    private object? notMergedTransaction;

    private List<Guid>? PartiesToCheckForMerge()
    {
        if (MergedPartiesReferenced() is not { } ids) return null;
        var transaction = Database.CurrentTransaction;
        // This save changes a party's status (a merge): the check below reads the statuses before it, so nothing is remembered.
        var statusChanging = ChangeTracker.Entries<Party>().Any(e => e.State == EntityState.Modified && e.Property(p => p.Status).IsModified);
        if (transaction is null || !ReferenceEquals(transaction, notMergedTransaction) || statusChanging)
        {
            notMergedInTransaction.Clear();
            notMergedTransaction = statusChanging ? null : transaction;
        }
        ids.RemoveAll(notMergedInTransaction.Contains);
        return ids.Count == 0 ? null : ids;
    }

    private void RememberNotMerged(List<Guid> ids)
    {
        if (Database.CurrentTransaction is { } transaction && ReferenceEquals(transaction, notMergedTransaction))
            notMergedInTransaction.UnionWith(ids);
    }

    private static ConflictException MergedPartyConflict() =>
        new ConflictException("The party was merged into another one and is kept for history only; use the party it was merged into.");

    /// <summary>Whoever adds or edits a party (service, import, demo data, a later module), its duplicate keys follow its fields.</summary>
    private void RefreshPartyMatchKeys()
    {
        foreach (var entry in ChangeTracker.Entries<Party>().ToList())
        {
            var addressEdited = Entry(entry.Entity.Address).State == EntityState.Modified;
            if (entry.State is not (EntityState.Added or EntityState.Modified) && !addressEdited) continue;
            Crm.Duplicates.PartyMatchKeys.Apply(entry.Entity);
            if (entry.State != EntityState.Added) entry.DetectChanges();
        }
    }

    private static readonly HashSet<string> CancellationProperties =
        [nameof(Invoice.Status), nameof(Invoice.CancellationReason), nameof(Invoice.CancelledAt), nameof(Invoice.Version)];

    private static bool IsCancellationOnly(EntityEntry entry) =>
        entry.State == EntityState.Modified
        && entry.Property(nameof(Invoice.Status)).CurrentValue is InvoiceStatus.Issued or InvoiceStatus.Cancelled
        && entry.Properties.Where(p => p.IsModified).All(p => CancellationProperties.Contains(p.Metadata.Name));

    private static bool IssuedBefore(EntityEntry entry) =>
        entry.Property(nameof(Invoice.Status)).OriginalValue is InvoiceStatus.Issued;
}

public sealed class SqliteKontorDbContext(DbContextOptions<SqliteKontorDbContext> options) : KontorDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder b)
    {
        base.ConfigureConventions(b);
        // SQLite has no decimal type: amounts are stored as integers scaled by 10^6, so that sums and
        // comparisons run exactly inside the database (see docs/decisions.md).
        b.Properties<decimal>().HaveConversion<ScaledDecimalConverter>();
        b.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }
}

public sealed class PostgresKontorDbContext(DbContextOptions<PostgresKontorDbContext> options) : KontorDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder b)
    {
        base.ConfigureConventions(b);
        b.Properties<decimal>().HavePrecision(24, 6);
    }
}
