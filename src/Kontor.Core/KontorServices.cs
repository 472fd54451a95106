using System.Data.Common;
using Microsoft.AspNetCore.DataProtection;
using Kontor.Catalog;
using Kontor.Company;
using Kontor.Crm;
using Kontor.CustomerCard;
using Kontor.Events;
using Kontor.Ledger;
using Kontor.Persistence;
using Kontor.Sales;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kontor;

public static class KontorServices
{
    public const string DefaultSqliteConnection = "Data Source=data/kontor.db";

    /// <summary>Registers every module of Kontor on the database chosen by "Database:Provider".</summary>
    public static IServiceCollection AddKontor(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DatabaseOptions>(configuration.GetSection("Database"));
        services.Configure<KontorOptions>(configuration.GetSection("Kontor"));
        services.Configure<PostingAccounts>(configuration.GetSection("Ledger"));

        var provider = configuration.GetSection("Database").GetValue("Provider", DatabaseProvider.Sqlite);
        var connectionString = configuration.GetConnectionString("Kontor");
        AddDatabase(services, provider, connectionString, configuration.GetSection("Database").GetValue("SqliteSynchronous", SqliteSynchronous.Full));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<ICurrentActor, SystemActor>();
        // Per host, not static: several hosts (tests) in one process each have their own database.
        services.AddSingleton<ReferenceData>();
        services.AddScoped<UnitOfWork>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<DomainEventPublisher>();
        services.AddScoped<BusinessCalendar>();
        services.AddScoped<CompanyProfileProvider>();
        services.AddScoped<CompanySettingsService>();
        services.AddScoped<NumberingSeriesService>();

        services.AddScoped<PartyService>();
        services.AddScoped<Crm.Segmentation.SegmentationService>();
        services.AddScoped<Crm.Segmentation.PartyListQuery>();
        services.AddScoped<Crm.Segmentation.SavedFilterService>();
        services.AddScoped<Crm.PersonalData.PersonalDataService>();
        services.AddScoped<Crm.Duplicates.DuplicateDetector>();
        services.AddScoped<Crm.PartyMatching>();
        services.AddScoped<Crm.Merge.PartyMerge>();
        services.AddScoped<Crm.Import.PartyCsvImport>();
        services.AddScoped<Crm.Import.PartyCsvExport>();
        services.AddSingleton<Crm.Import.PartyImportJobs>();
        services.AddScoped<VatRates>();
        services.AddScoped<ProductService>();
        services.AddScoped<SkuAliasService>();
        services.AddScoped<Catalog.Pricing.PricingService>();
        services.AddScoped<Catalog.Pricing.PriceListService>();
        services.AddScoped<DocumentNumbering>();
        services.AddScoped<InvoiceService>();
        services.AddScoped<SalesMargins>();
        services.AddScoped<CorrectionService>();
        services.AddScoped<AdvanceInvoiceService>();
        services.AddScoped<ProFormaService>();
        services.AddScoped<DocumentLinkQueries>();
        services.AddScoped<Offers.OfferService>();
        services.AddScoped<Orders.OrderService>();
        services.AddCheckedOptions<Orders.CarrierOptions>(configuration.GetSection("Orders"));
        services.AddSingleton<Orders.CarrierTracking>();
        services.Configure<Inventory.InventoryOptions>(configuration.GetSection("Inventory"));
        services.AddScoped<Inventory.StockBook>();
        services.AddScoped<Inventory.StockDocumentService>();
        services.AddScoped<Inventory.StockQueries>();
        services.AddScoped<Inventory.WarehouseService>();
        services.AddScoped<Inventory.OrderFulfilment>();
        services.AddScoped<Inventory.IOrderFulfilment>(sp => sp.GetRequiredService<Inventory.OrderFulfilment>());
        services.AddScoped<Recurring.RecurringScheduleService>();
        services.AddSingleton<Recurring.RecurringInvoiceJob>();
        services.AddScoped<Documents.InvoicePdfService>();
        services.AddScoped<Documents.SalesDocumentPdfService>();
        services.AddScoped<DocumentTemplateService>();
        services.AddScoped<Journal>();
        services.AddScoped<BookRates>();
        services.AddScoped<AccountingPeriods>();
        services.AddScoped<GeneralJournal>();
        services.AddScoped<PaymentService>();
        services.AddScoped<ExchangeDifferences>();
        services.AddScoped<Reports.GeneralLedgerQuery>();
        services.AddScoped<Reports.AgingQuery>();
        services.AddScoped<Reports.FinancialStatementsQuery>();
        services.AddScoped<LedgerQueries>();
        services.AddScoped<JournalExport>();
        services.AddScoped<CustomerOverviewQuery>();
        services.AddScoped<Crm.Credit.CreditControl>();
        services.AddScoped<Crm.Pipeline.PipelineStageService>();
        services.AddScoped<Crm.Pipeline.OpportunityService>();
        services.AddScoped<Crm.Pipeline.LeadService>();
        services.AddScoped<Crm.Pipeline.CampaignService>();
        services.AddScoped<Crm.Pipeline.PipelineDemoData>();
        services.AddScoped<DashboardQuery>();
        // Activities, complaints, the customer card and its timeline (docs/crm.md); the lead adds other modules' ITimelineSource here.
        services.AddScoped<Crm.Activities.ActivityService>();
        services.AddScoped<Crm.Complaints.ComplaintService>();
        services.AddScoped<CustomerCardQuery>();
        services.AddScoped<CustomerTimeline>();
        services.AddScoped<ITimelineSource, ActivityTimelineSource>();
        services.AddScoped<ITimelineSource, InvoiceTimelineSource>();
        services.AddScoped<ITimelineSource, OfferTimelineSource>();
        services.AddScoped<ITimelineSource, OrderTimelineSource>();
        services.AddScoped<ITimelineSource, OrderStatusTimelineSource>();
        services.AddScoped<ITimelineSource, OrderReturnTimelineSource>();
        services.AddScoped<ITimelineSource, PaymentTimelineSource>();
        services.AddScoped<ITimelineSource, ComplaintTimelineSource>();
        services.AddScoped<ITimelineSource, PartyAuditTimelineSource>();
        services.AddScoped<ITimelineSource, Crm.Pipeline.OpportunityTimelineSource>();
        services.AddScoped<IOpenOpportunityCounter, Crm.Pipeline.OpenOpportunityCounter>();
        services.AddScoped<AuditQueries>();
        services.AddScoped<Banking.BankStatementImporter>();
        services.AddScoped<Banking.BankStatementQueries>();
        services.AddScoped<Banking.Matching.Reconciliation>();
        services.AddScoped<Purchases.PurchaseInvoiceService>();
        services.AddScoped<Purchases.PayablesAging>();
        services.AddScoped<Vat.VatRegisters>();
        services.AddScoped<Vat.JpkV7MExport>();
        services.AddScoped<Vat.VatSettingsService>();
        services.AddExchangeRates(configuration);
        services.AddScoped<IDomainEventHandler<InvoiceIssued>, PostIssuedInvoice>();
        // Sales channels, webhooks and the outbox (docs/commerce.md); Inventory adds its IShopOrderStep here.
        services.Configure<Outbox.OutboxOptions>(configuration.GetSection("Outbox"));
        services.AddScoped<Commerce.SalesChannelService>();
        services.AddScoped<Commerce.ShopOrderIngestion>();
        // Checked when the host starts: a queue bound of 0 would refuse every delivery (decision 50).
        services.AddCheckedOptions<Commerce.ShopIngestionOptions>(configuration.GetSection("Commerce:Ingestion"));
        services.AddSingleton<Commerce.ShopOrderQueue>();
        services.AddMetrics();
        services.AddSingleton<Commerce.ShopIngestionMetrics>();
        services.AddScoped<Commerce.ShopWebhookReceiver>();
        // The catch-up pull of missed orders (docs/commerce.md "Catch-up pull"); Hosting/OrderPullWorker runs the round.
        services.AddCheckedOptions<Commerce.OrderPullOptions>(configuration.GetSection("Commerce:OrderPull"));
        services.AddScoped<Commerce.ShopOrderPull>();
        services.AddSingleton<Commerce.ShopOrderPullRound>();
        services.AddCheckedOptions<Commerce.HeldOrderRetryOptions>(configuration.GetSection("Commerce:HeldOrders"));
        services.AddSingleton<Commerce.HeldOrderRetryRound>();
        services.AddScoped<Commerce.IntegrationLog>();
        services.AddScoped<Commerce.ShopInvoicing>();
        services.AddScoped<Commerce.IShopOrderStep, Commerce.ShopPaymentStep>();
        // Returns and refunds (docs/commerce.md "Returns and refunds"): after the paid step, so a delivery that says paid and refunded invoices first.
        services.AddScoped<Orders.OrderReturnService>();
        services.AddScoped<Commerce.IShopOrderStep, Commerce.RefundOnShopRefundStep>();
        services.AddScoped<IDomainEventHandler<Orders.OrderStatusChanged>, Commerce.OrderStatusToShop>();
        services.AddScoped<Commerce.ShopCausedChanges>();
        services.AddScoped<IDomainEventHandler<Orders.OrderStatusChanged>, Commerce.InvoiceOnShipment>();
        // After PostIssuedInvoice (registered above): the gateway payment allocates to the open item the ledger makes.
        services.AddScoped<IDomainEventHandler<InvoiceIssued>, Commerce.PayShopOrdersOnIssue>();
        services.AddScoped<Outbox.OutboxWriter>();
        services.AddScoped<Commerce.ChannelSyncCollector>();
        services.AddScoped<Commerce.ChannelSync>();
        services.AddScoped<IUnitOfWorkParticipant>(sp => sp.GetRequiredService<Commerce.ChannelSync>());
        services.AddScoped<Commerce.ChannelProductService>();
        // Channel secrets are encrypted with the same key ring as the web host's cookies (Kontor:KeysDirectory, application
        // "Kontor"): configured here too so that every host reads them with it. Only the web host's startup encrypts secrets still stored in plain text.
        services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(configuration["Kontor:KeysDirectory"] ?? Path.Combine("data", "keys")))
            .SetApplicationName("Kontor");
        services.AddSingleton<Commerce.ChannelSecrets>();
        services.AddScoped<Outbox.OutboxQueries>();
        services.AddSingleton<Outbox.OutboxDispatcher>();
        services.TryAddSingleton<Outbox.ConnectorHttp>();
        services.AddScoped<Outbox.IChannelConnector, Outbox.WooCommerceConnector>();
        services.AddScoped<Outbox.IChannelConnector, Outbox.ShopifyConnector>();

        services.AddScoped<DatabaseInitializer>();
        services.AddScoped<DemoData>();
        return services;
    }

    public static void AddDatabase(IServiceCollection services, DatabaseProvider provider, string? connectionString,
        SqliteSynchronous sqliteSynchronous = SqliteSynchronous.Full)
    {
        services.AddSingleton(new WriteGate(serialize: provider == DatabaseProvider.Sqlite));
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                services.AddDbContext<SqliteKontorDbContext>(o => o
                    .UseSqlite(connectionString ?? DefaultSqliteConnection, x => x.MigrationsHistoryTable("__EFMigrationsHistory"))
                    .AddInterceptors(new SqlitePragmas(sqliteSynchronous)));
                services.AddScoped<KontorDbContext>(sp => sp.GetRequiredService<SqliteKontorDbContext>());
                break;
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(connectionString))
                    throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Kontor is empty.");
                services.AddDbContext<PostgresKontorDbContext>(o => o.UseNpgsql(connectionString));
                services.AddScoped<KontorDbContext>(sp => sp.GetRequiredService<PostgresKontorDbContext>());
                break;
            default:
                throw new InvalidOperationException($"Unknown Database:Provider {provider}.");
        }
    }

    /// <summary>
    /// Per-connection SQLite settings: WAL lets readers work beside the writer; synchronous FULL (the default, decisions §39)
    /// syncs the WAL at every commit so what was committed — an order answered 2xx, an invoice number handed out — survives
    /// a power cut too (NORMAL survives only process crashes); foreign keys are off by default in SQLite.
    /// </summary>
    private sealed class SqlitePragmas(SqliteSynchronous synchronous) : DbConnectionInterceptor
    {
        private readonly string pragmas = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous.ToString().ToUpperInvariant()}; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private void Apply(DbConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = pragmas;
            command.ExecuteNonQuery();
            // SQLite's own lower() folds ASCII only, so a search for "żółć" missed "Żółć" and "привет" missed "Привет"; the
            // searches that compare x.ToLower() (EF: lower(x)) must fold Polish and Russian letters as PostgreSQL's lower() does.
            // No index or constraint is built on lower(), so replacing it per connection changes no stored data.
            if (connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
                sqlite.CreateFunction("lower", (string? text) => text?.ToLowerInvariant(), isDeterministic: true);
        }
    }
}
