using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontor.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RealisedExchangeDifferences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ExchangeDifference",
                table: "PaymentAllocations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "PaymentBaseAmount",
                table: "PaymentAllocations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SettledBaseAmount",
                table: "PaymentAllocations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "BaseAmount",
                table: "OpenItems",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "OpenBaseAmount",
                table: "OpenItems",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ExchangeDifference",
                table: "CorrectionSettlements",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ExchangeDifference",
                table: "PaymentAllocations");

            migrationBuilder.DropColumn(
                name: "PaymentBaseAmount",
                table: "PaymentAllocations");

            migrationBuilder.DropColumn(
                name: "SettledBaseAmount",
                table: "PaymentAllocations");

            migrationBuilder.DropColumn(
                name: "BaseAmount",
                table: "OpenItems");

            migrationBuilder.DropColumn(
                name: "OpenBaseAmount",
                table: "OpenItems");

            migrationBuilder.DropColumn(
                name: "ExchangeDifference",
                table: "CorrectionSettlements");
        }
    }
}
