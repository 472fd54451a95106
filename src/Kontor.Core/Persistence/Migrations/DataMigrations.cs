using Microsoft.EntityFrameworkCore.Migrations;

namespace Kontor.Persistence.Migrations;

/// <summary>
/// Data steps of migrations, written once for both providers (the SQL below is valid on SQLite and PostgreSQL)
/// and called from the generated migrations, so regenerating a migration keeps them visible in one place.
/// </summary>
public static class DataMigrations
{
    /// <summary>
    /// Journal lines gained book-currency amounts (docs/decisions.md §17). Lines already posted in the book currency
    /// carry the same amounts; entries in a foreign currency posted before it stay at zero in the book currency
    /// (no such books were in use), which keeps every entry balanced in both currencies.
    /// </summary>
    public static void BackfillJournalBookCurrency(MigrationBuilder migrationBuilder)
    {
        const string book = """COALESCE((SELECT "BaseCurrency" FROM "CompanyProfiles" LIMIT 1), 'PLN')""";
        migrationBuilder.Sql($"""UPDATE "JournalEntries" SET "BaseCurrency" = {book};""");
        migrationBuilder.Sql($"""UPDATE "JournalLines" SET "BaseDebit" = "Debit", "BaseCredit" = "Credit" WHERE "Currency" = {book};""");
    }

    /// <summary>
    /// Held shop orders gained <see cref="Commerce.HeldShopOrder.Kind"/>: the column starts as Refused, and those whose reason was
    /// written for unknown SKUs (<see cref="Commerce.ShopOrderIngestion.UnknownSkuReason"/>, compared exactly: LIKE ignores case on
    /// SQLite) are UnknownSku. Their SKUs are not parsed out of the reason — it shows the shop's SKUs as sent, joined by ", " which a
    /// SKU may contain — so they stay null: the automatic retry reads those holds' payloads once and keeps the SKUs then.
    /// </summary>
    public static void BackfillHoldKinds(MigrationBuilder migrationBuilder) =>
        // The text as it was written until then, literally: a migration does not follow later changes of the constant.
        migrationBuilder.Sql("""UPDATE "HeldShopOrders" SET "Kind" = 'UnknownSku' WHERE substr("Reason", 1, 13) = 'Unknown SKU: ';""");
}
