using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontor.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DualCurrencyJournal : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "BaseCredit",
                table: "JournalLines",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "BaseDebit",
                table: "JournalLines",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "BaseCurrency",
                table: "JournalEntries",
                type: "TEXT",
                maxLength: 3,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "ExchangeRate",
                table: "JournalEntries",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ExchangeRateDate",
                table: "JournalEntries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExchangeRateTable",
                table: "JournalEntries",
                type: "TEXT",
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
