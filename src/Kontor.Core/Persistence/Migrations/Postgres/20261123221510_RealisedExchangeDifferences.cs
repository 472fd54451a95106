using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontor.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RealisedExchangeDifferences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "ExchangeDifference",
                table: "PaymentAllocations",
                type: "numeric(24,6)",
                precision: 24,
                scale: 6,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "PaymentBaseAmount",
                table: "PaymentAllocations",
                type: "numeric(24,6)",
                precision: 24,
                scale: 6,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "SettledBaseAmount",
                table: "PaymentAllocations",
                type: "numeric(24,6)",
                precision: 24,
                scale: 6,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "BaseAmount",
                table: "OpenItems",
                type: "numeric(24,6)",
                precision: 24,
                scale: 6,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "OpenBaseAmount",
                table: "OpenItems",
                type: "numeric(24,6)",
                precision: 24,
                scale: 6,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "ExchangeDifference",
                table: "CorrectionSettlements",
                type: "numeric(24,6)",
                precision: 24,
                scale: 6,
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
