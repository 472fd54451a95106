using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontor.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ProFormaAdvanceFinal : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CancellationReason",
                table: "Invoices",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CancelledAt",
                table: "Invoices",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "OrderId",
                table: "Invoices",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OrderNumber",
                table: "Invoices",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "OrderTotalGross",
                table: "Invoices",
                type: "numeric(24,6)",
                precision: 24,
                scale: 6,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "OrderTotalNet",
                table: "Invoices",
                type: "numeric(24,6)",
                precision: 24,
                scale: 6,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "OrderTotalVat",
                table: "Invoices",
                type: "numeric(24,6)",
                precision: 24,
                scale: 6,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "InvoiceAdvanceDeductions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    InvoiceId = table.Column<Guid>(type: "uuid", nullable: false),
                    AdvanceInvoiceId = table.Column<Guid>(type: "uuid", nullable: false),
                    AdvanceNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AdvanceIssueDate = table.Column<DateOnly>(type: "date", nullable: false),
                    VatRateCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    VatKind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    VatPercent = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: false),
                    Net = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: false),
                    Vat = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: false),
                    Gross = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InvoiceAdvanceDeductions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InvoiceAdvanceDeductions_Invoices_InvoiceId",
                        column: x => x.InvoiceId,
                        principalTable: "Invoices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Invoices_Kind_CreatedAt",
                table: "Invoices",
                columns: new[] { "Kind", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Invoices_OrderId_Kind",
                table: "Invoices",
                columns: new[] { "OrderId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_InvoiceAdvanceDeductions_AdvanceInvoiceId",
                table: "InvoiceAdvanceDeductions",
                column: "AdvanceInvoiceId");

            migrationBuilder.CreateIndex(
                name: "IX_InvoiceAdvanceDeductions_InvoiceId",
                table: "InvoiceAdvanceDeductions",
                column: "InvoiceId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "InvoiceAdvanceDeductions");

            migrationBuilder.DropIndex(
                name: "IX_Invoices_Kind_CreatedAt",
                table: "Invoices");

            migrationBuilder.DropIndex(
                name: "IX_Invoices_OrderId_Kind",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "CancellationReason",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "CancelledAt",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "OrderId",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "OrderNumber",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "OrderTotalGross",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "OrderTotalNet",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "OrderTotalVat",
                table: "Invoices");
        }
    }
}
