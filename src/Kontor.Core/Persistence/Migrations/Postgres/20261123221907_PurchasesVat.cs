using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontor.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PurchasesVat : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Direction",
                table: "Payments",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "Incoming");

            migrationBuilder.CreateTable(
                name: "PurchaseInvoices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    SupplierId = table.Column<Guid>(type: "uuid", nullable: false),
                    SupplierInvoiceNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    IssueDate = table.Column<DateOnly>(type: "date", nullable: false),
                    ReceiptDate = table.Column<DateOnly>(type: "date", nullable: false),
                    SaleDate = table.Column<DateOnly>(type: "date", nullable: true),
                    DueDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Notes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    TotalNet = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: false),
                    TotalVat = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: false),
                    TotalGross = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: false),
                    DeductibleVat = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: false),
                    ExchangeRate = table.Column<decimal>(type: "numeric(28,10)", precision: 28, scale: 10, nullable: true),
                    ExchangeRateTable = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    ExchangeRateDate = table.Column<DateOnly>(type: "date", nullable: true),
                    TotalNetBase = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: true),
                    TotalVatBase = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: true),
                    DeductibleVatBase = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: true),
                    SupplierName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    SupplierTaxId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    SupplierCountryCode = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    CorrectedInvoiceId = table.Column<Guid>(type: "uuid", nullable: true),
                    CorrectedInvoiceNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CorrectionReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    BookedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    BookedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Version = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PurchaseInvoices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PurchaseInvoices_Parties_SupplierId",
                        column: x => x.SupplierId,
                        principalTable: "Parties",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "VatSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    TaxOfficeCode = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: true),
                    Email = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    Phone = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VatSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PurchaseInvoiceLines",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PurchaseInvoiceId = table.Column<Guid>(type: "uuid", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Description = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    AccountCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    VatRateCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    VatKind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    VatPercent = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: false),
                    Net = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: false),
                    Vat = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: false),
                    Gross = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: false),
                    Deduction = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    DeductiblePercent = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: true),
                    DeductibleVat = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: false),
                    NetBase = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: true),
                    VatBase = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: true),
                    DeductibleVatBase = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PurchaseInvoiceLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PurchaseInvoiceLines_PurchaseInvoices_PurchaseInvoiceId",
                        column: x => x.PurchaseInvoiceId,
                        principalTable: "PurchaseInvoices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PurchaseInvoiceLines_PurchaseInvoiceId_Position",
                table: "PurchaseInvoiceLines",
                columns: new[] { "PurchaseInvoiceId", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_PurchaseInvoices_IssueDate",
                table: "PurchaseInvoices",
                column: "IssueDate");

            migrationBuilder.CreateIndex(
                name: "IX_PurchaseInvoices_ReceiptDate",
                table: "PurchaseInvoices",
                column: "ReceiptDate");

            migrationBuilder.CreateIndex(
                name: "IX_PurchaseInvoices_SupplierId_SupplierInvoiceNumber",
                table: "PurchaseInvoices",
                columns: new[] { "SupplierId", "SupplierInvoiceNumber" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PurchaseInvoiceLines");

            migrationBuilder.DropTable(
                name: "VatSettings");

            migrationBuilder.DropTable(
                name: "PurchaseInvoices");

            migrationBuilder.DropColumn(
                name: "Direction",
                table: "Payments");
        }
    }
}
