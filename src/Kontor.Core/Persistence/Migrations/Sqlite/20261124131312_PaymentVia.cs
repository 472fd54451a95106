using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontor.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PaymentVia : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Via",
                table: "Payments",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "Bank");

            migrationBuilder.CreateTable(
                name: "OrderReturnRefund",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReturnId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RefundPaymentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    InvoiceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    IncomingPaymentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Via = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrderReturnRefund", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrderReturnRefund_Invoices_InvoiceId",
                        column: x => x.InvoiceId,
                        principalTable: "Invoices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_OrderReturnRefund_OrderReturn_ReturnId",
                        column: x => x.ReturnId,
                        principalTable: "OrderReturn",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_OrderReturnRefund_Payments_IncomingPaymentId",
                        column: x => x.IncomingPaymentId,
                        principalTable: "Payments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_OrderReturnRefund_Payments_RefundPaymentId",
                        column: x => x.RefundPaymentId,
                        principalTable: "Payments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OrderReturnRefund_IncomingPaymentId",
                table: "OrderReturnRefund",
                column: "IncomingPaymentId");

            migrationBuilder.CreateIndex(
                name: "IX_OrderReturnRefund_InvoiceId",
                table: "OrderReturnRefund",
                column: "InvoiceId");

            migrationBuilder.CreateIndex(
                name: "IX_OrderReturnRefund_RefundPaymentId",
                table: "OrderReturnRefund",
                column: "RefundPaymentId");

            migrationBuilder.CreateIndex(
                name: "IX_OrderReturnRefund_ReturnId",
                table: "OrderReturnRefund",
                column: "ReturnId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "OrderReturnRefund");

            migrationBuilder.DropColumn(
                name: "Via",
                table: "Payments");
        }
    }
}
