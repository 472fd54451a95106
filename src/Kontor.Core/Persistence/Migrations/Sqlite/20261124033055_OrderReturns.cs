using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontor.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OrderReturns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "RestockOnRefund",
                table: "SalesChannels",
                type: "INTEGER",
                nullable: false,
                defaultValue: true); // existing channels restock on refund (the model default)

            migrationBuilder.CreateTable(
                name: "OrderReturn",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Restocked = table.Column<bool>(type: "INTEGER", nullable: false),
                    CorrectionInvoiceId = table.Column<Guid>(type: "TEXT", nullable: true),
                    StockDocumentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RefundPaymentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreditedGross = table.Column<long>(type: "INTEGER", nullable: false),
                    RefundedAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    ExternalRefundId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CancelledOrder = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrderReturn", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrderReturn_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_OrderReturn_Parties_PartyId",
                        column: x => x.PartyId,
                        principalTable: "Parties",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "OrderReturnLine",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReturnId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProductId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Quantity = table.Column<long>(type: "INTEGER", nullable: false),
                    Restocked = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrderReturnLine", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrderReturnLine_OrderReturn_ReturnId",
                        column: x => x.ReturnId,
                        principalTable: "OrderReturn",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_OrderReturnLine_Products_ProductId",
                        column: x => x.ProductId,
                        principalTable: "Products",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OrderReturn_OrderId_ExternalRefundId",
                table: "OrderReturn",
                columns: new[] { "OrderId", "ExternalRefundId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OrderReturn_PartyId_CreatedAt",
                table: "OrderReturn",
                columns: new[] { "PartyId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_OrderReturnLine_ProductId",
                table: "OrderReturnLine",
                column: "ProductId");

            migrationBuilder.CreateIndex(
                name: "IX_OrderReturnLine_ReturnId",
                table: "OrderReturnLine",
                column: "ReturnId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "OrderReturnLine");

            migrationBuilder.DropTable(
                name: "OrderReturn");

            migrationBuilder.DropColumn(
                name: "RestockOnRefund",
                table: "SalesChannels");
        }
    }
}
