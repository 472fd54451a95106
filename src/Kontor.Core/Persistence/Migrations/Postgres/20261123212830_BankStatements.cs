using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontor.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BankStatements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "StatementAccountId",
                table: "CompanyBankAccounts",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "BankStatements",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    BankAccountId = table.Column<Guid>(type: "uuid", nullable: false),
                    AccountIdentifier = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    StatementId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    StatementNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    OpeningDate = table.Column<DateOnly>(type: "date", nullable: false),
                    OpeningBalance = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: false),
                    ClosingDate = table.Column<DateOnly>(type: "date", nullable: false),
                    ClosingBalance = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: false),
                    TotalCredits = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: false),
                    TotalDebits = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: false),
                    LineCount = table.Column<int>(type: "integer", nullable: false),
                    Format = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    FileSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ImportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ImportedById = table.Column<Guid>(type: "uuid", nullable: true),
                    ImportedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BankStatements", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "BankStatementLines",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    StatementId = table.Column<Guid>(type: "uuid", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Amount = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Direction = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    IsReversal = table.Column<bool>(type: "boolean", nullable: false),
                    BookingDate = table.Column<DateOnly>(type: "date", nullable: true),
                    ValueDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Title = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CounterpartyName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    CounterpartyAccount = table.Column<string>(type: "character varying(34)", maxLength: 34, nullable: true),
                    CounterpartyAddress = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    CounterpartyNip = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    EndToEndId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    BankReference = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CreditorReference = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    TransactionCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    IsSplitPayment = table.Column<bool>(type: "boolean", nullable: false),
                    SplitPaymentVat = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: true),
                    SplitPaymentInvoice = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    SplitPaymentTaxId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    RawDetails = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BankStatementLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BankStatementLines_BankStatements_StatementId",
                        column: x => x.StatementId,
                        principalTable: "BankStatements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BankStatementLines_CounterpartyAccount",
                table: "BankStatementLines",
                column: "CounterpartyAccount");

            migrationBuilder.CreateIndex(
                name: "IX_BankStatementLines_CounterpartyNip",
                table: "BankStatementLines",
                column: "CounterpartyNip");

            migrationBuilder.CreateIndex(
                name: "IX_BankStatementLines_StatementId_Position",
                table: "BankStatementLines",
                columns: new[] { "StatementId", "Position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_BankStatementLines_Status_Currency_Amount",
                table: "BankStatementLines",
                columns: new[] { "Status", "Currency", "Amount" });

            migrationBuilder.CreateIndex(
                name: "IX_BankStatements_BankAccountId_StatementId_StatementNumber_Op~",
                table: "BankStatements",
                columns: new[] { "BankAccountId", "StatementId", "StatementNumber", "OpeningDate", "ClosingDate" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_BankStatements_ClosingDate_ImportedAt",
                table: "BankStatements",
                columns: new[] { "ClosingDate", "ImportedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BankStatementLines");

            migrationBuilder.DropTable(
                name: "BankStatements");

            migrationBuilder.DropColumn(
                name: "StatementAccountId",
                table: "CompanyBankAccounts");
        }
    }
}
