using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontor.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DualCurrencyJournal : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "BaseCredit",
                table: "JournalLines",
                type: "numeric(24,6)",
                precision: 24,
                scale: 6,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "BaseDebit",
                table: "JournalLines",
                type: "numeric(24,6)",
                precision: 24,
                scale: 6,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<string>(
                name: "BaseCurrency",
                table: "JournalEntries",
                type: "character varying(3)",
                maxLength: 3,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<decimal>(
                name: "ExchangeRate",
                table: "JournalEntries",
                type: "numeric(28,10)",
                precision: 28,
                scale: 10,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ExchangeRateDate",
                table: "JournalEntries",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExchangeRateTable",
                table: "JournalEntries",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            DataMigrations.BackfillJournalBookCurrency(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BaseCredit",
                table: "JournalLines");

            migrationBuilder.DropColumn(
                name: "BaseDebit",
                table: "JournalLines");

            migrationBuilder.DropColumn(
                name: "BaseCurrency",
                table: "JournalEntries");

            migrationBuilder.DropColumn(
                name: "ExchangeRate",
                table: "JournalEntries");

            migrationBuilder.DropColumn(
                name: "ExchangeRateDate",
                table: "JournalEntries");

            migrationBuilder.DropColumn(
                name: "ExchangeRateTable",
                table: "JournalEntries");
        }
    }
}
