using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontor.Persistence.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "Incoming");

            migrationBuilder.CreateTable(
                name: "PurchaseInvoices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SupplierInvoiceNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    IssueDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ReceiptDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    SaleDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    DueDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    TotalNet = table.Column<long>(type: "INTEGER", nullable: false),
                    TotalVat = table.Column<long>(type: "INTEGER", nullable: false),
                    TotalGross = table.Column<long>(type: "INTEGER", nullable: false),
                    DeductibleVat = table.Column<long>(type: "INTEGER", nullable: false),
                    ExchangeRate = table.Column<long>(type: "INTEGER", nullable: true),
                    ExchangeRateTable = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ExchangeRateDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    TotalNetBase = table.Column<long>(type: "INTEGER", nullable: true),
                    TotalVatBase = table.Column<long>(type: "INTEGER", nullable: true),
                    DeductibleVatBase = table.Column<long>(type: "INTEGER", nullable: true),
                    SupplierName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    SupplierTaxId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    SupplierCountryCode = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true),
                    CorrectedInvoiceId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CorrectedInvoiceNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CorrectionReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    BookedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    BookedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
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
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    TaxOfficeCode = table.Column<string>(type: "TEXT", maxLength: 4, nullable: true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VatSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PurchaseInvoiceLines",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PurchaseInvoiceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    AccountCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    VatRateCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    VatKind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    VatPercent = table.Column<long>(type: "INTEGER", nullable: false),
                    Net = table.Column<long>(type: "INTEGER", nullable: false),
                    Vat = table.Column<long>(type: "INTEGER", nullable: false),
                    Gross = table.Column<long>(type: "INTEGER", nullable: false),
                    Deduction = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DeductiblePercent = table.Column<long>(type: "INTEGER", nullable: true),
                    DeductibleVat = table.Column<long>(type: "INTEGER", nullable: false),
                    NetBase = table.Column<long>(type: "INTEGER", nullable: true),
                    VatBase = table.Column<long>(type: "INTEGER", nullable: true),
                    DeductibleVatBase = table.Column<long>(type: "INTEGER", nullable: true)
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
